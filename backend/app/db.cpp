// Pool implementation: lazy connections, bounded waits, broken connections dropped and replaced.
#include "app/db.hpp"

#include <fmt/format.h>

#include "app/logging.hpp"

namespace otq::db {

std::string connection_string(const PoolOptions& options) {
  const std::string& url = options.url;
  const bool is_uri = url.starts_with("postgresql://") || url.starts_with("postgres://");
  std::string extra;
  auto add = [&](std::string_view key, const std::string& value) {
    if (url.find(std::string(key) + "=") != std::string::npos) return;  // the operator's choice wins
    if (is_uri) {
      extra += fmt::format("{}{}={}", (url.find('?') == std::string::npos && extra.empty()) ? "?" : "&", key, value);
    } else {
      extra += fmt::format(" {}={}", key, value);
    }
  };
  add("connect_timeout", std::to_string(options.connect_timeout.count()));
  add("application_name", options.application_name);
  // Detect a vanished server on TCP instead of waiting for the kernel's multi-minute default.
  add("keepalives_idle", "30");
  add("tcp_user_timeout", std::to_string(options.connect_timeout.count() * 2000));
  return url + extra;
}

std::unique_ptr<pqxx::connection> connect(const PoolOptions& options) {
  try {
    auto conn = std::make_unique<pqxx::connection>(connection_string(options));
    pqxx::nontransaction setup(*conn);
    setup.exec0(fmt::format("SET statement_timeout = {}", options.statement_timeout.count()));
    setup.exec0("SET idle_in_transaction_session_timeout = 60000");
    setup.exec0("SET TIME ZONE 'UTC'");
    return conn;
  } catch (const pqxx::broken_connection& e) {
    throw_unavailable(e);
  } catch (const pqxx::sql_error& e) {
    // A server that refuses our session settings (or is in recovery) is unusable for requests.
    throw_unavailable(e);
  }
}

void throw_unavailable(const std::exception& cause) {
  throw Error(ErrorCode::unavailable, "The database is unavailable; try again shortly.", cause.what()).retry_after(2);
}

std::string text_array(const std::vector<std::string>& items) {
  std::string out = "{";
  for (const auto& item : items) out += (out.size() > 1 ? "," : "") + item;
  return out + "}";
}

bool is_statement_timeout(const pqxx::sql_error& e) {
  return e.sqlstate() == "57014";  // query_canceled: statement_timeout fired
}

bool is_connection_failure(const pqxx::sql_error& e) {
  const std::string& state = e.sqlstate();
  return state.starts_with("08") || state.starts_with("57P");
}

Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), conn_(std::move(other.conn_)), fresh_(other.fresh_), broken_(other.broken_) {
  other.pool_ = nullptr;
}

Lease::~Lease() {
  if (pool_ != nullptr && conn_) pool_->release(std::move(conn_), broken_);
}

Pool::Pool(PoolOptions options) : options_(std::move(options)) {}

Pool::~Pool() {
  close();
}

Lease Pool::acquire() {
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + options_.acquire_timeout;
  auto waited = [&] {
    acquire_wait_.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  };
  std::unique_lock lock(mutex_);
  while (true) {
    if (closed_) throw Error(ErrorCode::unavailable, "The service is shutting down; try again shortly.", "pool closed");
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      lock.unlock();
      waited();
      return Lease(this, std::move(conn), false);
    }
    if (open_ < options_.size) {
      ++open_;  // reserve the slot, then connect without holding the lock
      lock.unlock();
      try {
        auto conn = connect(options_);
        waited();
        lock.lock();
        ++created_;
        return Lease(this, std::move(conn), true);
      } catch (...) {
        lock.lock();
        --open_;
        available_.notify_one();
        throw;
      }
    }
    ++waiting_;
    const auto woke = available_.wait_until(lock, deadline);
    --waiting_;
    if (woke == std::cv_status::timeout && idle_.empty() && open_ >= options_.size) {
      ++timeouts_;
      lock.unlock();
      waited();
      throw Error(ErrorCode::unavailable, "The service is busy; try again shortly.",
                  fmt::format("no pooled connection within {} ms (pool size {})", options_.acquire_timeout.count(),
                              options_.size))
          .retry_after(1);
    }
  }
}

void Pool::release(std::unique_ptr<pqxx::connection> conn, bool broken) {
  std::unique_ptr<pqxx::connection> to_close;
  {
    std::lock_guard lock(mutex_);
    if (broken || closed_ || !conn->is_open()) {
      to_close = std::move(conn);
      --open_;
      if (broken) ++discarded_;
    } else {
      idle_.push_back(std::move(conn));
    }
  }
  available_.notify_one();
  if (broken) log::warn("db_connection_discarded", {{"reason", "broken"}});
  to_close.reset();  // closing a socket outside the lock
}

void Pool::close() {
  std::vector<std::unique_ptr<pqxx::connection>> to_close;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    to_close.swap(idle_);
    open_ -= to_close.size();
  }
  available_.notify_all();
}

PoolStats Pool::stats() const {
  std::lock_guard lock(mutex_);
  return PoolStats{open_, idle_.size(), created_, discarded_, waiting_, timeouts_};
}

}  // namespace otq::db
