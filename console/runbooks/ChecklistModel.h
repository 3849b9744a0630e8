#pragma once

#include "ChecklistSession.h"

#include <QAbstractListModel>
#include <QPointer>

// A list model over the steps of one ChecklistSession, for a runbook view: a row per step,
// the title as display text and a check box for "done"; the rest (explanation, figure key,
// commands, state, times, notes) in the roles below. Rows change one at a time, with
// dataChanged, as the session changes. GUI thread.
class ChecklistModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        StepIdRole = Qt::UserRole + 1,
        TitleRole,
        ExplanationRole,
        FigureRole,     // figure key, or empty
        CommandsRole,   // QVariantList of QVariantMap {"label", "command", "kind"}
        StateRole,      // int(ChecklistSession::StepState)
        ChangedAtRole,  // QDateTime (UTC) when done or skipped
        SkipReasonRole, // QString
        NotesRole,      // QVariantList of QVariantMap {"at" (UTC), "text"}, oldest first
    };
    Q_ENUM(Role)

    explicit ChecklistModel(QObject *parent = nullptr);

    // The session shown (not owned; may be null). Resets the model.
    void setSession(ChecklistSession *session);
    ChecklistSession *session() const { return m_session; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    // Qt::CheckStateRole: Checked marks the step done, Unchecked reopens it.
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    bool isRow(const QModelIndex &index) const; // a valid index of a current row
    void stepChanged(int step);

    QPointer<ChecklistSession> m_session;
};
