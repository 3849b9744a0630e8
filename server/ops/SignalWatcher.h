#pragma once

#include <QObject>

class QSocketNotifier;

namespace veza::ops {

// Delivers SIGTERM and SIGINT (stop) and SIGHUP (reload) as Qt signals on the main thread
// through a signalfd. blockHandledSignals() must run before any thread starts so that no other
// thread receives them the classic way (SIGHUP would end the process).
class SignalWatcher : public QObject
{
    Q_OBJECT

public:
    static void blockHandledSignals();
    // After the first signal: any further SIGTERM/SIGINT ends the process at once with
    // status 1, even while the main thread is busy shutting down.
    static void armImmediateExit();

    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);
    void reloadRequested();

private:
    void readSignals();

    int m_fd = -1;
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace veza::ops
