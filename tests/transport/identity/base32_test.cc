#include "transport/identity/base32.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "transport/runtime/seeded_random.h"

namespace p2pquic {
namespace {

std::vector<uint8_t> Bytes(std::string_view text) { return {text.begin(), text.end()}; }

// RFC 4648 §10, lowercased and without padding (multibase 'b').
TEST(Base32Test, MatchesRfc4648Vectors) {
  const std::pair<std::string_view, std::string_view> vectors[] = {
      {"", ""},
      {"f", "my"},
      {"fo", "mzxq"},
      {"foo", "mzxw6"},
      {"foob", "mzxw6yq"},
      {"fooba", "mzxw6ytb"},
      {"foobar", "mzxw6ytboi"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base32::Encode(Bytes(plain)), encoded);
    std::vector<uint8_t> decoded;
    ASSERT_EQ(Base32::Decode(encoded, &decoded), Base32Status::kOk) << encoded;
    EXPECT_EQ(decoded, Bytes(plain));
  }
}

TEST(Base32Test, RoundTripsRandomBytes) {
  SeededRandom random(32);
  for (int i = 0; i < 300; ++i) {
    std::vector<uint8_t> bytes(random.NextU64() % 50);
    random.Fill(bytes);
    std::vector<uint8_t> decoded;
    ASSERT_EQ(Base32::Decode(Base32::Encode(bytes), &decoded), Base32Status::kOk);
    EXPECT_EQ(decoded, bytes);
  }
}

TEST(Base32Test, RejectsUppercasePaddingAndOtherCharacters) {
  std::vector<uint8_t> out = {0xee};
  EXPECT_EQ(Base32::Decode("MZXW6", &out), Base32Status::kBadCharacter);
  EXPECT_EQ(Base32::Decode("my======", &out), Base32Status::kBadCharacter);
  EXPECT_EQ(Base32::Decode("mz1", &out), Base32Status::kBadCharacter);
  EXPECT_EQ(out, std::vector<uint8_t>{0xee});
}

TEST(Base32Test, RejectsLengthsNoByteStringEncodesTo) {
  std::vector<uint8_t> out;
  EXPECT_EQ(Base32::Decode("m", &out), Base32Status::kBadLength);
  EXPECT_EQ(Base32::Decode("mzx", &out), Base32Status::kBadLength);
  EXPECT_EQ(Base32::Decode("mzxw6y", &out), Base32Status::kBadLength);
}

TEST(Base32Test, RejectsNonZeroPaddingBits) {
  std::vector<uint8_t> out;
  // "my" is "f"; "mz" sets a bit past the last whole byte.
  EXPECT_EQ(Base32::Decode("mz", &out), Base32Status::kNonZeroPadding);
  EXPECT_STREQ(ToString(Base32Status::kNonZeroPadding), "base32 text has non-zero padding bits");
}

}  // namespace
}  // namespace p2pquic
