#include "RunbookView.h"

#include "ChecklistModel.h"
#include "ChecklistSession.h"
#include "ConsoleSession.h"
#include "FigureCatalog.h"
#include "FigureSource.h"
#include "OncallSession.h"
#include "Runbook.h"
#include "RunbookValues.h"
#include "TimelineModel.h"

#include <QClipboard>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace veza::console {
namespace {

constexpr int kIdRole = Qt::UserRole + 1;

} // namespace

RunbookView::RunbookView(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_runbooks(new QStandardItemModel(this))
    , m_commandList(new QStandardItemModel(this))
    , m_checklistModel(new ChecklistModel(this))
{
    listRunbooks();
    m_list = new QListView(this);
    m_list->setObjectName(QStringLiteral("runbooksList"));
    m_list->setModel(m_runbooks);
    connect(m_list, &QListView::activated, this,
            [this](const QModelIndex &index) { open(index.data(kIdRole).toString()); });
    auto *start = new QPushButton(this);
    connect(start, &QPushButton::clicked, this, [this] {
        if (m_list->currentIndex().isValid())
            open(m_list->currentIndex().data(kIdRole).toString());
    });

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("runbookTitle"));
    m_title->setWordWrap(true);
    m_steps = new QListView(this);
    m_steps->setObjectName(QStringLiteral("checklist"));
    m_steps->setModel(m_checklistModel);
    connect(m_steps->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &RunbookView::showStep);
    m_step = new QTextBrowser(this);
    m_step->setObjectName(QStringLiteral("stepDetails"));
    m_step->setOpenLinks(false);
    m_commands = new QListView(this);
    m_commands->setObjectName(QStringLiteral("stepCommands"));
    m_commands->setModel(m_commandList);
    m_commands->setMaximumHeight(110);
    auto *copy = new QPushButton(this);
    copy->setObjectName(QStringLiteral("copyCommand"));
    connect(copy, &QPushButton::clicked, this, &RunbookView::copySelectedCommand);
    connect(m_commands, &QListView::doubleClicked, this, &RunbookView::copySelectedCommand);
    auto *valuesBox = new QGroupBox(this);
    valuesBox->setObjectName(QStringLiteral("commandValues"));
    m_values = new QFormLayout(valuesBox);
    connect(session->oncall()->runbookValues(), &RunbookValues::changed, this, [this] {
        for (auto it = m_valueFields.cbegin(); it != m_valueFields.cend(); ++it) {
            if (!it.value()->hasFocus())
                it.value()->setText(m_session->oncall()->runbookValues()->value(it.key()));
        }
        showStep();
    });
    m_note = new QLineEdit(this);
    m_note->setObjectName(QStringLiteral("note"));

    connect(m_note, &QLineEdit::returnPressed, this, [this] {
        addNote(m_note->text());
        m_note->clear();
    });

    m_timelineModel = new TimelineModel(this);
    m_timelineModel->setTimeline(session->oncall()->timeline());
    m_timeline = new QTableView(this);
    m_timeline->setObjectName(QStringLiteral("timelineTable"));
    m_timeline->setModel(m_timelineModel);
    m_timeline->verticalHeader()->hide();
    m_timeline->horizontalHeader()->setStretchLastSection(true);
    connect(m_timelineModel, &QAbstractItemModel::rowsInserted, m_timeline,
            &QTableView::scrollToBottom);
    auto *exportButton = new QPushButton(this);
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export the incident timeline"),
                                         QStringLiteral("incident.md"), tr("Markdown (*.md)"));
        if (!path.isEmpty())
            exportMarkdown(path);
    });
    // A live figure in the open step follows the samples.
    connect(session->oncall(), &OncallDesk::started, this, [this] {
        connect(&m_session->oncall()->session()->source()->history(),
                &oncall::FigureHistory::recorded, this, &RunbookView::showStep);
    });

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto *runbooksTitle = new QLabel(left);
    leftLayout->addWidget(runbooksTitle);
    leftLayout->addWidget(m_list, 1);
    leftLayout->addWidget(start);
    leftLayout->addWidget(valuesBox);
    auto *middle = new QWidget(this);
    auto *middleLayout = new QVBoxLayout(middle);
    middleLayout->setContentsMargins(0, 0, 0, 0);
    middleLayout->addWidget(m_title);
    middleLayout->addWidget(m_steps, 1);
    middleLayout->addWidget(m_step, 2);
    middleLayout->addWidget(m_commands);
    middleLayout->addWidget(copy, 0, Qt::AlignLeft);
    middleLayout->addWidget(m_note);
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto *timelineTitle = new QLabel(right);
    rightLayout->addWidget(timelineTitle);
    rightLayout->addWidget(m_timeline, 1);
    rightLayout->addWidget(exportButton, 0, Qt::AlignRight);
    auto *split = new QSplitter(this);
    split->addWidget(left);
    split->addWidget(middle);
    split->addWidget(right);
    split->setStretchFactor(1, 2);
    split->setStretchFactor(2, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);
    m_texts.add([=, this] {
        start->setText(tr("&Work this runbook"));
        copy->setText(tr("&Copy the command"));
        valuesBox->setTitle(tr("Command values"));
        m_note->setPlaceholderText(tr("A note for the timeline, then Enter"));
        exportButton->setText(tr("E&xport as Markdown..."));
        runbooksTitle->setText(tr("Runbooks:"));
        timelineTitle->setText(tr("Incident timeline:"));
        showTitle();
    });
}

void RunbookView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        // The runbooks in the new language; a checklist being worked keeps the one it started
        // in, as the timeline recorded it.
        m_session->oncall()->loadRunbooks();
        listRunbooks();
        m_texts.retranslate();
        m_timelineModel->retranslate();
        showStep();
    }
    QWidget::changeEvent(event);
}

void RunbookView::listRunbooks()
{
    m_runbooks->clear();
    for (const Runbook &runbook : m_session->oncall()->runbooks().runbooks()) {
        auto *item = new QStandardItem(runbook.title);
        item->setData(runbook.id, kIdRole);
        item->setToolTip(runbook.summary);
        item->setEditable(false);
        m_runbooks->appendRow(item);
    }
}

void RunbookView::showTitle()
{
    const std::optional<Runbook> runbook = m_session->oncall()->runbooks().runbook(m_openRunbook);
    if (!runbook)
        return m_title->setText(tr("Pick a runbook, or double click a firing alert"));
    m_title->setText(QStringLiteral("<b>%1</b><br>%2")
                         .arg(runbook->title.toHtmlEscaped(), runbook->summary.toHtmlEscaped()));
}

void RunbookView::open(const QString &id)
{
    const std::optional<Runbook> runbook = m_session->oncall()->runbooks().runbook(id);
    if (!runbook)
        return;
    m_checklist = m_session->oncall()->timeline()->startChecklist(*runbook);
    m_commandsOfStep = -1;
    m_checklistModel->setSession(m_checklist);
    showValues(*runbook);
    m_openRunbook = id;
    showTitle();
    if (m_checklistModel->rowCount() > 0)
        m_steps->setCurrentIndex(m_checklistModel->index(0));
}

// A field per placeholder of the runbook: what the connection knows is filled in already, the
// rest shows an example; what is typed is kept for this server.
void RunbookView::showValues(const Runbook &runbook)
{
    while (m_values->rowCount() > 0)
        m_values->removeRow(0);
    m_valueFields.clear();
    RunbookValues *values = m_session->oncall()->runbookValues();
    for (const RunbookPlaceholder &placeholder : runbook.placeholders) {
        auto *field = new QLineEdit(values->value(placeholder.name));
        field->setObjectName(QStringLiteral("value_") + placeholder.name);
        field->setPlaceholderText(placeholder.example);
        field->setToolTip(placeholder.description);
        connect(field, &QLineEdit::editingFinished, this, [this, field, name = placeholder.name] {
            RunbookValues *values = m_session->oncall()->runbookValues();
            // Typing back what the connection knows is not an override.
            const bool known =
                values->isFromConnection(name) && field->text() == values->value(name);
            values->setTyped(name, known ? QString() : field->text());
        });
        m_values->addRow(QStringLiteral("{%1}").arg(placeholder.name), field);
        m_valueFields.insert(placeholder.name, field);
    }
}

QString RunbookView::stepText() const
{
    return m_step->toPlainText();
}

void RunbookView::showStep()
{
    const QModelIndex step = m_steps->currentIndex();
    if (!step.isValid()) {
        m_commandList->clear();
        m_commandsOfStep = -1;
        return m_step->clear();
    }
    // The command list only changes with the step: a new sample keeps the selection.
    const bool newStep = step.row() != m_commandsOfStep;
    m_commandsOfStep = step.row();
    if (newStep)
        m_commandList->clear();
    QString html = QStringLiteral("<h3>%1</h3><p>%2</p>")
                       .arg(step.data(ChecklistModel::TitleRole).toString().toHtmlEscaped(),
                            step.data(ChecklistModel::ExplanationRole).toString().toHtmlEscaped());
    const QString figure = step.data(ChecklistModel::FigureRole).toString();
    const oncall::FigureDefinition *definition = oncall::FigureCatalog::find(figure);
    if (definition && m_session->oncall()->session()) {
        const oncall::FigureReading reading =
            m_session->oncall()->session()->source()->history().reading(figure);
        html +=
            tr("<p><b>Now:</b> %1 = %2 (target %3)</p>")
                .arg(oncall::FigureCatalog::displayName(*definition).toHtmlEscaped(),
                     oncall::FigureCatalog::formatValue(*definition, reading.value, reading.text)
                         .toHtmlEscaped(),
                     oncall::FigureCatalog::targetText(*definition).toHtmlEscaped());
    }
    for (const QVariant &command : step.data(ChecklistModel::CommandsRole).toList()) {
        const QVariantMap map = command.toMap();
        if (newStep) {
            auto *item = new QStandardItem(map.value(QStringLiteral("label")).toString());
            item->setData(map.value(QStringLiteral("command")).toString(), Qt::UserRole);
            item->setEditable(false);
            m_commandList->appendRow(item);
        }
        html += QStringLiteral("<p>%1<br><code>%2</code></p>")
                    .arg(map.value(QStringLiteral("label")).toString().toHtmlEscaped(),
                         m_session->oncall()
                             ->runbookValues()
                             ->fill(map.value(QStringLiteral("command")).toString())
                             .toHtmlEscaped());
    }
    for (int row = 0; row < m_commandList->rowCount(); ++row) {
        QStandardItem *item = m_commandList->item(row);
        item->setToolTip(
            m_session->oncall()->runbookValues()->fill(item->data(Qt::UserRole).toString()));
    }
    for (const QVariant &note : step.data(ChecklistModel::NotesRole).toList())
        html += QStringLiteral("<p><i>%1</i></p>")
                    .arg(note.toMap().value(QStringLiteral("text")).toString().toHtmlEscaped());
    m_step->setHtml(html);
}

void RunbookView::addNote(const QString &text)
{
    if (text.trimmed().isEmpty())
        return;
    if (m_checklist && m_steps->currentIndex().isValid())
        m_checklist->addNote(text, m_steps->currentIndex().row());
    else
        m_session->oncall()->timeline()->addNote(text);
    showStep();
}

QString RunbookView::copySelectedCommand()
{
    QModelIndex index = m_commands->currentIndex();
    if (!index.isValid() && m_commandList->rowCount() > 0)
        index = m_commandList->index(0, 0);
    if (!index.isValid())
        return {};
    const QString command =
        m_session->oncall()->runbookValues()->fill(index.data(Qt::UserRole).toString());
    QGuiApplication::clipboard()->setText(command);
    return command;
}

bool RunbookView::exportMarkdown(const QString &path) const
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    file.write(m_session->oncall()->timeline()->toMarkdown().toUtf8());
    return true;
}

} // namespace veza::console
