// libcurl easy interface, one handle per request (connectors are not latency-bound).
#include "app/connectors/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <memory>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "app/logging.hpp"

namespace otq::connectors {
namespace {

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~CurlGlobal() { curl_global_cleanup(); }
};

void ensure_global() {
  static CurlGlobal global;  // thread-safe initialisation before any handle exists
}

struct EasyFree {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistFree {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* out) {
  auto* res = static_cast<HttpResponse*>(out);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {
    res->headers.clear();  // a new response (after a 100 Continue or a redirect)
    return size * n;
  }
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    res->headers[std::string(line.substr(0, colon))] = std::string(value);
  }
  return size * n;
}

bool retryable(long status) {
  return status == 429 || status >= 500;
}

// Query parameters whose values are secrets in some provider's API.
constexpr std::array<std::string_view, 9> kSecretParams{"access_token",  "client_secret",     "code",
                                                        "refresh_token", "fb_exchange_token", "appsecret_proof",
                                                        "consumer_key",  "consumer_secret",   "password"};

}  // namespace

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) < std::tolower(static_cast<unsigned char>(y));
  });
}

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  const auto it = headers.find(name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value) {
  double seconds = 0;
  try {
    std::size_t used = 0;
    seconds = std::stod(std::string(value), &used);
    if (used == 0) return std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;  // an HTTP date: rare from APIs; the exponential back-off applies instead
  }
  if (!(seconds >= 0) || seconds > 86400) return std::nullopt;
  return std::chrono::seconds(static_cast<std::int64_t>(std::ceil(seconds)));
}

HttpClient::HttpClient(std::chrono::seconds timeout, Sleep sleep) : timeout_(timeout), sleep_(std::move(sleep)) {
  if (!sleep_) sleep_ = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
}

std::string HttpClient::encode(std::string_view value) {
  std::string out;
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else {
      out += fmt::format("%{:02X}", u);
    }
  }
  return out;
}

std::string HttpClient::redact(std::string_view url) {
  const auto q = url.find('?');
  if (q == std::string_view::npos) return std::string(url);
  std::string out(url.substr(0, q + 1));
  std::string_view query = url.substr(q + 1);
  bool first = true;
  while (!query.empty()) {
    const auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const auto eq = pair.find('=');
    const std::string_view key = pair.substr(0, eq);
    if (!first) out.push_back('&');
    first = false;
    const bool secret = std::find(kSecretParams.begin(), kSecretParams.end(), key) != kSecretParams.end();
    if (secret && eq != std::string_view::npos) {
      out += std::string(key) + "=REDACTED";
    } else {
      out += std::string(pair);
    }
  }
  return out;
}

HttpResponse HttpClient::send_once(const HttpRequest& request) {
  ensure_global();
  std::unique_ptr<CURL, EasyFree> curl(curl_easy_init());
  if (!curl) throw HttpFailure(0, "could not create an HTTP handle", std::nullopt);
  HttpResponse res;
  std::unique_ptr<curl_slist, SlistFree> headers;
  for (const auto& [k, v] : request.headers) {
    headers.reset(curl_slist_append(headers.release(), fmt::format("{}: {}", k, v).c_str()));
  }
  headers.reset(curl_slist_append(headers.release(), "Expect:"));  // no 100-continue round trip
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count() * 1000));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<long>(10000, timeout_.count() * 1000)));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // provider APIs do not redirect; never follow blindly
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // gzip/deflate as the server offers
  curl_easy_setopt(c, CURLOPT_USERAGENT, "OmniTrackIQ/" OTQ_VERSION);
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(256) * 1024 * 1024);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &res.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &res);
  const auto started = std::chrono::steady_clock::now();
  const CURLcode rc = curl_easy_perform(c);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (rc != CURLE_OK) {
    log::warn("outbound_request_failed", {{"method", request.method},
                                          {"url", redact(request.url)},
                                          {"error", curl_easy_strerror(rc)},
                                          {"duration_ms", std::round(ms)}});
    throw HttpFailure(0, fmt::format("could not reach the provider: {}", curl_easy_strerror(rc)), std::nullopt);
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res.status);
  log::info("outbound_request", {{"method", request.method},
                                 {"url", redact(request.url)},
                                 {"status", res.status},
                                 {"bytes", res.body.size()},
                                 {"duration_ms", std::round(ms)}});
  return res;
}

HttpResponse HttpClient::send(const HttpRequest& request, const RetryPolicy& policy) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  for (int attempt = 1;; ++attempt) {
    std::optional<std::chrono::seconds> retry_after;
    long status = 0;
    std::string message;
    try {
      HttpResponse res = send_once(request);
      if (!retryable(res.status)) return res;
      status = res.status;
      message = fmt::format("the provider answered HTTP {}", res.status);
      if (auto h = res.header("Retry-After")) retry_after = parse_retry_after(*h);
    } catch (const HttpFailure& f) {
      message = f.message;
    }
    if (attempt >= policy.max_attempts || (retry_after && *retry_after > policy.max_delay)) {
      throw HttpFailure(status, message, retry_after);
    }
    std::chrono::milliseconds wait;
    if (retry_after) {
      wait = *retry_after;
    } else {
      // Exponential with equal jitter.
      const auto full = std::min<std::int64_t>(policy.base_delay.count() << std::min(attempt - 1, 20),
                                               std::chrono::milliseconds(policy.max_delay).count());
      std::uniform_int_distribution<std::int64_t> jitter(0, std::max<std::int64_t>(full / 2, 0));
      wait = std::chrono::milliseconds(full / 2 + jitter(rng));
    }
    log::info("outbound_retry", {{"url", redact(request.url)}, {"attempt", attempt}, {"wait_ms", wait.count()}});
    sleep_(wait);
  }
}

}  // namespace otq::connectors
