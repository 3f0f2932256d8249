// A bounded PostgreSQL connection pool over libpqxx, and the transaction helper every repository uses.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

#include <pqxx/pqxx>

#include "app/errors.hpp"
#include "app/telemetry.hpp"

namespace otq::db {

struct PoolOptions {
  std::string url;
  std::size_t size = 10;
  std::chrono::seconds connect_timeout{5};
  std::chrono::milliseconds acquire_timeout{2000};
  std::chrono::milliseconds statement_timeout{10000};
  std::string application_name = "omnitrackiq";
};

/// libpq's URL with connect_timeout and application_name added (keeps the caller's own values).
std::string connection_string(const PoolOptions& options);

/// Opens one connection with the pool's session settings. Throws Error{unavailable} on failure.
std::unique_ptr<pqxx::connection> connect(const PoolOptions& options);

/// Pool statistics for logs and tests.
struct PoolStats {
  std::size_t open = 0;       ///< connections currently open (idle + leased)
  std::size_t idle = 0;       ///< open and waiting in the pool
  std::size_t created = 0;    ///< connections opened since start
  std::size_t discarded = 0;  ///< connections dropped because they broke
  std::size_t waiting = 0;    ///< callers blocked in acquire()
  std::size_t timeouts = 0;   ///< acquire() calls that gave up after acquire_timeout
};

class Pool;

/// A borrowed connection; returns itself to the pool when destroyed.
class Lease {
 public:
  Lease(Lease&& other) noexcept;
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease();

  pqxx::connection& connection() { return *conn_; }
  /// True when the connection was opened for this lease rather than reused from idle.
  bool fresh() const { return fresh_; }
  /// Marks the connection broken: it is closed instead of returned.
  void discard() { broken_ = true; }

 private:
  friend class Pool;
  Lease(Pool* pool, std::unique_ptr<pqxx::connection> conn, bool fresh)
      : pool_(pool), conn_(std::move(conn)), fresh_(fresh) {}
  Pool* pool_;
  std::unique_ptr<pqxx::connection> conn_;
  bool fresh_;
  bool broken_ = false;
};

/// At most `size` connections, opened lazily. A connection that breaks (PostgreSQL restarted) is
/// dropped and replaced on the next acquire, so the process recovers without a restart.
class Pool {
 public:
  explicit Pool(PoolOptions options);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /// Waits up to acquire_timeout for a connection. Throws Error{unavailable} when none frees up
  /// or PostgreSQL cannot be reached, or after close().
  Lease acquire();

  /// Runs `fn(pqxx::work&)` in a transaction and commits. If a connection taken from idle turns
  /// out to be dead (server restarted since it was last used), the transaction is retried once on
  /// a new connection; nothing had been committed, so the retry is safe as long as `fn` has no
  /// effects outside the database. Connection loss maps to Error{unavailable}, a statement timeout
  /// to Error{unavailable}; other database errors propagate.
  template <typename Fn>
  auto transact(Fn&& fn) -> std::invoke_result_t<Fn&, pqxx::work&>;

  /// Same as transact for `fn(pqxx::read_transaction&)`: BEGIN READ ONLY, in one round trip.
  template <typename Fn>
  auto read(Fn&& fn) -> std::invoke_result_t<Fn&, pqxx::read_transaction&>;

  /// For a single read on a hot path: `fn(pqxx::nontransaction&)` with no BEGIN/COMMIT around it
  /// (each statement is its own snapshot), saving two round trips. Same retry and error mapping.
  template <typename Fn>
  auto once(Fn&& fn) -> std::invoke_result_t<Fn&, pqxx::nontransaction&>;

  /// Refuses new leases and closes idle connections; leases still out close when returned.
  void close();

  PoolStats stats() const;
  const PoolOptions& options() const { return options_; }
  /// How long each acquire() waited for a connection (opening one included), in seconds.
  const telemetry::Histogram& acquire_wait() const { return acquire_wait_; }

 private:
  friend class Lease;
  void release(std::unique_ptr<pqxx::connection> conn, bool broken);

  template <typename Tx, typename Fn>
  auto run(Fn& fn) -> std::invoke_result_t<Fn&, Tx&>;

  PoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  std::size_t open_ = 0;
  std::size_t created_ = 0;
  std::size_t discarded_ = 0;
  std::size_t waiting_ = 0;
  std::size_t timeouts_ = 0;
  bool closed_ = false;
  telemetry::Histogram acquire_wait_;
};

/// Throws Error{unavailable} carrying `cause` as the log detail.
[[noreturn]] void throw_unavailable(const std::exception& cause);
/// A PostgreSQL text[] literal ("{a,b}") of plain identifiers (no commas, quotes or braces).
std::string text_array(const std::vector<std::string>& items);

bool is_statement_timeout(const pqxx::sql_error& e);
/// SQLSTATE class 08 (connection exception) or 57P0x (server shutting down / starting up).
bool is_connection_failure(const pqxx::sql_error& e);

template <typename Tx, typename Fn>
auto Pool::run(Fn& fn) -> std::invoke_result_t<Fn&, Tx&> {
  for (int attempt = 0;; ++attempt) {
    Lease lease = acquire();
    try {
      Tx tx(lease.connection());
      if constexpr (std::is_void_v<std::invoke_result_t<Fn&, Tx&>>) {
        fn(tx);
        tx.commit();
        return;
      } else {
        auto result = fn(tx);
        tx.commit();
        return result;
      }
    } catch (const pqxx::in_doubt_error& e) {
      lease.discard();
      throw Error(ErrorCode::unavailable, "The database connection was lost while saving; check before retrying.",
                  e.what());
    } catch (const pqxx::broken_connection& e) {
      lease.discard();
      if (attempt == 0 && !lease.fresh()) continue;  // stale idle connection: one retry on a new one
      throw_unavailable(e);
    } catch (const pqxx::sql_error& e) {
      if (is_connection_failure(e)) {
        lease.discard();
        if (attempt == 0 && !lease.fresh()) continue;
        throw_unavailable(e);
      }
      if (is_statement_timeout(e)) {
        throw Error(ErrorCode::unavailable, "The database took too long to answer; try again or narrow the request.",
                    e.what());
      }
      throw;
    } catch (const pqxx::failure& e) {
      // libpqxx reports some losses as a plain failure (a COPY whose server went away: "Error
      // writing to table"): when the connection is gone, it is the same outage as above.
      if (lease.connection().is_open()) throw;
      lease.discard();
      if (attempt == 0 && !lease.fresh()) continue;
      throw_unavailable(e);
    }
  }
}

template <typename Fn>
auto Pool::transact(Fn&& fn) -> std::invoke_result_t<Fn&, pqxx::work&> {
  return run<pqxx::work>(fn);
}

template <typename Fn>
auto Pool::once(Fn&& fn) -> std::invoke_result_t<Fn&, pqxx::nontransaction&> {
  return run<pqxx::nontransaction>(fn);
}

template <typename Fn>
auto Pool::read(Fn&& fn) -> std::invoke_result_t<Fn&, pqxx::read_transaction&> {
  return run<pqxx::read_transaction>(fn);
}

}  // namespace otq::db
