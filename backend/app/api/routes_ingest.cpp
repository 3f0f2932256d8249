// Ingest handlers: 200 with the per-row outcome; 422 (same body, plus the error) when no row passed.
#include "app/api/routes_ingest.hpp"

#include <malloc.h>

#include <fmt/format.h>

#include "app/errors.hpp"
#include "app/services/ingest_service.hpp"

namespace otq::api::routes {
namespace {

void require_json(const http::Request& req) {
  const auto ct = req.headers.get("Content-Type");
  if (!ct || !(ct->starts_with("application/json") || ct->starts_with("Application/JSON"))) {
    throw Error(ErrorCode::invalid_argument, "Send the batch as JSON with Content-Type: application/json.");
  }
}

// A batch's parsed rows take tens of megabytes for a moment. glibc keeps freed memory in each
// worker thread's arena, so without this the process would hold the peak of every thread that
// ever parsed a batch (measured: 308 MB RSS after 240 batches, docs/benchmarks.md).
void release_memory() {
  malloc_trim(0);
}

http::Response outcome(const http::Request& req, nlohmann::json body) {
  if (body["accepted"].get<std::size_t>() > 0) return http::Response::json(200, body);
  body["error"] = {{"code", error_code_name(ErrorCode::unprocessable)},
                   {"message", fmt::format("None of the {} rows was accepted; see 'rejected' for the reasons.",
                                           body["rejected"].size())},
                   {"request_id", req.request_id}};
  return http::Response::json(422, body);
}

}  // namespace

http::Response post_ingest_ad_spend(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  require_json(req);
  auto body = app.ingest.ad_spend(ctx, req.body);
  release_memory();
  return outcome(req, std::move(body));
}

http::Response post_ingest_orders(AppContext& app, http::Request& req, const services::AuthContext& ctx) {
  require_json(req);
  auto body = app.ingest.orders(ctx, req.body);
  release_memory();
  return outcome(req, std::move(body));
}

}  // namespace otq::api::routes
