#include "ConnectionIndicators.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>

namespace veza::console {
namespace {

QString colourOf(ChannelStatus::State state)
{
    switch (state) {
    case ChannelStatus::State::Connected:
        return QStringLiteral("#2e7d32");
    case ChannelStatus::State::Degraded:
    case ChannelStatus::State::Connecting:
        return QStringLiteral("#ef6c00");
    case ChannelStatus::State::Disconnected:
        break;
    }
    return QStringLiteral("#9e9e9e");
}

} // namespace

ConnectionIndicators::ConnectionIndicators(ConnectionStatus *status, QWidget *parent)
    : QWidget(parent)
    , m_status(status)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    for (Channel channel : {Channel::Http, Channel::Monitor, Channel::Chat, Channel::Metrics}) {
        auto *label = new QLabel(this);
        label->setObjectName(QStringLiteral("channel%1").arg(int(channel)));
        label->setTextFormat(Qt::RichText);
        m_labels[int(channel)] = label;
        layout->addWidget(label);
        show(channel, status->status(channel));
    }
    connect(status, &ConnectionStatus::changed, this, &ConnectionIndicators::show);
}

QString ConnectionIndicators::text(Channel channel) const
{
    return m_labels[int(channel)]->toolTip();
}

void ConnectionIndicators::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        for (Channel channel : {Channel::Http, Channel::Monitor, Channel::Chat, Channel::Metrics})
            show(channel, m_status->status(channel));
    }
    QWidget::changeEvent(event);
}

void ConnectionIndicators::show(Channel channel, const ChannelStatus &status)
{
    //: A channel and its state in the status bar: "Monitor: Connected"
    const QString named = tr("%1: %2").arg(channelName(channel), stateName(status.state));
    QString text = named;
    if (!status.reason.isEmpty())
        text += QStringLiteral(" (%1)").arg(status.reason);
    QLabel *label = m_labels[int(channel)];
    label->setToolTip(text);
    const QString shown = status.state == ChannelStatus::State::Disconnected ? text : named;
    label->setText(QStringLiteral("<span style='color:%1'>&#9679;</span> %2")
                       .arg(colourOf(status.state), shown.toHtmlEscaped()));
}

} // namespace veza::console
