#include "ChecklistModel.h"

#include <QVariantMap>

ChecklistModel::ChecklistModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void ChecklistModel::setSession(ChecklistSession *session)
{
    if (session == m_session)
        return;
    beginResetModel();
    if (m_session)
        m_session->disconnect(this);
    m_session = session;
    if (session) {
        connect(session, &ChecklistSession::stepStateChanged, this,
                [this](int step) { stepChanged(step); });
        connect(session, &ChecklistSession::noteAdded, this,
                [this](int index) { stepChanged(m_session->notes().at(index).step); });
        connect(session, &QObject::destroyed, this, [this] {
            beginResetModel();
            endResetModel();
        });
    }
    endResetModel();
}

int ChecklistModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_session ? 0 : m_session->stepCount();
}

QVariant ChecklistModel::data(const QModelIndex &index, int role) const
{
    if (!isRow(index))
        return {};
    const int row = index.row();
    const RunbookStep &step = m_session->runbook().steps.at(row);
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole:
        return step.title;
    case Qt::ToolTipRole:
    case ExplanationRole:
        return step.explanation;
    case Qt::CheckStateRole:
        return m_session->stepState(row) == ChecklistSession::StepState::Done ? Qt::Checked
                                                                              : Qt::Unchecked;
    case StepIdRole:
        return step.id;
    case FigureRole:
        return step.figure;
    case CommandsRole: {
        QVariantList commands;
        for (const RunbookCommand &command : step.commands) {
            const bool promql = command.kind == RunbookCommand::Kind::PromQL;
            commands.append(
                QVariantMap{{QStringLiteral("label"), command.label},
                            {QStringLiteral("command"), command.text},
                            {QStringLiteral("kind"),
                             promql ? QStringLiteral("promql") : QStringLiteral("shell")}});
        }
        return commands;
    }
    case StateRole:
        return int(m_session->stepState(row));
    case ChangedAtRole:
        return m_session->stepChangedAt(row);
    case SkipReasonRole:
        return m_session->skipReason(row);
    case NotesRole: {
        QVariantList notes;
        for (const ChecklistSession::Note &note : m_session->notesForStep(row)) {
            notes.append(
                QVariantMap{{QStringLiteral("at"), note.at}, {QStringLiteral("text"), note.text}});
        }
        return notes;
    }
    default:
        return {};
    }
}

bool ChecklistModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::CheckStateRole || !isRow(index))
        return false;
    return value.value<Qt::CheckState>() == Qt::Checked ? m_session->markDone(index.row())
                                                        : m_session->reopen(index.row());
}

Qt::ItemFlags ChecklistModel::flags(const QModelIndex &index) const
{
    if (!isRow(index))
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable |
           Qt::ItemNeverHasChildren;
}

QHash<int, QByteArray> ChecklistModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert({{StepIdRole, "stepId"},
                  {TitleRole, "title"},
                  {ExplanationRole, "explanation"},
                  {FigureRole, "figure"},
                  {CommandsRole, "commands"},
                  {StateRole, "state"},
                  {ChangedAtRole, "changedAt"},
                  {SkipReasonRole, "skipReason"},
                  {NotesRole, "notes"}});
    return names;
}

void ChecklistModel::stepChanged(int step)
{
    if (step < 0 || step >= rowCount())
        return;
    const QModelIndex changed = index(step);
    Q_EMIT dataChanged(changed, changed);
}

bool ChecklistModel::isRow(const QModelIndex &index) const
{
    return index.isValid() && index.model() == this && index.row() < rowCount();
}
