// Readiness check against the pool and the embedded migrations.
#include "app/services/health_service.hpp"

#include "app/logging.hpp"
#include "app/migrate.hpp"

namespace otq::services {

Readiness check_readiness(db::Pool& pool) {
  Readiness r;
  try {
    const migrate::Status st =
        pool.read([](pqxx::read_transaction& tx) { return migrate::status(tx, migrate::embedded()); });
    r.database_reachable = true;
    r.migrations_current = st.current();
    r.applied_migrations = st.applied;
    r.pending_migrations = st.pending.size();
    r.changed_migrations = st.changed.size();
  } catch (const Error& e) {
    log::warn("not_ready", {{"detail", e.internal_detail()}});
  }
  return r;
}

}  // namespace otq::services
