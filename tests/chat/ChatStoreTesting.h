#pragma once

// What the chat storage tests (tst_chatstore, tst_sendbatch) share: running a job on the
// Database and waiting for it, and a MessageCipher with a fixed test key.

#include "crypto/KeyRing.h"
#include "crypto/MessageCipher.h"
#include "storage/Database.h"

#include <QByteArray>
#include <memory>
#include <type_traits>

namespace veza::testing {

// Runs `job` on one of the Database's workers and returns its result (waits).
template <typename F> auto run(storage::Database &db, F job)
{
    auto future = db.run(std::move(job));
    if constexpr (std::is_void_v<std::invoke_result_t<F &, QSqlDatabase &>>)
        future.waitForFinished();
    else
        return future.result();
}

// The at-rest cipher with a fixed key; nullptr if the key ring cannot be made.
inline std::unique_ptr<crypto::MessageCipher> testCipher()
{
    auto keys = crypto::KeyRing::create(QByteArray(crypto::KeyRing::KeySize, '\x42'));
    if (!keys)
        return nullptr;
    return std::make_unique<crypto::MessageCipher>(std::move(*keys));
}

} // namespace veza::testing
