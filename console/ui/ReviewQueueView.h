#pragma once

#include "Retranslator.h"

#include <QWidget>

class QLabel;
class QTableView;

namespace veza::console {

class ConsoleSession;

// The review queue: open reports, newest first or most reported first (the Reports column:
// how many open reports name the same message; sort by any column), the
// selected report's message with the messages around it, and one-key outcomes (D dismiss,
// Delete delete the message, T time the author out for an hour, B ban from the room), each
// asking the note that goes to the audit log. Updates live as other moderators resolve
// reports. GUI thread.
class ReviewQueueView : public QWidget
{
    Q_OBJECT

public:
    explicit ReviewQueueView(ConsoleSession *session, QWidget *parent = nullptr);

    QTableView *reportsTable() const { return m_reports; }
    void sortMostReportedFirst();
    // Resolves the selected report: "dismiss", "delete", "timeout" (1 h), "ban".
    void resolveSelected(const QString &outcome, const QString &note);

Q_SIGNALS:
    void actionDone(const QString &summary);
    void actionFailed(const QString &problem);

protected:
    void changeEvent(QEvent *event) override;

private:
    void showContext();

    ConsoleSession *m_session;
    QTableView *m_reports = nullptr;
    QLabel *m_context = nullptr;
    Retranslator m_texts;
};

} // namespace veza::console
