#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QList>
#include <QTimer>

namespace veza::console {

class ApiClient;

// StreamListenersModel: the listeners connected now to one stream
// (GET /api/streams/{name}/listeners?live=1), refreshed every two seconds while a stream is
// shown; disconnect() kicks one (DELETE .../listeners/{id}) and refreshes. Rows are matched by
// listener id so a refresh only changes the cells that changed. GUI thread.
class StreamListenersModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Id, Kind, Rendition, Codec, Address, UserAgent, Since, Bytes, ColumnCount };
    enum Role { SortRole = Qt::UserRole, IdRole };
    static constexpr int kRefreshMs = 2000;

    explicit StreamListenersModel(ApiClient *api, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    // Every header and cell changed: the language or the locale did (texts are made when asked).
    void retranslate();

    // Empty: none (the refresh stops).
    void setStream(const QString &name);
    QString stream() const { return m_stream; }
    void refresh();
    // `done(problem)`: empty once the server disconnected it.
    void disconnectListener(qint64 id, const QString &reason,
                            std::function<void(const QString &problem)> done);

Q_SIGNALS:
    void refreshFailed(const QString &problem);

private:
    void apply(const QJsonArray &listeners);
    QVariant display(const QJsonObject &listener, int column) const;

    ApiClient *m_api;
    QString m_stream;
    QList<QJsonObject> m_rows;
    QTimer m_timer;
    bool m_pending = false;
};

} // namespace veza::console
