#include "transport/identity/base58.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "transport/runtime/seeded_random.h"

namespace p2pquic {
namespace {

std::vector<uint8_t> Bytes(std::string_view text) { return {text.begin(), text.end()}; }

std::vector<uint8_t> Decoded(std::string_view text) {
  std::vector<uint8_t> out = {0xee};
  EXPECT_EQ(Base58::Decode(text, &out), Base58Status::kOk) << text;
  return out;
}

TEST(Base58Test, EncodesEmptyAsEmpty) {
  EXPECT_EQ(Base58::Encode({}), "");
  EXPECT_TRUE(Decoded("").empty());
}

TEST(Base58Test, EncodesLeadingZeroBytesAsOnes) {
  EXPECT_EQ(Base58::Encode(std::vector<uint8_t>{0, 0, 1}), "112");
  EXPECT_EQ(Base58::Encode(std::vector<uint8_t>{0}), "1");
  EXPECT_EQ(Decoded("112"), (std::vector<uint8_t>{0, 0, 1}));
  EXPECT_EQ(Decoded("111"), (std::vector<uint8_t>{0, 0, 0}));
}

// The examples of the base58 Internet-Draft (draft-msporny-base58).
TEST(Base58Test, MatchesPublishedVectors) {
  EXPECT_EQ(Base58::Encode(Bytes("Hello World!")), "2NEpo7TZRRrLZSi2U");
  EXPECT_EQ(Base58::Encode(Bytes("The quick brown fox jumps over the lazy dog")),
            "7DdiPPYtxLjCD3wA1po2rvZHTDYjkZYiEtazrfiwJcwnKCizhGFhBGHeRdx");
  EXPECT_EQ(Base58::Encode(std::vector<uint8_t>{0x00, 0x00, 0x28, 0x7f, 0xb4, 0xcd}), "11233QC4");
  EXPECT_EQ(Decoded("2NEpo7TZRRrLZSi2U"), Bytes("Hello World!"));
  EXPECT_EQ(Decoded("11233QC4"), (std::vector<uint8_t>{0x00, 0x00, 0x28, 0x7f, 0xb4, 0xcd}));
}

TEST(Base58Test, RoundTripsRandomBytesIncludingLeadingZeros) {
  SeededRandom random(58);
  for (int i = 0; i < 500; ++i) {
    std::vector<uint8_t> bytes(random.NextU64() % 64);
    random.Fill(bytes);
    const size_t zeros = random.NextU64() % 4;
    for (size_t z = 0; z < zeros && z < bytes.size(); ++z) bytes[z] = 0;
    EXPECT_EQ(Decoded(Base58::Encode(bytes)), bytes);
  }
}

TEST(Base58Test, RejectsCharactersOutsideTheAlphabetAndSaysWhere) {
  for (const std::string_view bad : {"0", "O", "I", "l", "+", "/", " ", "\xc3\xa9"}) {
    const std::string text = "2NE" + std::string(bad) + "po";
    std::vector<uint8_t> out = {0xee};
    size_t where = 99;
    EXPECT_EQ(Base58::Decode(text, &out, &where), Base58Status::kBadCharacter) << text;
    EXPECT_EQ(where, 3u) << text;
    EXPECT_EQ(out, std::vector<uint8_t>{0xee}) << "output touched on error";
  }
  EXPECT_STREQ(ToString(Base58Status::kBadCharacter),
               "character outside the base58btc alphabet (0, O, I and l are not used)");
}

TEST(Base58Test, RejectsTextOverTheLengthLimit) {
  std::vector<uint8_t> out;
  EXPECT_EQ(Base58::Decode(std::string(kMaxBase58TextLength, '2'), &out), Base58Status::kOk);
  EXPECT_EQ(Base58::Decode(std::string(kMaxBase58TextLength + 1, '2'), &out),
            Base58Status::kTooLong);
}

}  // namespace
}  // namespace p2pquic
