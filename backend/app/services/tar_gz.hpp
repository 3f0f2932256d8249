// A .tar.gz written as it goes: each file is one ustar entry, the whole stream gzip-compressed,
// and every compressed piece handed to a sink (a chunked HTTP response, a file). Memory is one
// file's content plus zlib's window.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace otq::services {

class TarGzWriter {
 public:
  /// `sink` receives compressed bytes; returning false (the client went away) stops the writer:
  /// later calls do nothing and return false.
  using Sink = std::function<bool(std::string)>;
  TarGzWriter(Sink sink, std::int64_t mtime_epoch);
  ~TarGzWriter();
  TarGzWriter(const TarGzWriter&) = delete;
  TarGzWriter& operator=(const TarGzWriter&) = delete;

  /// Adds a regular file (mode 0644). `name` is a relative path of at most 100 bytes.
  bool add(std::string_view name, std::string_view content);
  /// Writes the end-of-archive blocks and the gzip trailer.
  bool finish();

 private:
  bool deflate_bytes(std::string_view bytes, bool last);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace otq::services
