#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace veza::console {

class ConsoleSession;
class StreamListenersModel;

// One stream's panel: what is on air, its listeners connected now with a kick action, and the
// stream actions (cut the source, end the stream), each confirmed with a reason for the audit
// log. Shows the stream the streams table selected. GUI thread.
class StreamPanel : public QWidget
{
    Q_OBJECT

public:
    explicit StreamPanel(ConsoleSession *session, QWidget *parent = nullptr);

    void showStream(const QString &name);
    StreamListenersModel *listeners() const { return m_listeners; }
    QTableView *listenersTable() const { return m_table; }

    // The actions, as the buttons run them (tests call them with a reason).
    void kickSelected(const QString &reason);
    void cutSource(const QString &reason, int blockSeconds);
    void endStream(const QString &reason);

Q_SIGNALS:
    // What an action did, for the status bar and the incident timeline.
    void actionDone(const QString &summary);
    void actionFailed(const QString &problem);

private:
    void refreshHeader();
    void report(const QString &done, const QString &problem);

    ConsoleSession *m_session;
    StreamListenersModel *m_listeners;
    QString m_stream;
    QLabel *m_title = nullptr;
    QLabel *m_nowPlaying = nullptr;
    QTableView *m_table = nullptr;
    QPushButton *m_kick = nullptr;
    QPushButton *m_cut = nullptr;
    QPushButton *m_end = nullptr;
};

} // namespace veza::console
