#include "transport/base/socket_address.h"

#include <absl/hash/hash.h>
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <array>
#include <cstring>
#include <string>
#include <vector>

namespace p2pquic {
namespace {

// A sentinel that no parse below produces, to check that errors leave `out` alone.
const SocketAddress kSentinel = SocketAddress::Ipv4({203, 0, 113, 77}, 4242);

AddressParseStatus ParseInto(std::string_view text, SocketAddress* out) {
  *out = kSentinel;
  return SocketAddress::Parse(text, out);
}

constexpr std::array<uint8_t, 16> kIpv6Loopback = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
constexpr std::array<uint8_t, 16> kDocPrefix = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                                                0,    0,    0,    0,    0, 0, 0, 0x01};

TEST(SocketAddressTest, DefaultIsUnspecified) {
  const SocketAddress a;
  EXPECT_EQ(a.family(), AddressFamily::kUnspecified);
  EXPECT_EQ(a.port(), 0);
  EXPECT_TRUE(a.address_bytes().empty());
  EXPECT_EQ(a.ToString(), "unspecified");
}

TEST(SocketAddressTest, ParsesIpv4WithPort) {
  SocketAddress a;
  ASSERT_EQ(ParseInto("192.0.2.1:443", &a), AddressParseStatus::kOk);
  EXPECT_EQ(a.family(), AddressFamily::kIpv4);
  EXPECT_EQ(a.port(), 443);
  const std::vector<uint8_t> bytes(a.address_bytes().begin(), a.address_bytes().end());
  EXPECT_EQ(bytes, (std::vector<uint8_t>{192, 0, 2, 1}));
  EXPECT_EQ(a, SocketAddress::Ipv4({192, 0, 2, 1}, 443));
}

TEST(SocketAddressTest, ParsesBracketedIpv6WithPort) {
  SocketAddress a;
  ASSERT_EQ(ParseInto("[2001:db8::1]:4001", &a), AddressParseStatus::kOk);
  EXPECT_EQ(a.family(), AddressFamily::kIpv6);
  EXPECT_EQ(a.port(), 4001);
  ASSERT_EQ(a.address_bytes().size(), 16u);
  EXPECT_TRUE(std::equal(kDocPrefix.begin(), kDocPrefix.end(), a.address_bytes().begin()));
  EXPECT_EQ(a, SocketAddress::Ipv6(kDocPrefix, 4001));
}

TEST(SocketAddressTest, ParsesPortBounds) {
  SocketAddress a;
  ASSERT_EQ(ParseInto("127.0.0.1:0", &a), AddressParseStatus::kOk);
  EXPECT_EQ(a.port(), 0);
  ASSERT_EQ(ParseInto("127.0.0.1:65535", &a), AddressParseStatus::kOk);
  EXPECT_EQ(a.port(), 65535);
  ASSERT_EQ(ParseInto("[::1]:65535", &a), AddressParseStatus::kOk);
  EXPECT_EQ(a, SocketAddress::Ipv6(kIpv6Loopback, 65535));
}

TEST(SocketAddressTest, FormatsIpv4) {
  EXPECT_EQ(SocketAddress::Ipv4({10, 1, 2, 3}, 8080).ToString(), "10.1.2.3:8080");
  EXPECT_EQ(SocketAddress::Loopback4(9).ToString(), "127.0.0.1:9");
}

TEST(SocketAddressTest, FormatsIpv6InBracketsCompressed) {
  EXPECT_EQ(SocketAddress::Ipv6(kDocPrefix, 4001).ToString(), "[2001:db8::1]:4001");
  EXPECT_EQ(SocketAddress::Ipv6(kIpv6Loopback, 1).ToString(), "[::1]:1");
}

TEST(SocketAddressTest, ParseFormatRoundTrips) {
  const std::vector<std::string> texts = {
      "0.0.0.0:0",   "127.0.0.1:1",        "255.255.255.255:65535", "[::]:0",
      "[::1]:65535", "[2001:db8::1]:4001", "[fe80::1]:53",          "[2001:db8:1:2:3:4:5:6]:12345",
  };
  for (const std::string& text : texts) {
    SocketAddress a;
    ASSERT_EQ(ParseInto(text, &a), AddressParseStatus::kOk) << text;
    EXPECT_EQ(a.ToString(), text);
    SocketAddress b;
    ASSERT_EQ(ParseInto(a.ToString(), &b), AddressParseStatus::kOk) << text;
    EXPECT_EQ(a, b) << text;
  }
}

TEST(SocketAddressTest, ValueRoundTripsThroughText) {
  const std::vector<SocketAddress> addresses = {
      SocketAddress::Ipv4({1, 2, 3, 4}, 5),
      SocketAddress::Ipv4({0, 0, 0, 0}, 65535),
      SocketAddress::Ipv6(kIpv6Loopback, 443),
      SocketAddress::Ipv6(
          {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0}, 1),
  };
  for (const SocketAddress& a : addresses) {
    SocketAddress back;
    ASSERT_EQ(ParseInto(a.ToString(), &back), AddressParseStatus::kOk) << a.ToString();
    EXPECT_EQ(back, a) << a.ToString();
  }
}

struct ParseErrorCase {
  const char* text;
  AddressParseStatus status;
};

TEST(SocketAddressTest, RejectsMalformedTextWithTheRightStatusAndLeavesOutputUnchanged) {
  const ParseErrorCase cases[] = {
      // Missing port.
      {"", AddressParseStatus::kMissingPort},
      {"1.2.3.4", AddressParseStatus::kMissingPort},
      {"[::1]", AddressParseStatus::kMissingPort},
      {"[::1]80", AddressParseStatus::kMissingPort},
      // Bad port: empty, out of range, non-numeric, signed, padded.
      {"1.2.3.4:", AddressParseStatus::kBadPort},
      {"[::1]:", AddressParseStatus::kBadPort},
      {"1.2.3.4:65536", AddressParseStatus::kBadPort},
      {"[::1]:65536", AddressParseStatus::kBadPort},
      {"1.2.3.4:99999999999999999999", AddressParseStatus::kBadPort},
      {"1.2.3.4:http", AddressParseStatus::kBadPort},
      {"1.2.3.4:80a", AddressParseStatus::kBadPort},
      {"1.2.3.4:-1", AddressParseStatus::kBadPort},
      {"1.2.3.4:+80", AddressParseStatus::kBadPort},
      {"1.2.3.4: 80", AddressParseStatus::kBadPort},
      {"1.2.3.4:0x50", AddressParseStatus::kBadPort},
      // Bad host.
      {"localhost:80", AddressParseStatus::kBadHost},
      {":80", AddressParseStatus::kBadHost},
      {"1.2.3:80", AddressParseStatus::kBadHost},
      {"256.1.1.1:80", AddressParseStatus::kBadHost},
      {"[1.2.3.4]:80", AddressParseStatus::kBadHost},
      {"[::g]:80", AddressParseStatus::kBadHost},
      {"[]:80", AddressParseStatus::kBadHost},
      {"[::1:80", AddressParseStatus::kBadHost},
      // IPv6 without brackets.
      {"::1:80", AddressParseStatus::kUnbracketedIpv6},
      {"2001:db8::1:443", AddressParseStatus::kUnbracketedIpv6},
      {"::1", AddressParseStatus::kUnbracketedIpv6},
  };
  for (const ParseErrorCase& c : cases) {
    SocketAddress out;
    EXPECT_EQ(ParseInto(c.text, &out), c.status)
        << "'" << c.text << "' expected " << ToString(c.status);
    EXPECT_EQ(out, kSentinel) << "'" << c.text << "' modified the output";
  }
}

TEST(SocketAddressTest, EveryParseStatusHasADistinctDescription) {
  const AddressParseStatus all[] = {AddressParseStatus::kOk, AddressParseStatus::kMissingPort,
                                    AddressParseStatus::kBadPort, AddressParseStatus::kBadHost,
                                    AddressParseStatus::kUnbracketedIpv6};
  for (size_t i = 0; i < std::size(all); ++i) {
    for (size_t j = i + 1; j < std::size(all); ++j) {
      EXPECT_STRNE(ToString(all[i]), ToString(all[j]));
    }
  }
}

TEST(SocketAddressTest, Ipv4SockaddrRoundTrips) {
  const SocketAddress a = SocketAddress::Ipv4({192, 0, 2, 55}, 0xabcd);
  sockaddr_storage storage;
  const socklen_t len = a.ToSockaddr(&storage);
  ASSERT_EQ(len, sizeof(sockaddr_in));
  sockaddr_in v4;
  std::memcpy(&v4, &storage, sizeof(v4));
  EXPECT_EQ(v4.sin_family, AF_INET);
  EXPECT_EQ(ntohs(v4.sin_port), 0xabcd);
  EXPECT_EQ(ntohl(v4.sin_addr.s_addr), 0xc0000237u);
  EXPECT_EQ(SocketAddress::FromSockaddr(reinterpret_cast<const sockaddr*>(&storage), len), a);
}

TEST(SocketAddressTest, Ipv6SockaddrRoundTrips) {
  const SocketAddress a = SocketAddress::Ipv6(kDocPrefix, 0x1234);
  sockaddr_storage storage;
  const socklen_t len = a.ToSockaddr(&storage);
  ASSERT_EQ(len, sizeof(sockaddr_in6));
  sockaddr_in6 v6;
  std::memcpy(&v6, &storage, sizeof(v6));
  EXPECT_EQ(v6.sin6_family, AF_INET6);
  EXPECT_EQ(ntohs(v6.sin6_port), 0x1234);
  EXPECT_EQ(std::memcmp(&v6.sin6_addr, kDocPrefix.data(), 16), 0);
  EXPECT_EQ(v6.sin6_scope_id, 0u);
  EXPECT_EQ(v6.sin6_flowinfo, 0u);
  EXPECT_EQ(SocketAddress::FromSockaddr(reinterpret_cast<const sockaddr*>(&storage), len), a);
}

TEST(SocketAddressTest, ReadsKernelBuiltSockaddrs) {
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  v4.sin_port = htons(4433);
  ASSERT_EQ(inet_pton(AF_INET, "198.51.100.7", &v4.sin_addr), 1);
  EXPECT_EQ(SocketAddress::FromSockaddr(reinterpret_cast<const sockaddr*>(&v4), sizeof(v4)),
            SocketAddress::Ipv4({198, 51, 100, 7}, 4433));

  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  v6.sin6_port = htons(4001);
  ASSERT_EQ(inet_pton(AF_INET6, "2001:db8::1", &v6.sin6_addr), 1);
  EXPECT_EQ(SocketAddress::FromSockaddr(reinterpret_cast<const sockaddr*>(&v6), sizeof(v6)),
            SocketAddress::Ipv6(kDocPrefix, 4001));
}

TEST(SocketAddressTest, UnsupportedOrShortSockaddrIsUnspecified) {
  sockaddr_storage storage{};
  storage.ss_family = AF_UNIX;
  EXPECT_EQ(
      SocketAddress::FromSockaddr(reinterpret_cast<const sockaddr*>(&storage), sizeof(storage))
          .family(),
      AddressFamily::kUnspecified);

  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  EXPECT_EQ(SocketAddress::FromSockaddr(reinterpret_cast<const sockaddr*>(&v4), sizeof(v4) - 1),
            SocketAddress());
  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  EXPECT_EQ(SocketAddress::FromSockaddr(reinterpret_cast<const sockaddr*>(&v6), sizeof(v6) - 1),
            SocketAddress());
  EXPECT_EQ(SocketAddress::FromSockaddr(nullptr, 0), SocketAddress());
}

TEST(SocketAddressTest, UnspecifiedWritesNoSockaddr) {
  sockaddr_storage storage;
  std::memset(&storage, 0xaa, sizeof(storage));
  EXPECT_EQ(SocketAddress().ToSockaddr(&storage), 0u);
  EXPECT_EQ(storage.ss_family, 0);
}

TEST(SocketAddressTest, WithPortChangesOnlyThePort) {
  const SocketAddress a = SocketAddress::Ipv6(kDocPrefix, 1);
  const SocketAddress b = a.WithPort(2);
  EXPECT_EQ(b.port(), 2);
  EXPECT_EQ(b.family(), a.family());
  EXPECT_TRUE(std::equal(a.address_bytes().begin(), a.address_bytes().end(),
                         b.address_bytes().begin(), b.address_bytes().end()));
  EXPECT_NE(a, b);
  EXPECT_EQ(b.WithPort(1), a);
}

TEST(SocketAddressTest, EqualityComparesFamilyAddressAndPort) {
  const SocketAddress v4 = SocketAddress::Ipv4({127, 0, 0, 1}, 80);
  EXPECT_EQ(v4, SocketAddress::Loopback4(80));
  EXPECT_NE(v4, SocketAddress::Loopback4(81));
  EXPECT_NE(v4, SocketAddress::Ipv4({127, 0, 0, 2}, 80));
  // IPv4 is never the same as its IPv4-mapped or zero-padded IPv6 spelling.
  EXPECT_NE(v4, SocketAddress::Ipv6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1}, 80));
  EXPECT_NE(v4, SocketAddress::Ipv6({127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 80));
  EXPECT_NE(SocketAddress::Ipv4({0, 0, 0, 0}, 0), SocketAddress());
  EXPECT_NE(SocketAddress::Ipv6({}, 0), SocketAddress());
  EXPECT_NE(SocketAddress::Ipv6({}, 0), SocketAddress::Ipv4({0, 0, 0, 0}, 0));
}

TEST(SocketAddressTest, EqualAddressesHashEqually) {
  const absl::Hash<SocketAddress> hash;
  SocketAddress parsed4;
  ASSERT_EQ(ParseInto("10.0.0.1:1234", &parsed4), AddressParseStatus::kOk);
  EXPECT_EQ(hash(parsed4), hash(SocketAddress::Ipv4({10, 0, 0, 1}, 1234)));

  SocketAddress parsed6;
  ASSERT_EQ(ParseInto("[2001:db8::1]:4001", &parsed6), AddressParseStatus::kOk);
  EXPECT_EQ(hash(parsed6), hash(SocketAddress::Ipv6(kDocPrefix, 4001)));

  sockaddr_storage storage;
  const socklen_t len = parsed6.ToSockaddr(&storage);
  EXPECT_EQ(hash(SocketAddress::FromSockaddr(reinterpret_cast<const sockaddr*>(&storage), len)),
            hash(parsed6));
}

TEST(SocketAddressTest, DifferentAddressesHashDifferently) {
  const absl::Hash<SocketAddress> hash;
  const std::vector<SocketAddress> addresses = {
      SocketAddress(),
      SocketAddress::Ipv4({0, 0, 0, 0}, 0),
      SocketAddress::Ipv6({}, 0),
      SocketAddress::Loopback4(80),
      SocketAddress::Loopback4(81),
      SocketAddress::Ipv4({127, 0, 0, 2}, 80),
      SocketAddress::Ipv6(kIpv6Loopback, 80),
      SocketAddress::Ipv6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1}, 80),
      SocketAddress::Ipv6(kDocPrefix, 80),
  };
  for (size_t i = 0; i < addresses.size(); ++i) {
    for (size_t j = i + 1; j < addresses.size(); ++j) {
      EXPECT_NE(hash(addresses[i]), hash(addresses[j]))
          << addresses[i].ToString() << " vs " << addresses[j].ToString();
    }
  }
}

}  // namespace
}  // namespace p2pquic
