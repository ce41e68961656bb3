#include "transport/identity/ec_key_codec.h"

#include <gtest/gtest.h>

#include <deque>
#include <vector>

#include "tests/transport/identity/hex.h"
#include "tests/transport/identity/openssl_test_keys.h"

namespace p2pquic {
namespace {

using test::FromHex;
using test::ToHex;

constexpr std::string_view kSecp256k1Order =
    "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

// A Random that hands out scripted 32-byte blocks, then repeats the last.
class ScriptedRandom final : public Random {
 public:
  explicit ScriptedRandom(std::deque<std::vector<uint8_t>> blocks) : blocks_(std::move(blocks)) {}
  void Fill(std::span<uint8_t> out) override {
    const std::vector<uint8_t>& block = blocks_.front();
    std::copy(block.begin(), block.begin() + out.size(), out.begin());
    if (blocks_.size() > 1) blocks_.pop_front();
    ++fills_;
  }
  int fills() const { return fills_; }

 private:
  std::deque<std::vector<uint8_t>> blocks_;
  int fills_ = 0;
};

std::vector<uint8_t> Compressed(const EVP_PKEY& key) {
  std::vector<uint8_t> point;
  EXPECT_EQ(EcKeyCodec::CompressedPoint(key, &point), KeyStatus::kOk);
  return point;
}

TEST(EcKeyCodecTest, ScalarOneGivesTheGeneratorOfEachCurve) {
  std::vector<uint8_t> one(32, 0);
  one.back() = 1;
  UniqueEvpPkey key;
  ASSERT_EQ(EcKeyCodec::KeyPairFromScalar(EcCurve::kSecp256k1, one, &key), KeyStatus::kOk);
  EXPECT_EQ(ToHex(Compressed(*key)),
            "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
  ASSERT_EQ(EcKeyCodec::KeyPairFromScalar(EcCurve::kP256, one, &key), KeyStatus::kOk);
  EXPECT_EQ(ToHex(Compressed(*key)),
            "036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296");
  EcScalar scalar;
  ASSERT_EQ(EcKeyCodec::ScalarOf(*key, &scalar), KeyStatus::kOk);
  EXPECT_EQ(std::vector<uint8_t>(scalar.begin(), scalar.end()), one);
}

TEST(EcKeyCodecTest, RandomScalarRejectsZeroAndValuesNotBelowTheOrder) {
  const std::vector<uint8_t> valid(32, 0x42);
  ScriptedRandom random({std::vector<uint8_t>(32, 0), FromHex(kSecp256k1Order),
                         std::vector<uint8_t>(32, 0xff), valid});
  EcScalar scalar;
  ASSERT_EQ(EcKeyCodec::RandomScalar(EcCurve::kSecp256k1, random, &scalar), KeyStatus::kOk);
  EXPECT_EQ(std::vector<uint8_t>(scalar.begin(), scalar.end()), valid);
  EXPECT_EQ(random.fills(), 4);
}

TEST(EcKeyCodecTest, RandomScalarGivesUpOnASourceThatNeverYieldsAValidScalar) {
  ScriptedRandom random({std::vector<uint8_t>(32, 0xff)});
  EcScalar scalar{};
  EXPECT_EQ(EcKeyCodec::RandomScalar(EcCurve::kP256, random, &scalar), KeyStatus::kRandomRejected);
  EXPECT_EQ(random.fills(), EcKeyCodec::kMaxScalarDraws);
}

TEST(EcKeyCodecTest, PublicKeyFromPointAcceptsBothPointEncodings) {
  UniqueEvpPkey pair = test::EcKey("P-256");
  const std::vector<uint8_t> compressed = Compressed(*pair);
  UniqueEvpPkey from_compressed;
  ASSERT_EQ(EcKeyCodec::PublicKeyFromPoint(EcCurve::kP256, compressed, &from_compressed),
            KeyStatus::kOk);
  EXPECT_EQ(Compressed(*from_compressed), compressed);
  EXPECT_EQ(
      EcKeyCodec::PublicKeyFromPoint(EcCurve::kP256, std::vector<uint8_t>{0x00}, &from_compressed),
      KeyStatus::kInvalidPoint)
      << "the point at infinity is no key";
  EXPECT_EQ(EcKeyCodec::PublicKeyFromPoint(EcCurve::kP256, {}, &from_compressed),
            KeyStatus::kInvalidPoint);
}

TEST(EcKeyCodecTest, CurveOfNamesSupportedCurvesAndRefusesOthers) {
  EcCurve curve;
  EXPECT_EQ(EcKeyCodec::CurveOf(*test::EcKey("P-256"), &curve), KeyStatus::kOk);
  EXPECT_EQ(curve, EcCurve::kP256);
  EXPECT_EQ(EcKeyCodec::CurveOf(*test::EcKey("secp256k1"), &curve), KeyStatus::kOk);
  EXPECT_EQ(curve, EcCurve::kSecp256k1);
  EXPECT_EQ(EcKeyCodec::CurveOf(*test::EcKey("P-521"), &curve), KeyStatus::kUnsupportedCurve);
  EXPECT_EQ(EcKeyCodec::CurveOf(*test::X25519Key(), &curve), KeyStatus::kWrongAlgorithm);
}

TEST(EcKeyCodecTest, NormalizeLowSFlipsHighSAndKeepsLowS) {
  // (r, s) = (1, n - 1): s is high, its low form is 1.
  std::vector<uint8_t> high = FromHex(
      "3026020101022100"
      "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140");
  ASSERT_EQ(EcKeyCodec::NormalizeLowS(EcCurve::kSecp256k1, &high), KeyStatus::kOk);
  EXPECT_EQ(ToHex(high), "3006020101020101");
  std::vector<uint8_t> low = high;
  ASSERT_EQ(EcKeyCodec::NormalizeLowS(EcCurve::kSecp256k1, &low), KeyStatus::kOk);
  EXPECT_EQ(low, high);
  std::vector<uint8_t> garbage = {0x30, 0x01};
  EXPECT_EQ(EcKeyCodec::NormalizeLowS(EcCurve::kSecp256k1, &garbage), KeyStatus::kMalformedDer);
}

}  // namespace
}  // namespace p2pquic
