// The ingest API: batches of spend and order rows from n8n and custom sources.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "app/db.hpp"
#include "app/services/auth_service.hpp"

namespace otq::services {

class IngestService {
 public:
  explicit IngestService(db::Pool& pool) : pool_(pool) {}

  /// `{"accepted", "rejected": [{"index", "errors"}], "inserted", "updated", "unchanged"}`. Good
  /// rows are stored in one transaction (all of them or, on a database failure, none); bad rows
  /// are listed with every reason. Throws for a body that is not a batch (see schemas::ingest).
  nlohmann::json ad_spend(const AuthContext& ctx, std::string_view body);
  nlohmann::json orders(const AuthContext& ctx, std::string_view body);

 private:
  db::Pool& pool_;
};

}  // namespace otq::services
