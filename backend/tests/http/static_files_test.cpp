// Static files: which Accept-Encoding values get gzip, and that the compressed variant is the file.
#include "app/http/static_files.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

namespace otq::http {
namespace {

std::string gunzip(const std::string& packed) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
  z.avail_in = static_cast<uInt>(packed.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

TEST(AcceptsGzip, FollowsTheHeadersCodingsAndQValues) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("gzip, deflate, br, zstd"));
  EXPECT_TRUE(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("br, deflate"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip; q=0.000"));
  EXPECT_FALSE(accepts_gzip("*, gzip;q=0")) << "a named refusal beats the wildcard";
  EXPECT_FALSE(accepts_gzip("*;q=0"));
  EXPECT_FALSE(accepts_gzip("gzipx"));
}

TEST(StaticFilesLoad, CompressesTextWorthCompressingAndLeavesTheRest) {
  const auto dir = std::filesystem::temp_directory_path() / "otq-static-gzip-test";
  std::filesystem::create_directories(dir);
  std::string script;
  for (int i = 0; i < 200; ++i) script += "console.log('line " + std::to_string(i) + "');\n";
  std::ofstream(dir / "app.js") << script;
  std::ofstream(dir / "tiny.css") << "a{color:red}";
  std::ofstream(dir / "logo.png") << std::string(4096, 'x');
  const auto files = StaticFiles::load(dir.string());

  const StaticFile* js = files.find("/app.js");
  ASSERT_NE(js, nullptr);
  ASSERT_FALSE(js->gzip.empty());
  EXPECT_LT(js->gzip.size(), js->content.size() / 4);
  EXPECT_EQ(gunzip(js->gzip), script);
  EXPECT_NE(js->gzip_etag, js->etag);
  EXPECT_TRUE(files.find("/tiny.css")->gzip.empty()) << "under 512 bytes: not worth a header";
  EXPECT_TRUE(files.find("/logo.png")->gzip.empty()) << "images are compressed already";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace otq::http
