// Request and response helpers: headers, query parsing, JSON bodies.
#include "app/http/message.hpp"

#include <stdexcept>

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "app/errors.hpp"
#include "app/json_input.hpp"

namespace otq::http {
namespace {
bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string_view method_name(Method m) {
  switch (m) {
    case Method::get: return "GET";
    case Method::head: return "HEAD";
    case Method::post: return "POST";
    case Method::put: return "PUT";
    case Method::patch: return "PATCH";
    case Method::del: return "DELETE";
    case Method::options: return "OPTIONS";
    case Method::other: return "OTHER";
  }
  return "OTHER";
}

Method parse_method(std::string_view name) {
  if (name == "GET") return Method::get;
  if (name == "HEAD") return Method::head;
  if (name == "POST") return Method::post;
  if (name == "PUT") return Method::put;
  if (name == "PATCH") return Method::patch;
  if (name == "DELETE") return Method::del;
  if (name == "OPTIONS") return Method::options;
  return Method::other;
}

void Headers::add(std::string name, std::string value) {
  items_.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& [k, v] : items_) {
    if (iequals(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      const int hi = hex_value(in[i + 1]);
      const int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    const auto eq = pair.find('=');
    const auto key = percent_decode(pair.substr(0, eq), true);
    if (key && *key == name) {
      if (eq == std::string_view::npos) return std::string{};
      auto value = percent_decode(pair.substr(eq + 1), true);
      if (!value)
        throw Error(ErrorCode::invalid_argument, fmt::format("Query parameter '{}' has a bad %-escape.", name));
      return value;
    }
  }
  return std::nullopt;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  const auto header = headers.get("Cookie");
  if (!header) return std::nullopt;
  std::string_view rest = *header;
  while (!rest.empty()) {
    const auto semi = rest.find(';');
    std::string_view pair = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
  }
  return std::nullopt;
}

namespace {

// PostgreSQL's text and jsonb cannot hold U+0000 (libpq would cut the string there, jsonb refuses
// it), so no string or key of a request may carry one. Walked with a stack of its own: bodies can
// nest deeper than the thread's stack allows recursion.
void reject_nul_characters(const nlohmann::json& root) {
  const auto refuse = [] {
    throw Error(ErrorCode::invalid_argument, "Text in the request body must not contain NUL characters (\\u0000).");
  };
  std::vector<const nlohmann::json*> pending{&root};
  while (!pending.empty()) {
    const nlohmann::json* v = pending.back();
    pending.pop_back();
    if (v->is_string()) {
      if (v->get_ref<const std::string&>().find('\0') != std::string::npos) refuse();
    } else if (v->is_object()) {
      for (auto it = v->begin(); it != v->end(); ++it) {
        if (it.key().find('\0') != std::string::npos) refuse();
        pending.push_back(&it.value());
      }
    } else if (v->is_array()) {
      for (const auto& item : *v) pending.push_back(&item);
    }
  }
}

}  // namespace

nlohmann::json Request::json_object() const {
  if (auto ct = headers.get("Content-Type"); ct && !ct->empty()) {
    std::string lowered(*ct);
    std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!lowered.starts_with("application/json")) {
      throw Error(ErrorCode::invalid_argument, "Send the body as JSON with Content-Type: application/json.");
    }
  }
  if (body.empty()) throw Error(ErrorCode::invalid_argument, "The request body is empty; a JSON object is expected.");
  nlohmann::json parsed;
  try {
    parsed = nlohmann::json::parse(body, [](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
      if (depth >= kMaxJsonDepth) {  // depth counts from 0 at the outermost value
        throw Error(ErrorCode::invalid_argument,
                    fmt::format("The request body nests deeper than {} levels.", kMaxJsonDepth));
      }
      return true;
    });
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(ErrorCode::invalid_argument,
                fmt::format("The request body is not valid JSON (error at byte {}).", e.byte), e.what());
  } catch (const nlohmann::json::exception& e) {  // out_of_range: a number beyond a double (1e400)
    throw Error(ErrorCode::invalid_argument, "The request body holds a number too large to read.", e.what());
  }
  if (!parsed.is_object()) throw Error(ErrorCode::invalid_argument, "The request body must be a JSON object.");
  reject_nul_characters(parsed);
  return parsed;
}

Response Response::json(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response Response::empty(int status) {
  Response r;
  r.status = status;
  r.content_type.clear();
  return r;
}

Response& Response::header(std::string name, std::string value) {
  const auto unsafe = [](const std::string& s) {
    return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos;
  };
  if (unsafe(name) || unsafe(value))
    throw std::invalid_argument("header '" + name.substr(0, 40) + "' holds CR, LF or NUL");
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

}  // namespace otq::http
