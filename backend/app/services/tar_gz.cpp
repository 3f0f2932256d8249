#include "app/services/tar_gz.hpp"

#include <zlib.h>

#include <array>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace otq::services {
namespace {

constexpr std::size_t kBlock = 512;

// An octal field of `width` bytes: digits, zero-padded, then NUL.
void octal(char* field, std::size_t width, std::uint64_t value) {
  const std::string digits = fmt::format("{:0{}o}", value, width - 1);
  if (digits.size() > width - 1) throw std::length_error("tar field overflow");
  std::memcpy(field, digits.data(), digits.size());
  field[width - 1] = '\0';
}

std::array<char, kBlock> ustar_header(std::string_view name, std::uint64_t size, std::int64_t mtime) {
  if (name.empty() || name.size() > 100) throw std::length_error("tar entry name must be 1-100 bytes");
  std::array<char, kBlock> h{};
  std::memcpy(h.data(), name.data(), name.size());  // name[100]
  octal(h.data() + 100, 8, 0644);                   // mode
  octal(h.data() + 108, 8, 0);                      // uid
  octal(h.data() + 116, 8, 0);                      // gid
  octal(h.data() + 124, 12, size);                  // size
  octal(h.data() + 136, 12, static_cast<std::uint64_t>(mtime));
  std::memset(h.data() + 148, ' ', 8);  // checksum: spaces while summing
  h[156] = '0';                         // regular file
  std::memcpy(h.data() + 257, "ustar", 6);
  std::memcpy(h.data() + 263, "00", 2);
  std::memcpy(h.data() + 265, "omnitrackiq", 11);  // uname
  std::memcpy(h.data() + 297, "omnitrackiq", 11);  // gname
  unsigned sum = 0;
  for (char c : h) sum += static_cast<unsigned char>(c);
  const std::string chk = fmt::format("{:06o}", sum);
  std::memcpy(h.data() + 148, chk.data(), 6);
  h[154] = '\0';
  h[155] = ' ';
  return h;
}

}  // namespace

struct TarGzWriter::Impl {
  Sink sink;
  std::int64_t mtime;
  z_stream z{};
  bool open = true;
  bool finished = false;
};

TarGzWriter::TarGzWriter(Sink sink, std::int64_t mtime_epoch) : impl_(std::make_unique<Impl>()) {
  impl_->sink = std::move(sink);
  impl_->mtime = mtime_epoch;
  // windowBits 15 + 16: a gzip header and trailer rather than a bare zlib stream.
  if (deflateInit2(&impl_->z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
}

TarGzWriter::~TarGzWriter() {
  deflateEnd(&impl_->z);
}

bool TarGzWriter::deflate_bytes(std::string_view bytes, bool last) {
  Impl& im = *impl_;
  if (!im.open) return false;
  im.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  im.z.avail_in = static_cast<uInt>(bytes.size());
  std::string out;
  std::array<char, 64 * 1024> buffer{};
  int rc = Z_OK;
  do {
    im.z.next_out = reinterpret_cast<Bytef*>(buffer.data());
    im.z.avail_out = static_cast<uInt>(buffer.size());
    rc = deflate(&im.z, last ? Z_FINISH : Z_NO_FLUSH);
    if (rc == Z_STREAM_ERROR) throw std::runtime_error("deflate failed");
    out.append(buffer.data(), buffer.size() - im.z.avail_out);
  } while (im.z.avail_out == 0 || (last && rc != Z_STREAM_END));
  if (!out.empty() && !im.sink(std::move(out))) im.open = false;
  return im.open;
}

bool TarGzWriter::add(std::string_view name, std::string_view content) {
  const auto header = ustar_header(name, content.size(), impl_->mtime);
  if (!deflate_bytes(std::string_view(header.data(), header.size()), false)) return false;
  if (!deflate_bytes(content, false)) return false;
  static constexpr std::array<char, kBlock> kZeros{};
  const std::size_t pad = (kBlock - content.size() % kBlock) % kBlock;
  return deflate_bytes(std::string_view(kZeros.data(), pad), false);
}

bool TarGzWriter::finish() {
  if (impl_->finished) return impl_->open;
  impl_->finished = true;
  static constexpr std::array<char, 2 * kBlock> kEnd{};
  return deflate_bytes(std::string_view(kEnd.data(), kEnd.size()), true);
}

}  // namespace otq::services
