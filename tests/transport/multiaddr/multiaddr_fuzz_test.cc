// Robustness: multiaddrs arrive from peers (identify, the command line), so
// random and mutated text and bytes must only ever produce an error (run
// under ASan/UBSan in CI). Whatever parses must format back to itself.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "testing/byte_mutation.h"
#include "transport/multiaddr/multiaddr.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic {
namespace {

constexpr int kInputs = 4000;

// Each slot of /<ip>/<addr>/udp/<port>/quic-v1[/p2p/<id>][/<extra>] holds
// a valid choice three times in four and junk otherwise, so a good share of
// texts parse and the rest fail at every possible component.
struct Slot {
  std::vector<std::string> valid;
  std::vector<std::string> junk;
};

const std::vector<Slot> kSlots = {
    {{"/ip4/1.2.3.4", "/ip6/::1", "/ip4/0.0.0.0", "/ip6/2001:db8::7", "/ip6/::ffff:1.2.3.4"},
     {"/ip4/1.2.3", "/ip4/::1", "/ip6/1.2.3.4", "/tcp/1", "", "/dns4/x", "/ip4", "ip4/1.2.3.4", "/",
      "/ip6/fe80::1%25eth0"}},
    {{"/udp/4001", "/udp/0", "/udp/65535", "/udp/00443"},
     {"/udp/70000", "/udp/-1", "/udp", "/udp/4a", "/udp/99999999999999999999", "", "//udp/1"}},
    {{"/quic-v1"}, {"/quic", "", "/p2p", "/webtransport", "/quic-v1//"}},
    {{"", "/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA",
      "/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N",
      "/ipfs/bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe", "/"},
     {"/p2p/Qm0", "/p2p", "/p2p/", "/udp/1", "/p2p/xyz/extra", "\xff"}},
    {{""}, {"/udp/1", "/tcp", "//", "/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N"}},
};

const std::string& Pick(SeededRandom& random, const std::vector<std::string>& choices) {
  return choices[random.NextU64() % choices.size()];
}

std::string RandomText(SeededRandom& random) {
  std::string text;
  for (const Slot& slot : kSlots) {
    text += random.NextU64() % 4 != 0 ? Pick(random, slot.valid) : Pick(random, slot.junk);
  }
  return text;
}

std::vector<uint8_t> RandomBytes(SeededRandom& random) {
  std::vector<uint8_t> bytes(random.NextU64() % 80);
  random.Fill(bytes);
  // Often start like a real address, so parsing gets past the first byte.
  if (!bytes.empty() && random.NextU64() % 2 == 0) bytes[0] = random.NextU64() % 2 ? 0x04 : 0x29;
  return bytes;
}

std::vector<uint8_t> Mutate(SeededRandom& random, std::vector<uint8_t> bytes) {
  return p2pquic::testing::MutateBytes(random, std::move(bytes), 1);
}

void ExpectRoundTrips(const Multiaddr& multiaddr) {
  Multiaddr again;
  ASSERT_TRUE(Multiaddr::Parse(multiaddr.ToString(), &again).ok()) << multiaddr.ToString();
  EXPECT_EQ(again, multiaddr);
  ASSERT_TRUE(Multiaddr::FromBytes(multiaddr.ToBytes(), &again).ok()) << multiaddr.ToString();
  EXPECT_EQ(again, multiaddr);
}

TEST(MultiaddrFuzzTest, RandomTextNeverCrashesAndWhatParsesRoundTrips) {
  SeededRandom random(0x3a);
  int parsed = 0;
  for (int i = 0; i < kInputs; ++i) {
    const std::string text = RandomText(random);
    Multiaddr multiaddr;
    const MultiaddrError error = Multiaddr::Parse(text, &multiaddr);
    EXPECT_FALSE(error.ToString().empty());
    if (error.ok()) {
      ++parsed;
      ExpectRoundTrips(multiaddr);
    }
  }
  RecordProperty("parsed", parsed);
  EXPECT_GT(parsed, kInputs / 20) << "the generator must reach valid addresses too";
}

TEST(MultiaddrFuzzTest, RandomBytesNeverCrashAndWhatParsesIsCanonical) {
  SeededRandom random(0xb1);
  for (int i = 0; i < kInputs; ++i) {
    const std::vector<uint8_t> bytes = RandomBytes(random);
    Multiaddr multiaddr;
    if (Multiaddr::FromBytes(bytes, &multiaddr).ok()) {
      EXPECT_EQ(multiaddr.ToBytes(), bytes) << "the binary form has one spelling per address";
      ExpectRoundTrips(multiaddr);
    }
  }
}

TEST(MultiaddrFuzzTest, MutatedValidAddressesNeverCrash) {
  SeededRandom random(0x7e);
  std::vector<std::vector<uint8_t>> valid;
  for (std::string_view text :
       {"/ip4/127.0.0.1/udp/4001/quic-v1",
        "/ip6/2001:db8::1/udp/443/quic-v1/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA",
        "/ip4/10.0.0.1/udp/1/quic-v1/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N"}) {
    Multiaddr multiaddr;
    ASSERT_TRUE(Multiaddr::Parse(text, &multiaddr).ok()) << text;
    valid.push_back(multiaddr.ToBytes());
  }
  for (int i = 0; i < kInputs; ++i) {
    const std::vector<uint8_t> bytes = Mutate(random, valid[i % valid.size()]);
    Multiaddr multiaddr;
    if (Multiaddr::FromBytes(bytes, &multiaddr).ok()) {
      EXPECT_EQ(multiaddr.ToBytes(), bytes);
      ExpectRoundTrips(multiaddr);
    }
    const std::string text(bytes.begin(), bytes.end());
    Multiaddr::Parse(text, &multiaddr);
  }
}

}  // namespace
}  // namespace p2pquic
