#include "OncallView.h"

#include "AlertsModel.h"
#include "ConsoleSession.h"
#include "FigureCatalog.h"
#include "FigureSource.h"
#include "FiguresModel.h"
#include "OncallSession.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QHeaderView>
#include <QIdentityProxyModel>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineSeries>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QValueAxis>
#include <cmath>

namespace veza::console {
namespace {

// The state as a background colour of the value and state cells.
class StateColours : public QIdentityProxyModel
{
public:
    using QIdentityProxyModel::QIdentityProxyModel;
    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role != Qt::BackgroundRole || (index.column() != oncall::FiguresModel::ValueColumn &&
                                           index.column() != oncall::FiguresModel::StateColumn))
            return QIdentityProxyModel::data(index, role);
        switch (oncall::FigureState(index.data(oncall::FiguresModel::StateRole).toInt())) {
        case oncall::FigureState::Ok:
            return QColor(0xc8, 0xe6, 0xc9);
        case oncall::FigureState::Warning:
            return QColor(0xff, 0xe0, 0xb2);
        case oncall::FigureState::Critical:
            return QColor(0xff, 0xcd, 0xd2);
        case oncall::FigureState::Unknown:
            break;
        }
        return {};
    }
};

QTableView *plainTable(const QString &name, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setObjectName(name);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

} // namespace

OncallView::OncallView(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    m_source = new QLabel(this);
    m_texts.add([this] { showSource(); });
    m_source->setObjectName(QStringLiteral("oncallSource"));
    m_figures = plainTable(QStringLiteral("figuresTable"), this);
    m_alerts = plainTable(QStringLiteral("alertsTable"), this);
    connect(m_alerts, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        const QString runbook = index.data(oncall::AlertsModel::RunbookRole).toString();
        if (!runbook.isEmpty())
            Q_EMIT openRunbook(runbook);
    });

    auto *chart = new QChart;
    chart->legend()->hide();
    m_series = new QLineSeries(chart);
    chart->addSeries(m_series);
    auto *time = new QDateTimeAxis(chart);
    time->setFormat(QStringLiteral("HH:mm"));
    auto *values = new QValueAxis(chart);
    chart->addAxis(time, Qt::AlignBottom);
    chart->addAxis(values, Qt::AlignLeft);
    m_series->attachAxis(time);
    m_series->attachAxis(values);
    m_chart = new QChartView(chart, this);
    m_chart->setObjectName(QStringLiteral("figureChart"));
    m_chart->setMinimumHeight(160);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_figures);
    split->addWidget(m_chart);
    auto *alertsBox = new QWidget(this);
    auto *alertsLayout = new QVBoxLayout(alertsBox);
    alertsLayout->setContentsMargins(0, 0, 0, 0);
    auto *alertsTitle = new QLabel(alertsBox);
    m_texts.add(
        [alertsTitle] { alertsTitle->setText(tr("Alerts firing (double click: the runbook):")); });
    alertsLayout->addWidget(alertsTitle);
    alertsLayout->addWidget(m_alerts, 1);
    split->addWidget(alertsBox);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_source);
    layout->addWidget(split, 1);
    connect(session->oncall(), &OncallDesk::started, this, &OncallView::bind);
}

void OncallView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        m_texts.retranslate();
        if (oncall::OncallSession *oncall = m_session->oncall()->session()) {
            oncall->figures()->retranslate();
            oncall->alerts()->retranslate();
        }
        chartSelected(); // its title
    }
    QWidget::changeEvent(event);
}

void OncallView::showSource()
{
    const oncall::OncallSession *oncall = m_session->oncall()->session();
    if (!oncall)
        return m_source->setText(tr("Not connected"));
    m_source->setText((oncall->usesPrometheus()
                           ? tr("Figures of the whole deployment, from Prometheus: %1")
                           : tr("Figures of this server, from its /metrics: %1"))
                          .arg(oncall::FigureSource::statusText(oncall->source()->status())));
}

QString OncallView::sourceText() const
{
    return m_source->text();
}

void OncallView::bind()
{
    oncall::OncallSession *oncall = m_session->oncall()->session();
    auto *colours = new StateColours(m_figures);
    colours->setSourceModel(oncall->figures());
    QAbstractItemModel *old = m_figures->model();
    m_figures->setModel(colours);
    delete old;
    m_figures->hideColumn(oncall::FiguresModel::KeyColumn);
    m_alerts->setModel(oncall->alerts());
    connect(m_figures->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &OncallView::chartSelected);
    connect(oncall->source(), &oncall::FigureSource::statusChanged, this, &OncallView::showSource);
    connect(&oncall->source()->history(), &oncall::FigureHistory::recorded, this,
            &OncallView::chartSelected);
    showSource();
    // A chart from the start: the HTTP latency, the guide's first target.
    for (int row = 0; row < m_figures->model()->rowCount(); ++row) {
        if (m_figures->model()->index(row, 0).data(oncall::FiguresModel::KeyRole).toString() ==
            u"http_p99_ms")
            m_figures->selectRow(row);
    }
}

void OncallView::chartSelected()
{
    const QModelIndexList rows = m_figures->selectionModel()
                                     ? m_figures->selectionModel()->selectedRows()
                                     : QModelIndexList();
    if (rows.isEmpty() || !m_session->oncall()->session())
        return;
    const QString key = rows.first().data(oncall::FiguresModel::KeyRole).toString();
    const oncall::FigureSeries &series =
        m_session->oncall()->session()->source()->history().series(key);
    QList<QPointF> points;
    double top = 1;
    for (qsizetype i = 0; i < series.size(); ++i) {
        const oncall::FigurePoint &point = series.at(i);
        if (std::isnan(point.value))
            continue;
        points.append(QPointF(double(point.atMs), point.value));
        top = std::max(top, point.value);
    }
    m_series->replace(points);
    if (const oncall::FigureDefinition *figure = oncall::FigureCatalog::find(key))
        m_chart->chart()->setTitle(oncall::FigureCatalog::displayName(*figure));
    if (points.isEmpty())
        return;
    const auto axes = m_chart->chart()->axes();
    static_cast<QDateTimeAxis *>(axes.at(0))
        ->setRange(QDateTime::fromMSecsSinceEpoch(qint64(points.first().x())),
                   QDateTime::fromMSecsSinceEpoch(
                       std::max(qint64(points.last().x()), qint64(points.first().x()) + 60000)));
    static_cast<QValueAxis *>(axes.at(1))->setRange(0, top * 1.2);
}

} // namespace veza::console
