#pragma once

class QAbstractItemModel;
class QString;
class QTableView;
class QWidget;

namespace veza::console {

// A table as the console shows lists: rows selected whole, one at a time, sortable through a
// proxy by the model's sort role (numbers as numbers), filterable in every column, no row
// numbers, the last column stretched. The proxy is the view's model.
QTableView *makeTable(QAbstractItemModel *model, const QString &objectName, QWidget *parent);

} // namespace veza::console
