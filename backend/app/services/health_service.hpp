// Readiness: can this process serve requests that need the database?
#pragma once

#include <cstddef>

#include "app/db.hpp"

namespace otq::services {

struct Readiness {
  bool database_reachable = false;
  bool migrations_current = false;
  std::size_t applied_migrations = 0;
  std::size_t pending_migrations = 0;
  std::size_t changed_migrations = 0;
};

/// Asks PostgreSQL (through the pool, so a dead connection is replaced) for the migration state.
Readiness check_readiness(db::Pool& pool);

}  // namespace otq::services
