// FloodGenerator: refuses any target off loopback, and really sprays from
// the spoofed sources it promises (a UDP socket on 127.0.0.1 sees them).
// The spray test needs root or CAP_NET_RAW and FAILS without it.
#include "testing/flood/flood_generator.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <set>
#include <thread>

namespace p2pquic::testing {
namespace {

FloodSettings Valid() {
  FloodSettings s;
  s.target = SocketAddress::Loopback4(4433);
  s.payload = FloodPayload::kShortHeader;
  s.size = 100;
  s.sources = 500;
  s.prefixes = 50;
  s.count = 2000;
  s.max_duration = std::chrono::milliseconds(5000);
  return s;
}

TEST(FloodGeneratorTest, RefusesEveryTargetOffLoopbackAndBadSettings) {
  EXPECT_EQ(CheckFloodSettings(Valid()), FloodStatus::kOk);
  FloodSettings s = Valid();
  s.target = SocketAddress::Ipv4({10, 0, 0, 1}, 4433);
  EXPECT_EQ(CheckFloodSettings(s), FloodStatus::kTargetNotLoopback);
  s.target = SocketAddress::Ipv4({128, 0, 0, 1}, 4433);
  EXPECT_EQ(CheckFloodSettings(s), FloodStatus::kTargetNotLoopback);
  EXPECT_EQ(FloodGenerator(s).Run().status, FloodStatus::kTargetNotLoopback)
      << "Run checks too, before it opens a socket";
  s.target = SocketAddress::Ipv6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 4433);
  EXPECT_EQ(CheckFloodSettings(s), FloodStatus::kTargetNotIpv4);
  s = Valid();
  s.prefixes = 501;
  EXPECT_EQ(CheckFloodSettings(s), FloodStatus::kBadPrefixes);
  s = Valid();
  s.sources = 0;
  EXPECT_EQ(CheckFloodSettings(s), FloodStatus::kBadSources);
  s = Valid();
  s.payload = FloodPayload::kCapturedInitial;
  EXPECT_EQ(CheckFloodSettings(s), FloodStatus::kEmptyInitial);
  s = Valid();
  s.size = 1501;
  EXPECT_EQ(CheckFloodSettings(s), FloodStatus::kBadSize);
  s = Valid();
  s.max_duration = std::chrono::milliseconds(0);
  EXPECT_EQ(CheckFloodSettings(s), FloodStatus::kNoLimit);
  EXPECT_NE(std::string(ToString(FloodStatus::kTargetNotLoopback)).find("loopback"),
            std::string::npos);
}

TEST(FloodGeneratorTest, SourcesSpreadOverTheirPrefixesAndNeverTheRealPeers) {
  const FloodGenerator generator(Valid());
  std::set<SocketAddress, bool (*)(const SocketAddress&, const SocketAddress&)> sources(
      [](const SocketAddress& a, const SocketAddress& b) { return a.ToString() < b.ToString(); });
  std::set<uint32_t> prefixes;
  for (uint64_t n = 0; n < 1000; ++n) {
    const SocketAddress a = generator.SourceOf(n);
    const auto bytes = a.address_bytes();
    ASSERT_EQ(bytes[0], 127);
    ASSERT_NE(bytes[1], 0) << "127.0.0.0/24 is the real peers'";
    sources.insert(a);
    prefixes.insert(bytes[1] << 8 | bytes[2]);
  }
  EXPECT_EQ(sources.size(), 500u);
  EXPECT_EQ(prefixes.size(), 50u);
  EXPECT_EQ(generator.SourceOf(0), generator.SourceOf(500)) << "sources repeat in a cycle";
}

TEST(FloodGeneratorTest, SpraysFromSpoofedSourcesToAUdpSocket) {
  ASSERT_EQ(geteuid(), 0u) << "the flood generator needs root (raw socket): run this as root";
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  ASSERT_GE(fd, 0);
  const int buffer = 8 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof(buffer));
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof(local)), 0);
  socklen_t length = sizeof(local);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length), 0);

  FloodSettings s = Valid();
  s.target = SocketAddress::Loopback4(ntohs(local.sin_port));
  s.per_second = 20000;  // Well under what the receive buffer absorbs.
  const FloodResult result = FloodGenerator(s).Run();
  ASSERT_EQ(result.status, FloodStatus::kOk) << result.error;
  EXPECT_EQ(result.sent, 2000u);

  std::set<std::string> sources;
  uint64_t received = 0;
  uint64_t short_headers = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (received < result.sent && std::chrono::steady_clock::now() < deadline) {
    uint8_t datagram[2048];
    sockaddr_storage from{};
    socklen_t from_length = sizeof(from);
    const ssize_t n = recvfrom(fd, datagram, sizeof(datagram), 0,
                               reinterpret_cast<sockaddr*>(&from), &from_length);
    if (n < 0) {
      pollfd p{fd, POLLIN, 0};
      poll(&p, 1, 100);
      continue;
    }
    ++received;
    EXPECT_EQ(n, 100);
    if ((datagram[0] & 0xc0) == 0x40) ++short_headers;
    sources.insert(
        SocketAddress::FromSockaddr(reinterpret_cast<sockaddr*>(&from), from_length).ToString());
  }
  close(fd);
  EXPECT_EQ(received, 2000u);
  EXPECT_EQ(short_headers, received) << "form bit clear, fixed bit set";
  EXPECT_EQ(sources.size(), 500u);
}

}  // namespace
}  // namespace p2pquic::testing
