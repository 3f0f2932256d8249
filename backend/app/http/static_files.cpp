// StaticFiles: recursive load, MIME types, Next.js export path resolution.
#include "app/http/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

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
  for (const auto& [_, f] : files_) total += f.content.size();
  return total;
}

}  // namespace otq::http
