#include "transport/base/hex.h"

#include <gtest/gtest.h>

namespace p2pquic {
namespace {

TEST(HexTest, DecodesWhatItEncodesInEitherCase) {
  const std::vector<uint8_t> bytes = {0x00, 0x8f, 0x95, 0xf0, 0xff};
  std::vector<uint8_t> decoded;
  ASSERT_EQ(HexDecode(HexEncode(bytes), &decoded), HexDecodeResult::kOk);
  EXPECT_EQ(decoded, bytes);
  ASSERT_EQ(HexDecode("008F95F0FF", &decoded), HexDecodeResult::kOk);
  EXPECT_EQ(decoded, bytes);
  ASSERT_EQ(HexDecode("", &decoded), HexDecodeResult::kOk);
  EXPECT_TRUE(decoded.empty());
}

TEST(HexTest, RefusesOddLengthsAndForeignDigitsWithoutTouchingTheOutput) {
  std::vector<uint8_t> decoded = {7};
  EXPECT_EQ(HexDecode("abc", &decoded), HexDecodeResult::kOddLength);
  EXPECT_EQ(HexDecode("0g", &decoded), HexDecodeResult::kBadDigit);
  EXPECT_EQ(HexDecode("0 ", &decoded), HexDecodeResult::kBadDigit);
  EXPECT_EQ(decoded, std::vector<uint8_t>{7});
}

}  // namespace
}  // namespace p2pquic
