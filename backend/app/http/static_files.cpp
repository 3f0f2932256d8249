// StaticFiles: recursive load, MIME types, Next.js export path resolution.
#include "app/http/static_files.hpp"

#include <zlib.h>

#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "app/security/digest.hpp"

namespace otq::http {

std::string_view content_type_for(std::string_view name) {
  const auto dot = name.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "gif") return "image/gif";
  if (ext == "webp") return "image/webp";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "woff") return "font/woff";
  if (ext == "webmanifest") return "application/manifest+json";
  return "application/octet-stream";
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool compressible(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type.starts_with("application/json") ||
         content_type.starts_with("image/svg+xml") || content_type.starts_with("application/manifest+json");
}

}  // namespace

bool accepts_gzip(std::string_view header) {
  bool star = false;
  std::optional<bool> named;
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    const auto semi = item.find(';');
    const std::string_view coding = trim(item.substr(0, semi));
    bool allowed = true;
    if (semi != std::string_view::npos) {
      std::string_view param = trim(item.substr(semi + 1));
      if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
        param = trim(param.substr(2));
        // q=0, q=0.0, q=0.000: refused; anything else above zero: accepted.
        allowed = param.find_first_not_of("0.") != std::string_view::npos;
      }
    }
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) named = allowed;
    if (coding == "*") star = allowed;
  }
  return named.value_or(star);
}

std::string gzip_compress(std::string_view data) {
  z_stream z{};
  // 15 window bits + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("gzip: deflateInit2 failed");
  }
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("gzip: deflate did not finish");
  return out;
}

StaticFiles StaticFiles::load(const std::string& dir) {
  namespace fs = std::filesystem;
  StaticFiles out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    const std::string url = "/" + fs::relative(it->path(), dir).generic_string();
    StaticFile f;
    f.content = buf.str();
    f.content_type = std::string(content_type_for(url));
    f.etag = "\"" + security::sha256_hex(f.content).substr(0, 32) + "\"";
    f.immutable = url.starts_with("/_next/static/");
    // Compressed once here, served to every client that accepts it: the export's JavaScript
    // shrinks to about a quarter. Tiny files and ones that do not shrink are sent as they are.
    if (compressible(f.content_type) && f.content.size() >= 512) {
      std::string packed = gzip_compress(f.content);
      if (packed.size() + 64 < f.content.size()) {
        f.gzip = std::move(packed);
        f.gzip_etag = f.etag.substr(0, f.etag.size() - 1) + "-gz\"";
      }
    }
    out.files_.emplace(url, std::move(f));
  }
  return out;
}

const StaticFile* StaticFiles::find(std::string_view path) const {
  std::string p(path);
  if (p.empty() || p.front() != '/') return nullptr;
  if (p.ends_with("/")) p.pop_back();
  for (const std::string& candidate : {p, p + ".html", p + "/index.html"}) {
    if (auto it = files_.find(candidate); it != files_.end()) return &it->second;
  }
  return nullptr;
}

const StaticFile* StaticFiles::not_found_page() const {
  if (auto it = files_.find("/404.html"); it != files_.end()) return &it->second;
  return nullptr;
}

std::size_t StaticFiles::bytes() const {
  std::size_t total = 0;
  for (const auto& [_, f] : files_) total += f.content.size() + f.gzip.size();
  return total;
}

}  // namespace otq::http
