#pragma once

#include "ChatTestClient.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

namespace veza::testing {

class ServerProcess;

// Chat load from real clients: each of them, in a room of its own, keeps `window` sends in
// flight and sends the next as soon as one is acknowledged, for as long as it runs, keeping
// every acknowledged message (message id -> body). Sends go on while the test waits in the
// event loop. Test main thread.
class ChatWriters
{
public:
    struct Options
    {
        int clients = 4;
        int window = 16;      // sends in flight per client
        int bodyBytes = 2000; // each body is padded to this size
        QString roomPrefix = QStringLiteral("writers-");
    };

    explicit ChatWriters(Options options);
    ~ChatWriters();

    // Connects every client to `server` and joins its room; false (see errors()) on failure.
    bool connect(ServerProcess &server);
    void start();
    // No new send; waits until every send in flight is answered.
    bool stop(int timeoutMs = 10000);

    QStringList rooms() const;
    // Every message acknowledged so far, by room: message id -> body.
    QHash<QString, QHash<qint64, QString>> acknowledged() const;
    qsizetype acknowledgedCount() const;
    QStringList errors() const { return m_errors; }

private:
    struct Writer;
    void sendNext(Writer &writer);
    void onFrame(Writer &writer, const QString &text);

    Options m_options;
    std::vector<std::unique_ptr<Writer>> m_writers;
    bool m_running = false;
    qsizetype m_acknowledged = 0;
    QStringList m_errors;
};

} // namespace veza::testing
