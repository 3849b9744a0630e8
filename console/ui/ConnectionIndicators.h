#pragma once

#include "ChannelStatus.h"

#include <QWidget>

class QLabel;

namespace veza::console {

// The status bar's view of every channel: a coloured mark and its state, the reason in the
// tooltip (and in the text when disconnected). GUI thread.
class ConnectionIndicators : public QWidget
{
    Q_OBJECT

public:
    explicit ConnectionIndicators(ConnectionStatus *status, QWidget *parent = nullptr);

    // The text shown for a channel (tests read it).
    QString text(Channel channel) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void show(Channel channel, const ChannelStatus &status);

    QLabel *m_labels[4] = {};
    ConnectionStatus *m_status;
};

} // namespace veza::console
