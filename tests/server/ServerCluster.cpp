#include "ServerCluster.h"

namespace veza::testing {

bool ServerCluster::start(int count, const QHash<QString, QString> &environment)
{
    if (!m_postgres.start()) {
        m_error = m_postgres.errorString();
        return false;
    }
    if (!m_redis.start()) {
        m_error = m_redis.errorString();
        return false;
    }
    for (int i = 0; i < count; ++i) {
        auto server = std::make_unique<ServerProcess>();
        server->setEnv(QStringLiteral("DATABASE_URL"), m_postgres.url());
        server->setEnv(QStringLiteral("REDIS_URL"), m_redis.url());
        server->setEnv(QStringLiteral("JWT_SECRET"),
                       QStringLiteral("cluster-test-secret-0123456789abcdefghij"));
        server->setEnv(QStringLiteral("ENCRYPTION_KEY"), QString(64, u'7'));
        for (auto it = environment.cbegin(); it != environment.cend(); ++it)
            server->setEnv(it.key(), it.value());
        if (!server->start()) {
            m_error = server->diagnostics();
            return false;
        }
        m_servers.push_back(std::move(server));
    }
    return true;
}

} // namespace veza::testing
