// The CSV export against a client that stops reading: the server stays bounded and still shuts
// down when asked (a stream waiting on a dead socket must not hold the process forever).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>

#include <gtest/gtest.h>

#include "tests/support/api_client.hpp"
#include "tests/support/pg.hpp"
#include "tests/support/process.hpp"

namespace otq::testing {
namespace {

TEST(MetricsExport, AStalledDownloadDoesNotBlockShutdown) {
  TestDatabase db;
  const auto seeded = run_binary({"seed-demo", "--orders", "40000", "--days", "60", "--password", "stalled-export-pw"},
                                 {{"DATABASE_URL", db.url()}, {"LOG_LEVEL", "warn"}});
  ASSERT_EQ(seeded.first, 0) << seeded.second;
  auto server = start_server(db.url(), {{"SHUTDOWN_TIMEOUT_SECONDS", "1"}});
  ApiClient api(server.port);
  const auto login =
      api.post("/api/v1/auth/login", {{"email", "demo@omnitrackiq.test"}, {"password", "stalled-export-pw"}});
  ASSERT_EQ(login.status, 200) << login.body;

  // A client with a tiny receive window that never reads: the export cannot drain.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  const int window = 4096;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &window, sizeof window);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(server.port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  // The default range (the last 30 days) holds about half of the 40,000 orders: ~4 MB of CSV.
  const std::string all = "GET /api/v1/metrics/orders.csv HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " +
                          login.body["access_token"].get<std::string>() + "\r\n\r\n";
  ASSERT_EQ(::write(fd, all.data(), all.size()), static_cast<ssize_t>(all.size()));
  ASSERT_TRUE(server.process->wait_for_line([](const std::string& line) {
    return line.find("/api/v1/metrics/orders.csv") != std::string::npos;
  })) << "the export started";

  server.process->signal(SIGTERM);
  const auto code = server.process->wait_exit(std::chrono::seconds(15));
  ::close(fd);
  ASSERT_TRUE(code.has_value()) << "the server hung on the stalled export:\n" << server.process->output();
  EXPECT_EQ(*code, 0);
}

}  // namespace
}  // namespace otq::testing
