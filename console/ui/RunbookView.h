#pragma once

#include "Retranslator.h"

#include <QHash>
#include <QWidget>

class QFormLayout;
class QLabel;
class QLineEdit;
class QListView;
class QStandardItemModel;
class QTableView;
class QTextBrowser;
class ChecklistModel; // console/runbooks (global namespace)
class ChecklistSession;
class TimelineModel;
struct Runbook;

namespace veza::console {

class ConsoleSession;

// Runbooks and the incident timeline: the runbooks (shipped and the team's), the one being
// worked as a checklist (tick steps; each step's explanation, the live figure that answers it
// and its commands ready to copy, their placeholders filled from the connection or from the
// values typed under "Command values"), notes kept with their time, and the session's timeline
// (alerts fired and resolved, actions taken, notes, steps) exported as Markdown for the
// post-mortem. GUI thread.
class RunbookView : public QWidget
{
    Q_OBJECT

public:
    explicit RunbookView(ConsoleSession *session, QWidget *parent = nullptr);

    // Starts working the runbook (a checklist recorded in the timeline).
    void open(const QString &id);
    ChecklistSession *checklist() const { return m_checklist; }
    QListView *stepsView() const { return m_steps; }
    QTableView *timelineTable() const { return m_timeline; }
    QString stepText() const;
    QListView *commandsView() const { return m_commands; }
    // The open runbook's placeholder fields ({namespace}, {pod}...), by name.
    QLineEdit *valueField(const QString &name) const { return m_valueFields.value(name); }
    // Copies the selected command of the open step to the clipboard; its text, empty if none.
    QString copySelectedCommand();
    void addNote(const QString &text);
    bool exportMarkdown(const QString &path) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void listRunbooks();
    void showTitle();
    void showStep();
    void showValues(const Runbook &runbook);

    ConsoleSession *m_session;
    QStandardItemModel *m_runbooks;
    QListView *m_list = nullptr;
    QLabel *m_title = nullptr;
    QListView *m_steps = nullptr;
    QTextBrowser *m_step = nullptr;
    QListView *m_commands = nullptr;
    QStandardItemModel *m_commandList;
    int m_commandsOfStep = -1; // the step m_commandList shows (kept across figure updates)
    QLineEdit *m_note = nullptr;
    QFormLayout *m_values = nullptr;
    QHash<QString, QLineEdit *> m_valueFields;
    QTableView *m_timeline = nullptr;
    ChecklistModel *m_checklistModel;
    TimelineModel *m_timelineModel = nullptr;
    QString m_openRunbook;
    ChecklistSession *m_checklist = nullptr;
    Retranslator m_texts;
};

} // namespace veza::console
