#include "TokenStore.h"

#include <qt6keychain/keychain.h>

namespace veza::console {

void TokenStore::read(const QString &serverKey,
                      std::function<void(const QString &, const QString &)> done)
{
    auto *job = new QKeychain::ReadPasswordJob(QLatin1StringView(kService), this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // a token never lands in a settings file
    job->setKey(serverKey);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *finished) {
        auto *reader = static_cast<QKeychain::ReadPasswordJob *>(finished);
        if (reader->error() == QKeychain::EntryNotFound)
            return done({}, {});
        done(reader->error() ? QString() : reader->textData(),
             reader->error() ? reader->errorString() : QString());
    });
    job->start();
}

void TokenStore::write(const QString &serverKey, const QString &token,
                       std::function<void(const QString &)> done)
{
    auto *job = new QKeychain::WritePasswordJob(QLatin1StringView(kService), this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(serverKey);
    job->setTextData(token);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *finished) {
        if (done)
            done(finished->error() ? finished->errorString() : QString());
    });
    job->start();
}

void TokenStore::forget(const QString &serverKey)
{
    auto *job = new QKeychain::DeletePasswordJob(QLatin1StringView(kService), this);
    job->setAutoDelete(true);
    job->setKey(serverKey);
    job->start();
}

} // namespace veza::console
