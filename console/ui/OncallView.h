#pragma once

#include "Retranslator.h"

#include <QWidget>

class QChartView;
class QLabel;
class QLineSeries;
class QTableView;

namespace veza::console {

class ConsoleSession;

// The on-call dashboard: every figure with its target and a state colour (health, connections,
// users, messages/s, P99 latencies, error rate, CPU, memory, streams, listeners, degraded share,
// database time...), the selected figure charted over the session, and the alerts firing with
// since-when and severity; a double click on an alert opens its runbook. Where the figures
// come from (the server's /metrics or Prometheus) shows above. GUI thread.
class OncallView : public QWidget
{
    Q_OBJECT

public:
    explicit OncallView(ConsoleSession *session, QWidget *parent = nullptr);

    QTableView *figuresTable() const { return m_figures; }
    QTableView *alertsTable() const { return m_alerts; }
    QString sourceText() const;

Q_SIGNALS:
    void openRunbook(const QString &id);

protected:
    void changeEvent(QEvent *event) override;

private:
    void showSource();
    void bind();
    void chartSelected();

    ConsoleSession *m_session;
    QLabel *m_source = nullptr;
    QTableView *m_figures = nullptr;
    QTableView *m_alerts = nullptr;
    QChartView *m_chart = nullptr;
    QLineSeries *m_series = nullptr;
    QString m_charted;
    Retranslator m_texts;
};

} // namespace veza::console
