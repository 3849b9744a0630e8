#pragma once

#include <QSqlError>
#include <QString>
#include <stdexcept>

namespace veza::storage {

// StorageError: the exception database jobs throw (through the sql:: helpers) when a statement
// or a connection fails. It travels from the worker thread to the caller inside the job's
// QFuture (QFuture::result() rethrows it; QFuture::onFailed can catch it). Thread-agnostic.
class StorageError : public std::runtime_error
{
public:
    explicit StorageError(const QString &message,
                          QSqlError::ErrorType type = QSqlError::UnknownError);
    StorageError(const QString &context, const QSqlError &error);

    QString message() const { return m_message; }
    QSqlError::ErrorType type() const { return m_type; }

private:
    QString m_message;
    QSqlError::ErrorType m_type;
};

} // namespace veza::storage
