// A small JSON client for HTTP tests against the real server.
#pragma once

#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace otq::testing {

struct ApiResponse {
  int status = 0;
  nlohmann::json body;  ///< null when the body is empty or not JSON
  httplib::Headers headers;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  std::string error_code() const {
    return body.is_object() && body.contains("error") ? body["error"].value("code", "") : "";
  }
};

class ApiClient {
 public:
  explicit ApiClient(int port) : client_("127.0.0.1", port) { client_.set_read_timeout(15, 0); }

  ApiResponse get(const std::string& path, const std::string& token = "", httplib::Headers extra = {}) {
    if (!token.empty()) extra.emplace("Authorization", "Bearer " + token);
    return wrap(client_.Get(path, extra));
  }
  ApiResponse post(const std::string& path, const nlohmann::json& body, const std::string& token = "",
                   httplib::Headers extra = {}) {
    if (!token.empty()) extra.emplace("Authorization", "Bearer " + token);
    return wrap(client_.Post(path, extra, body.dump(), "application/json"));
  }
  httplib::Client& raw() { return client_; }

 private:
  static ApiResponse wrap(const httplib::Result& r) {
    ApiResponse out;
    if (!r) return out;
    out.status = r->status;
    out.headers = r->headers;
    out.body = nlohmann::json::parse(r->body, nullptr, false);
    if (out.body.is_discarded()) out.body = nullptr;
    return out;
  }
  httplib::Client client_;
};

}  // namespace otq::testing
