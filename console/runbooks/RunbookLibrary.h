#pragma once

#include "Runbook.h"

#include <QMap>
#include <optional>

// The runbooks the console knows, by id, and which answer an alert. A value: the loader fills
// one, the views read it. GUI thread (or any, if not shared).
class RunbookLibrary
{
public:
    // Adds `runbook`; one with the same id is replaced (a team's file overriding a shipped one).
    void insert(const Runbook &runbook);
    bool contains(const QString &id) const { return m_runbooks.contains(id); }
    std::optional<Runbook> runbook(const QString &id) const;
    QStringList ids() const { return m_runbooks.keys(); }           // sorted
    QList<Runbook> runbooks() const { return m_runbooks.values(); } // by id
    qsizetype size() const { return m_runbooks.size(); }
    bool isEmpty() const { return m_runbooks.isEmpty(); }

    // The runbook to open when `alertName` fires: of those that answer it, the most severe,
    // then the first by id. nullopt when none does.
    std::optional<Runbook> forAlert(const QString &alertName) const;
    // Every runbook that answers `alertName`, in the same order.
    QList<Runbook> allForAlert(const QString &alertName) const;

private:
    QMap<QString, Runbook> m_runbooks;
};
