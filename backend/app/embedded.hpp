// Files compiled into the binary at build time (see backend/cmake/embed_files.cmake).
#pragma once

#include <span>
#include <string_view>

namespace otq::embedded {

/// One file's name (without directory) and its full content.
struct EmbeddedFile {
  std::string_view name;
  std::string_view content;
};

/// backend/migrations/*.sql, sorted by file name.
std::span<const EmbeddedFile> migration_files();

/// backend/app/api/openapi.json, verbatim.
std::string_view openapi_document();

/// The 10,000 most common passwords, lower case, one per line (see cmake/extract_common_passwords.pl).
std::string_view common_passwords();

/// config/plans.json, verbatim: the plan catalogue when BILLING_PLANS_FILE is unset.
std::string_view default_plans();

}  // namespace otq::embedded
