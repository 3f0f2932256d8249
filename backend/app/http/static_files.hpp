// The built frontend (Next.js static export), read into memory at start-up and served from there.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace otq::http {

struct StaticFile {
  std::string content;
  std::string content_type;
  std::string etag;        ///< strong ETag from the content hash
  bool immutable = false;  ///< under /_next/static/: content-hashed names, cacheable for a year
  std::string gzip;        ///< the content gzip-compressed at load, when text and worth it; else empty
  std::string gzip_etag;   ///< a variant has its own validator (RFC 9110 8.8.3)
};

/// Requests can only reach files that were present at start-up: lookups go to a map, never to
/// the file system, so path traversal has nothing to traverse.
class StaticFiles {
 public:
  /// Loads every regular file under `dir` (recursively). A missing dir gives an empty set.
  static StaticFiles load(const std::string& dir);

  /// Resolves a decoded URL path like Next's export does: exact file, then `.html`, then `/index.html`.
  const StaticFile* find(std::string_view path) const;

  /// The export's 404 page, if it has one.
  const StaticFile* not_found_page() const;

  std::size_t size() const { return files_.size(); }
  std::size_t bytes() const;

 private:
  std::map<std::string, StaticFile, std::less<>> files_;
};

/// Whether an Accept-Encoding header value accepts gzip (by name or `*`, with a q-value above 0).
bool accepts_gzip(std::string_view accept_encoding);

/// gzip (RFC 1952) of `data` at the best compression; throws std::runtime_error if zlib fails.
std::string gzip_compress(std::string_view data);

/// Content-Type for a file name, by extension.
std::string_view content_type_for(std::string_view name);

}  // namespace otq::http
