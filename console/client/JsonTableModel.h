#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <functional>

namespace veza::console {

// JsonTableModel: rows of JSON objects as an API answered them, identified by a key field and
// shown through declared columns. replace() diffs a fresh list against the rows: new rows are
// inserted, gone ones removed, and only the cells whose text changed are announced, so a view
// refreshed every few seconds keeps its selection and scroll position. Headers and cells are
// computed when asked, in the current language and locale; retranslate() announces them all
// after a language change. GUI thread.
class JsonTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    struct Column
    {
        std::function<QString()> header; // a tr() call: the current language's text
        std::function<QVariant(const QJsonObject &)> display;
        std::function<QVariant(const QJsonObject &)> sort = {}; // default: the display text
    };
    enum Role { SortRole = Qt::UserRole, ObjectRole, KeyRole };

    JsonTableModel(QString keyField, QList<Column> columns, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void replace(const QList<QJsonObject> &rows);
    void upsert(const QJsonObject &row);
    void clear();
    // Every header and cell changed: the language or the locale did.
    void retranslate();

    QJsonObject object(int row) const { return m_rows.value(row); }
    int rowOfKey(const QString &key) const { return m_index.value(key, -1); }
    QString keyOf(const QJsonObject &row) const;

    // A column of the object's field as text, and one of a time (ms since the epoch) shown in
    // the locale's short format.
    static Column text(std::function<QString()> header, const QString &field);
    static Column time(std::function<QString()> header, const QString &field);

private:
    void reindex();

    QString m_keyField;
    QList<Column> m_columns;
    QList<QJsonObject> m_rows;
    QHash<QString, int> m_index;
};

} // namespace veza::console
