#include "storage/StorageError.h"

namespace veza::storage {

StorageError::StorageError(const QString &message, QSqlError::ErrorType type)
    : std::runtime_error(message.toStdString())
    , m_message(message)
    , m_type(type)
{
}

StorageError::StorageError(const QString &context, const QSqlError &error)
    : StorageError(context + QStringLiteral(": ") + error.text(), error.type())
{
}

} // namespace veza::storage
