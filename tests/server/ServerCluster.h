#pragma once

#include "ServerProcess.h"
#include "support/PostgresHarness.h"
#include "support/RedisHarness.h"

#include <QHash>
#include <memory>
#include <vector>

namespace veza::testing {

// Instances of the real veza-server on one PostgreSQL and one Redis (DATABASE_URL and
// REDIS_URL the same for all, one JWT secret and encryption key), as a deployment runs them
// behind a load balancer; all started here. Test main thread.
class ServerCluster
{
public:
    // PostgreSQL, Redis, then `count` instances with `environment` besides; false (see
    // errorString()) when one does not start.
    bool start(int count, const QHash<QString, QString> &environment = {});
    QString errorString() const { return m_error; }

    ServerProcess &server(int index) { return *m_servers.at(size_t(index)); }
    int size() const { return int(m_servers.size()); }
    RedisHarness &redis() { return m_redis; }

private:
    PostgresHarness m_postgres;
    RedisHarness m_redis;
    std::vector<std::unique_ptr<ServerProcess>> m_servers;
    QString m_error;
};

} // namespace veza::testing
