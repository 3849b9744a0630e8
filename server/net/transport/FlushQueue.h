#pragma once

#include <QObject>
#include <vector>

namespace veza::net {

class FdTransport;

// The transports of one network thread with bytes queued in this event-loop pass. The first
// write of a pass posts one flush; every transport written to meanwhile is flushed by it, so
// a room's fan-out becomes one send() per connection however many frames it holds.
class FlushQueue : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~FlushQueue() override;

    void schedule(FdTransport *transport);
    void cancel(FdTransport *transport);

private:
    void flushAll();

    std::vector<FdTransport *> m_pending;
    bool m_posted = false;
};

} // namespace veza::net
