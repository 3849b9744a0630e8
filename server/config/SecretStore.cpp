#include "config/SecretStore.h"

#include "config/ValueParsers.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace veza::config {
namespace {

QByteArray randomBytes(int count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    // QRandomGenerator::system() draws from the kernel CSPRNG (getrandom).
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(bytes.data()),
                                         reinterpret_cast<quint32 *>(bytes.data() + count));
    return bytes;
}

} // namespace

SecretStore::SecretStore(QString dataDir)
    : m_dataDir(std::move(dataDir))
{
}

QString SecretStore::secretsDir() const
{
    return QDir(m_dataDir).filePath(QStringLiteral("secrets"));
}

std::optional<QByteArray> SecretStore::readOrCreate(const QString &fileName,
                                                    const QByteArray &fresh, bool *created,
                                                    QString *error) const
{
    const QString path = QDir(secretsDir()).filePath(fileName);
    const QByteArray nativePath = QFile::encodeName(path);
    // O_EXCL: two servers starting at once must not overwrite each other's secret.
    const int fd = ::open(nativePath.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        const bool written = ::write(fd, fresh.constData(), fresh.size()) == fresh.size();
        const bool synced = ::fsync(fd) == 0;
        ::close(fd);
        if (!written || !synced) {
            *error = QStringLiteral("cannot write %1: %2")
                         .arg(path, QString::fromLocal8Bit(std::strerror(errno)));
            return std::nullopt;
        }
        *created = true;
        return fresh;
    }
    if (errno != EEXIST) {
        *error = QStringLiteral("cannot create %1: %2")
                     .arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return std::nullopt;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    *created = false;
    return file.readAll().trimmed();
}

std::optional<QString> SecretStore::completeSecrets(ServerConfig &config,
                                                    QStringList *warnings) const
{
    if (!config.jwtSecret.isEmpty() && !config.encryptionKey.isEmpty())
        return std::nullopt;
    if (!QDir().mkpath(secretsDir()))
        return QStringLiteral("DATA_DIR=\"%1\": expected a writable directory for development "
                              "secrets (cannot create %2)")
            .arg(m_dataDir, secretsDir());
    QFile::setPermissions(secretsDir(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);

    QString error;
    bool created = false;
    if (config.jwtSecret.isEmpty()) {
        auto secret = readOrCreate(QStringLiteral("jwt_secret"), randomBytes(48).toBase64(),
                                   &created, &error);
        if (!secret || secret->isEmpty())
            return error.isEmpty() ? QStringLiteral("empty JWT secret file in %1").arg(secretsDir())
                                   : error;
        config.jwtSecret = *secret;
        warnings->append(QStringLiteral("JWT_SECRET is not set: %1 the development secret in %2")
                             .arg(created ? u"generated" : u"using", secretsDir()));
    }
    if (config.encryptionKey.isEmpty()) {
        auto stored = readOrCreate(QStringLiteral("encryption_key"), randomBytes(32).toHex(),
                                   &created, &error);
        if (!stored)
            return error;
        auto key = parse::key32(QString::fromLatin1(*stored));
        if (!key)
            return QStringLiteral("%1/encryption_key: expected 64 hex digits").arg(secretsDir());
        config.encryptionKey = *key;
        warnings->append(QStringLiteral("ENCRYPTION_KEY is not set: %1 the development key in %2")
                             .arg(created ? u"generated" : u"using", secretsDir()));
    }
    return std::nullopt;
}

} // namespace veza::config
