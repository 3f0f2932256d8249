// A small JSON client for HTTP tests against the real server.
#pragma once

#include <string>

#include <gtest/gtest.h>
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
  /// Any method; PATCH and DELETE carry a JSON body too.
  ApiResponse send(const std::string& method, const std::string& path, const std::string& token,
                   const nlohmann::json& body = nlohmann::json::object()) {
    if (method == "GET") return get(path, token);
    if (method == "POST") return post(path, body, token);
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    return wrap(method == "PATCH" ? client_.Patch(path, h, body.dump(), "application/json")
                                  : client_.Delete(path, h, body.dump(), "application/json"));
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

inline const std::string kTestPassword = "a-Decent-passphrase";

/// A user who signed up through the API: a session token and the public ids.
struct Person {
  std::string token, user_id, account_id;
};

/// Signs up `email` (account named after it unless given); fails the test on anything but 201.
inline Person signup(ApiClient& api, const std::string& email, const std::string& account_name = "") {
  const auto r = api.post(
      "/api/v1/auth/signup",
      {{"email", email}, {"password", kTestPassword}, {"account_name", account_name.empty() ? email : account_name}});
  EXPECT_EQ(r.status, 201) << r.body;
  if (r.status != 201) return {};
  return {r.body["access_token"], r.body["user"]["id"], r.body["account"]["id"]};
}

}  // namespace otq::testing
