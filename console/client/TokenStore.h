#pragma once

#include <QObject>
#include <QString>
#include <functional>

namespace veza::console {

// TokenStore: access tokens in the system keychain (QtKeychain: the Secret Service, KWallet,
// the macOS keychain), one per server, never in a file in clear: when no keychain answers, the
// token is kept for this session only and the caller is told why. Asynchronous; GUI thread.
class TokenStore : public QObject
{
    Q_OBJECT

public:
    static constexpr const char *kService = "veza-console";

    using QObject::QObject;

    // `done(token, problem)`: the stored token (empty when none), or why it could not be read.
    void read(const QString &serverKey,
              std::function<void(const QString &token, const QString &problem)> done);
    // `done(problem)`: empty once stored.
    void write(const QString &serverKey, const QString &token,
               std::function<void(const QString &problem)> done);
    void forget(const QString &serverKey);
};

} // namespace veza::console
