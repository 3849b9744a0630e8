#pragma once

#include <QHash>
#include <QObject>
#include <QString>

namespace veza::console {

struct ServerProfile;

// RunbookValues: what a runbook command's placeholders ({host}, {namespace}...) stand for on
// this console, so a command is copied ready to run. What the connection knows comes from the
// server's profile (host, port, ws_port, metrics_port) and the stream selected in the console
// (stream); the rest (namespace, pod, database_url...) is what the engineer typed once, kept
// per server in the console's settings. A typed value wins over a known one. GUI thread.
class RunbookValues : public QObject
{
    Q_OBJECT

public:
    explicit RunbookValues(QObject *parent = nullptr);

    // The server's addresses, and the values typed for it before.
    void setServer(const ServerProfile &profile);
    void setStream(const QString &stream);

    QString value(const QString &name) const; // empty when unknown
    // From the connection (not typed): shown as such, still overridable.
    bool isFromConnection(const QString &name) const;
    // Typed by the engineer; empty forgets it. Saved for this server.
    void setTyped(const QString &name, const QString &value);

    QHash<QString, QString> values() const;
    // `command` with every placeholder this console has a value for filled in.
    QString fill(const QString &command) const;

Q_SIGNALS:
    void changed();

private:
    QString m_serverKey;
    QHash<QString, QString> m_known;
    QHash<QString, QString> m_typed;
};

} // namespace veza::console
