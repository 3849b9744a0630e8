#include "ops/DatabaseHeartbeats.h"

#include "ops/ThreadWatchdog.h"
#include "storage/Database.h"

namespace veza::ops {

void watchDatabaseWorkers(ThreadWatchdog &watchdog, storage::Database &database)
{
    std::vector<std::shared_ptr<ThreadHeartbeat>> workers;
    for (int i = 0; i < database.workerCount(); ++i) {
        workers.push_back(watchdog.add(QStringLiteral("veza-db-%1").arg(i)));
        workers.back()->rest();
    }
    database.setWorkerObserver([workers = std::move(workers)](int worker, bool busy) {
        ThreadHeartbeat &heartbeat = *workers.at(size_t(worker));
        if (busy)
            heartbeat.beat();
        else
            heartbeat.rest();
    });
}

} // namespace veza::ops
