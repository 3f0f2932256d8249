// Reads mails the server queued in outbox_emails (tests follow links instead of a mailbox).
#pragma once

#include <string>

#include <pqxx/pqxx>

#include "tests/support/pg.hpp"

namespace otq::testing {

/// The token in the newest mail to `to` whose link starts with `link` ("…/invite"), or "".
inline std::string mailed_token(const TestDatabase& db, const std::string& to, const std::string& link) {
  pqxx::connection c(db.url());
  pqxx::work tx(c);
  const auto rows = tx.exec_params(
      "SELECT body_text FROM outbox_emails WHERE lower(to_email) = lower($1) ORDER BY id DESC LIMIT 1", to);
  if (rows.empty()) return "";
  const std::string body = rows[0][0].as<std::string>();
  const auto at = body.find(link + "?token=");
  if (at == std::string::npos) return "";
  const auto start = at + link.size() + 7;
  const auto end = body.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", start);
  return body.substr(start, end - start);
}

}  // namespace otq::testing
