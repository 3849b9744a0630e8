#include "StreamListenersModel.h"

#include "ApiClient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QLocale>
#include <QSet>
#include <QUrlQuery>

namespace veza::console {

StreamListenersModel::StreamListenersModel(ApiClient *api, QObject *parent)
    : QAbstractTableModel(parent)
    , m_api(api)
{
    m_timer.setInterval(kRefreshMs);
    connect(&m_timer, &QTimer::timeout, this, &StreamListenersModel::refresh);
}

int StreamListenersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int StreamListenersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StreamListenersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Id:
        return tr("Id");
    case Kind:
        return tr("Kind");
    case Rendition:
        return tr("Rendition");
    case Codec:
        return tr("Codec");
    case Address:
        return tr("Address");
    case UserAgent:
        return tr("Player");
    case Since:
        return tr("Connected since");
    case Bytes:
        return tr("Received");
    }
    return {};
}

QVariant StreamListenersModel::display(const QJsonObject &listener, int column) const
{
    const QLocale locale;
    switch (column) {
    case Id:
        return listener.value(u"id").toInteger();
    case Kind:
        return listener.value(u"kind").toString() == u"websocket" ? tr("WebSocket") : tr("HTTP");
    case Rendition:
        return listener.value(u"rendition").toString();
    case Codec:
        return listener.value(u"codec").toString();
    case Address:
        return listener.value(u"address").toString();
    case UserAgent:
        return listener.value(u"user_agent").toString();
    case Since:
        return locale.toString(
            QDateTime::fromMSecsSinceEpoch(listener.value(u"connected_at").toInteger()),
            QLocale::ShortFormat);
    case Bytes:
        return locale.formattedDataSize(listener.value(u"bytes").toInteger());
    }
    return {};
}

QVariant StreamListenersModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const QJsonObject &listener = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(listener, index.column());
    case SortRole:
        if (index.column() == Bytes)
            return listener.value(u"bytes").toInteger();
        if (index.column() == Since)
            return listener.value(u"connected_at").toInteger();
        return display(listener, index.column());
    case IdRole:
        return listener.value(u"id").toInteger();
    case Qt::ToolTipRole:
        return index.column() == UserAgent ? listener.value(u"user_agent").toString() : QVariant();
    default:
        return {};
    }
}

void StreamListenersModel::setStream(const QString &name)
{
    if (name == m_stream)
        return;
    m_stream = name;
    beginResetModel();
    m_rows.clear();
    endResetModel();
    if (name.isEmpty()) {
        m_timer.stop();
        return;
    }
    m_timer.start();
    refresh();
}

void StreamListenersModel::refresh()
{
    if (m_stream.isEmpty() || m_pending)
        return;
    m_pending = true;
    const QString stream = m_stream;
    m_api->get(QStringLiteral("/api/streams/%1/listeners").arg(stream),
               QUrlQuery(QStringLiteral("live=1")), this, [this, stream](const ApiResult &result) {
                   m_pending = false;
                   if (stream != m_stream)
                       return; // another stream is shown now
                   if (!result.ok())
                       return Q_EMIT refreshFailed(result.error);
                   apply(result.body.value(u"listeners").toArray());
               });
}

void StreamListenersModel::apply(const QJsonArray &listeners)
{
    QSet<qint64> present;
    for (const QJsonValue &value : listeners)
        present.insert(value[u"id"].toInteger());
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (!present.contains(m_rows.at(row).value(u"id").toInteger())) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    for (const QJsonValue &value : listeners) {
        const QJsonObject listener = value.toObject();
        const qint64 id = listener.value(u"id").toInteger();
        const auto found = std::find_if(m_rows.begin(), m_rows.end(), [id](const QJsonObject &r) {
            return r.value(u"id").toInteger() == id;
        });
        if (found == m_rows.end()) {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
            m_rows.append(listener);
            endInsertRows();
        } else if (*found != listener) {
            const int row = int(found - m_rows.begin());
            *found = listener;
            // Bytes and (on /listen) the rendition move; the rest is fixed.
            Q_EMIT dataChanged(index(row, Rendition), index(row, Bytes));
        }
    }
}

void StreamListenersModel::disconnectListener(qint64 id, const QString &reason,
                                              std::function<void(const QString &)> done)
{
    m_api->send("DELETE", QStringLiteral("/api/streams/%1/listeners/%2").arg(m_stream).arg(id),
                {{QStringLiteral("reason"), reason}}, this, [this, done](const ApiResult &result) {
                    if (done)
                        done(result.ok() ? QString() : result.error);
                    refresh();
                });
}

void StreamListenersModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

} // namespace veza::console
