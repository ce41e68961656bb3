#include "transport/multiaddr/multiaddr.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/transport/identity/hex.h"

namespace p2pquic {
namespace {

using test::FromHex;
using test::ToHex;

// The peer-ids spec's Ed25519 example and its multihash bytes.
constexpr std::string_view kPeer = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";
constexpr std::string_view kPeerMultihash =
    "0024080112202ffa35a99d3a3cfbb17bb7c1dc5561b18a8dcca4df38dc613ea859c37eb1336b";
constexpr std::string_view kSha256Peer = "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N";
constexpr std::string_view kSha256PeerAsCid =
    "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe";

Multiaddr Parsed(std::string_view text) {
  Multiaddr multiaddr;
  const MultiaddrError error = Multiaddr::Parse(text, &multiaddr);
  EXPECT_TRUE(error.ok()) << text << ": " << error.ToString();
  return multiaddr;
}

std::string TextError(std::string_view text) {
  Multiaddr multiaddr;
  const MultiaddrError error = Multiaddr::Parse(text, &multiaddr);
  EXPECT_FALSE(error.ok()) << text;
  return error.ToString();
}

MultiaddrError BinaryError(std::string_view hex) {
  Multiaddr multiaddr;
  const MultiaddrError error = Multiaddr::FromBytes(FromHex(hex), &multiaddr);
  EXPECT_FALSE(error.ok()) << hex;
  return error;
}

PeerId Peer(std::string_view text) {
  PeerId id;
  EXPECT_EQ(PeerId::Parse(text, &id), PeerIdStatus::kOk);
  return id;
}

TEST(MultiaddrTest, ParsesIp4QuicV1IntoItsSocketAddress) {
  const Multiaddr multiaddr = Parsed("/ip4/127.0.0.1/udp/4001/quic-v1");
  EXPECT_EQ(multiaddr.socket_address(), SocketAddress::Ipv4({127, 0, 0, 1}, 4001));
  EXPECT_FALSE(multiaddr.peer_id().has_value());
  EXPECT_EQ(multiaddr.ToString(), "/ip4/127.0.0.1/udp/4001/quic-v1");
}

TEST(MultiaddrTest, EncodesIp4QuicV1AsMulticodecBytes) {
  const Multiaddr multiaddr = Parsed("/ip4/127.0.0.1/udp/4001/quic-v1");
  // ip4 (04) 127.0.0.1, udp (91 02) 4001, quic-v1 (cd 03).
  EXPECT_EQ(ToHex(multiaddr.ToBytes()),
            "047f000001"
            "91020fa1"
            "cd03");
  Multiaddr decoded;
  ASSERT_TRUE(Multiaddr::FromBytes(multiaddr.ToBytes(), &decoded).ok());
  EXPECT_EQ(decoded, multiaddr);
}

TEST(MultiaddrTest, ParsesAndEncodesIp6) {
  const Multiaddr multiaddr = Parsed("/ip6/::1/udp/4001/quic-v1");
  std::array<uint8_t, 16> loopback{};
  loopback[15] = 1;
  EXPECT_EQ(multiaddr.socket_address(), SocketAddress::Ipv6(loopback, 4001));
  EXPECT_EQ(ToHex(multiaddr.ToBytes()),
            "29"
            "00000000000000000000000000000001"
            "91020fa1"
            "cd03");
  EXPECT_EQ(multiaddr.ToString(), "/ip6/::1/udp/4001/quic-v1");
}

TEST(MultiaddrTest, FormatsIp6InCanonicalForm) {
  EXPECT_EQ(Parsed("/ip6/2001:0DB8:0:0:0:0:0:0001/udp/1/quic-v1").ToString(),
            "/ip6/2001:db8::1/udp/1/quic-v1");
}

TEST(MultiaddrTest, ParsesAndEncodesAPeerId) {
  const std::string text = "/ip4/192.0.2.7/udp/443/quic-v1/p2p/" + std::string(kPeer);
  const Multiaddr multiaddr = Parsed(text);
  ASSERT_TRUE(multiaddr.peer_id().has_value());
  EXPECT_EQ(*multiaddr.peer_id(), Peer(kPeer));
  EXPECT_EQ(multiaddr.ToString(), text);
  // p2p (a5 03), length 0x26, the multihash.
  EXPECT_EQ(ToHex(multiaddr.ToBytes()),
            "04c0000207"
            "910201bb"
            "cd03"
            "a503"
            "26" +
                std::string(kPeerMultihash));
  Multiaddr decoded;
  ASSERT_TRUE(Multiaddr::FromBytes(multiaddr.ToBytes(), &decoded).ok());
  EXPECT_EQ(decoded, multiaddr);
}

TEST(MultiaddrTest, AcceptsTheLegacyIpfsNameCidPeerIdsAndATrailingSlash) {
  const Multiaddr canonical = Parsed("/ip4/1.2.3.4/udp/1/quic-v1/p2p/" + std::string(kSha256Peer));
  EXPECT_EQ(Parsed("/ip4/1.2.3.4/udp/1/quic-v1/ipfs/" + std::string(kSha256Peer)), canonical);
  EXPECT_EQ(Parsed("/ip4/1.2.3.4/udp/1/quic-v1/p2p/" + std::string(kSha256PeerAsCid)), canonical);
  EXPECT_EQ(Parsed("/ip4/1.2.3.4/udp/1/quic-v1/p2p/" + std::string(kSha256Peer) + "/"), canonical);
  EXPECT_EQ(Parsed("/ip4/1.2.3.4/udp/1/quic-v1/"), canonical.WithoutPeerId());
}

TEST(MultiaddrTest, AcceptsPortBoundsAndLeadingZeros) {
  EXPECT_EQ(Parsed("/ip4/0.0.0.0/udp/0/quic-v1").socket_address().port(), 0);
  EXPECT_EQ(Parsed("/ip4/0.0.0.0/udp/65535/quic-v1").socket_address().port(), 65535);
  EXPECT_EQ(Parsed("/ip4/0.0.0.0/udp/0065535/quic-v1").socket_address().port(), 65535);
}

TEST(MultiaddrTest, BuildsFromASocketAddressAndSwapsPeerIds) {
  const Multiaddr bare = Multiaddr::QuicV1(SocketAddress::Ipv4({10, 0, 0, 1}, 9));
  EXPECT_EQ(bare.ToString(), "/ip4/10.0.0.1/udp/9/quic-v1");
  const Multiaddr with = bare.WithPeerId(Peer(kPeer));
  EXPECT_EQ(with.ToString(), "/ip4/10.0.0.1/udp/9/quic-v1/p2p/" + std::string(kPeer));
  EXPECT_EQ(with.WithPeerId(Peer(kSha256Peer)).peer_id(), Peer(kSha256Peer));
  EXPECT_EQ(with.WithoutPeerId(), bare);
  EXPECT_TRUE(Multiaddr::QuicV1(SocketAddress()).empty());
  EXPECT_EQ(Multiaddr().ToString(), "");
  EXPECT_TRUE(Multiaddr().ToBytes().empty());
}

// --- Text errors name the bad component ------------------------------------

TEST(MultiaddrTest, TextErrorsNameTheBadAddress) {
  EXPECT_EQ(TextError("/ip4/1.2.3/udp/4001/quic-v1"), "bad /ip4 address '1.2.3'");
  EXPECT_EQ(TextError("/ip4/256.1.1.1/udp/4001/quic-v1"), "bad /ip4 address '256.1.1.1'");
  EXPECT_EQ(TextError("/ip4/::1/udp/4001/quic-v1"), "bad /ip4 address '::1'");
  EXPECT_EQ(TextError("/ip6/12345::/udp/1/quic-v1"), "bad /ip6 address '12345::'");
  EXPECT_EQ(TextError("/ip6/fe80::1%eth0/udp/1/quic-v1"), "bad /ip6 address 'fe80::1%eth0'");
  EXPECT_EQ(TextError("/ip4"), "missing value for /ip4");
}

TEST(MultiaddrTest, TextErrorsNameMissingAndMisplacedProtocols) {
  EXPECT_EQ(TextError("/ip4/1.2.3.4"), "missing /udp");
  EXPECT_EQ(TextError("/ip4/1.2.3.4/quic-v1"), "missing /udp (found '/quic-v1')");
  EXPECT_EQ(TextError("/ip4/1.2.3.4/udp/4001"), "missing /quic-v1");
  EXPECT_EQ(TextError("/ip4/1.2.3.4/udp/4001/p2p/" + std::string(kPeer)),
            "missing /quic-v1 (found '/p2p')");
  EXPECT_EQ(TextError("/udp/4001/quic-v1"),
            "multiaddr must start with /ip4 or /ip6 (found '/udp')");
  EXPECT_EQ(TextError("/"), "multiaddr must start with /ip4 or /ip6");
  EXPECT_EQ(TextError("/ip4/1.2.3.4/udp/1/quic-v1/udp/2"),
            "unexpected '/udp' after the end of a QUIC multiaddr");
}

TEST(MultiaddrTest, TextErrorsNameUnknownProtocols) {
  EXPECT_EQ(TextError("/ip4/1.2.3.4/tcp/4001"), "unknown protocol '/tcp'");
  EXPECT_EQ(TextError("/dns4/example.com/udp/1/quic-v1"), "unknown protocol '/dns4'");
  EXPECT_EQ(TextError("/ip4/1.2.3.4/udp/1/quic-v1/webtransport"),
            "unknown protocol '/webtransport'");
}

TEST(MultiaddrTest, TextErrorsNameBadPorts) {
  EXPECT_EQ(TextError("/ip4/1.2.3.4/udp/70000/quic-v1"), "port 70000 out of range");
  EXPECT_EQ(TextError("/ip4/1.2.3.4/udp/99999999999999999999/quic-v1"),
            "port 99999999999999999999 out of range");
  EXPECT_EQ(TextError("/ip4/1.2.3.4/udp/abc/quic-v1"), "bad /udp port 'abc'");
  EXPECT_EQ(TextError("/ip4/1.2.3.4/udp/-1/quic-v1"), "bad /udp port '-1'");
  EXPECT_EQ(TextError("/ip4/1.2.3.4/udp/+1/quic-v1"), "bad /udp port '+1'");
  EXPECT_EQ(TextError("/ip4/1.2.3.4/udp"), "missing value for /udp");
}

TEST(MultiaddrTest, RefusesQuicDraft29WithAPointerToQuicV1) {
  Multiaddr multiaddr;
  const MultiaddrError error = Multiaddr::Parse("/ip4/1.2.3.4/udp/4001/quic", &multiaddr);
  EXPECT_EQ(error.status, MultiaddrStatus::kQuicDraft29Unsupported);
  EXPECT_EQ(error.ToString(), "unsupported: /quic (draft-29) is not supported, use /quic-v1");
}

TEST(MultiaddrTest, TextErrorsNameBadPeerIdsAndSayWhy) {
  EXPECT_EQ(TextError("/ip4/1.2.3.4/udp/1/quic-v1/p2p/xyz"),
            "bad /p2p peer ID 'xyz': not a peer ID: expected base58btc ('12D3KooW...', 'Qm...') "
            "or a CIDv1 ('bafz...')");
  EXPECT_EQ(TextError("/ip4/1.2.3.4/udp/1/quic-v1/p2p/Qm0"),
            "bad /p2p peer ID 'Qm0': peer ID is not valid base58btc");
  EXPECT_EQ(TextError("/ip4/1.2.3.4/udp/1/quic-v1/p2p"), "missing value for /p2p");
}

TEST(MultiaddrTest, TextErrorsForTheOverallShape) {
  EXPECT_EQ(TextError(""), "empty multiaddr");
  EXPECT_EQ(TextError("ip4/1.2.3.4/udp/1/quic-v1"), "multiaddr must start with '/'");
  EXPECT_EQ(TextError("/ip4/1.2.3.4//udp/1/quic-v1"), "empty component ('//') in multiaddr");
  EXPECT_EQ(TextError("//ip4/1.2.3.4/udp/1/quic-v1"), "empty component ('//') in multiaddr");
  EXPECT_EQ(TextError("/ip4/1.2.3.4/udp/1/quic-v1//"), "empty component ('//') in multiaddr");
  EXPECT_EQ(TextError("/" + std::string(kMaxMultiaddrTextLength, 'a')), "multiaddr is too long");
}

TEST(MultiaddrTest, ParseLeavesOutputUnchangedOnError) {
  Multiaddr multiaddr = Parsed("/ip4/1.2.3.4/udp/1/quic-v1");
  EXPECT_FALSE(Multiaddr::Parse("/ip4/1.2.3.4/udp/70000/quic-v1", &multiaddr).ok());
  EXPECT_FALSE(Multiaddr::FromBytes(FromHex("04"), &multiaddr).ok());
  EXPECT_EQ(multiaddr.ToString(), "/ip4/1.2.3.4/udp/1/quic-v1");
}

// --- Binary errors -----------------------------------------------------------

TEST(MultiaddrTest, BinaryErrorsNameTheBadComponent) {
  EXPECT_EQ(BinaryError("").ToString(), "empty multiaddr");
  EXPECT_EQ(BinaryError("06").ToString(), "unknown protocol code 0x6");
  EXPECT_EQ(BinaryError("9102"
                        "0fa1")
                .ToString(),
            "multiaddr must start with /ip4 or /ip6 (found '/udp')");
  EXPECT_EQ(BinaryError("80").ToString(), "bad varint in binary form");
  EXPECT_EQ(BinaryError("04010203").ToString(), "binary form ends inside /ip4");
  EXPECT_EQ(BinaryError("29"
                        "0000")
                .ToString(),
            "binary form ends inside /ip6");
  EXPECT_EQ(BinaryError("0401020304").ToString(), "missing /udp");
  EXPECT_EQ(BinaryError("0401020304"
                        "cd03")
                .ToString(),
            "missing /udp (found '/quic-v1')");
  EXPECT_EQ(BinaryError("0401020304"
                        "91020f")
                .ToString(),
            "binary form ends inside /udp");
  EXPECT_EQ(BinaryError("0401020304"
                        "91020fa1")
                .ToString(),
            "missing /quic-v1");
  EXPECT_EQ(BinaryError("0401020304"
                        "91020fa1"
                        "cc03")
                .status,
            MultiaddrStatus::kQuicDraft29Unsupported);
  EXPECT_EQ(BinaryError("0401020304"
                        "91020fa1"
                        "0601bb")
                .ToString(),
            "unknown protocol code 0x6");
}

TEST(MultiaddrTest, BinaryErrorsAfterTheEndOfTheAddress) {
  const std::string quic =
      "0401020304"
      "91020fa1"
      "cd03";
  EXPECT_EQ(BinaryError(quic + "00").ToString(), "trailing bytes in binary form");
  EXPECT_EQ(BinaryError(quic + "0601bb").ToString(), "trailing bytes in binary form");
  const std::string with_peer = quic +
                                "a503"
                                "26" +
                                std::string(kPeerMultihash);
  EXPECT_EQ(BinaryError(with_peer + "00").ToString(), "trailing bytes in binary form");
  EXPECT_EQ(BinaryError(quic +
                        "a503"
                        "27" +
                        std::string(kPeerMultihash))
                .ToString(),
            "binary form ends inside /p2p");
  EXPECT_EQ(BinaryError(quic + "a503").ToString(), "bad varint in binary form");
  const MultiaddrError bad_peer = BinaryError(quic +
                                              "a503"
                                              "03"
                                              "110100");
  EXPECT_EQ(bad_peer.status, MultiaddrStatus::kBadPeerId);
  EXPECT_EQ(bad_peer.peer_id_status, PeerIdStatus::kUnsupportedHash);
  EXPECT_EQ(bad_peer.ToString(),
            "bad /p2p peer ID '110100': peer ID multihash is neither identity nor sha2-256");
  EXPECT_EQ(BinaryError(std::string(2 * (kMaxMultiaddrBytes + 1), '0')).ToString(),
            "multiaddr is too long");
}

TEST(MultiaddrTest, EveryStatusHasAReason) {
  for (int s = 0; s <= static_cast<int>(MultiaddrStatus::kTrailingBytes); ++s) {
    EXPECT_STRNE(ToString(static_cast<MultiaddrStatus>(s)), "unknown multiaddr status") << s;
  }
}

}  // namespace
}  // namespace p2pquic
