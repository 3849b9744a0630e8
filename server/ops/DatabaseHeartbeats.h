#pragma once

namespace veza::storage {
class Database;
}

namespace veza::ops {

class ThreadWatchdog;

// Gives each database worker a heartbeat in `watchdog`, named as its thread (veza-db-N): it
// beats as the worker takes a job and rests once the job is done, so an idle worker is never
// stalled and one held by a single job past the stall limit is. Call before Database::open().
void watchDatabaseWorkers(ThreadWatchdog &watchdog, storage::Database &database);

} // namespace veza::ops
