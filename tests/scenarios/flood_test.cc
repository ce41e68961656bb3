// Floods: the spoofed-source range and schedule, how answers are told
// apart, the captured Initial, and whole runs: every flood datagram sent,
// every answer counted by kind (an expectation with the wrong count
// fails), and a seed replays the same run.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "scenarios/format/scenario_parser.h"
#include "scenarios/runner/flood_attack.h"
#include "scenarios/runner/initial_capture.h"
#include "scenarios/runner/run_report.h"
#include "scenarios/runner/scenario_runner.h"
#include "transport/routing/routing_header.h"

namespace p2pquic::scenarios {
namespace {

using std::chrono::milliseconds;

TEST(FloodTest, SourcesAreDistinctAddressesOfTheFloodRange) {
  EXPECT_EQ(FloodSource(0).ToString(), "198.18.0.1:40000");
  EXPECT_EQ(FloodSource(255).ToString(), "198.18.1.0:40000");
  EXPECT_EQ(FloodSource(kMaxFloodSources - 1).ToString(), "198.19.0.0:40000");
  EXPECT_TRUE(InFloodPrefix(FloodSource(0)));
  EXPECT_TRUE(InFloodPrefix(FloodSource(kMaxFloodSources - 1)));
  EXPECT_FALSE(InFloodPrefix(SocketAddress::Ipv4({198, 20, 0, 1}, 1)));
  EXPECT_FALSE(InFloodPrefix(SocketAddress::Ipv4({198, 17, 255, 255}, 1)));
  EXPECT_FALSE(InFloodPrefix(SocketAddress::Ipv4({10, 18, 0, 1}, 1)));
}

TEST(FloodTest, ADurationSendsRateTimesItsSecondsRoundedDown) {
  EXPECT_EQ(FloodDatagrams({"s", FloodPayload::kJunkLong, 2000, milliseconds(3000), 1}), 6000u);
  EXPECT_EQ(FloodDatagrams({"s", FloodPayload::kJunkLong, 3, milliseconds(500), 1}), 1u);
  EXPECT_EQ(FloodDatagrams({"s", FloodPayload::kJunkLong, 1, milliseconds(999), 1}), 0u);
}

TEST(FloodTest, AnswersAreToldApartByTheirFirstHeader) {
  const auto classify = [](std::vector<uint8_t> bytes) { return ClassifyAnswer(bytes); };
  EXPECT_EQ(classify({0x40, 1, 2, 3}), FloodAnswer::kShort);
  EXPECT_EQ(classify({0xc0, 0, 0, 0, 1, 8}), FloodAnswer::kInitial);
  EXPECT_EQ(classify({0xd0, 0, 0, 0, 1, 8}), FloodAnswer::kOther);  // 0-RTT.
  EXPECT_EQ(classify({0xe0, 0, 0, 0, 1, 8}), FloodAnswer::kHandshake);
  EXPECT_EQ(classify({0xf0, 0, 0, 0, 1, 8}), FloodAnswer::kRetry);
  EXPECT_EQ(classify({0x80, 0, 0, 0, 0, 8}), FloodAnswer::kVersionNegotiation);
  EXPECT_EQ(classify({0xc0, 0x6b, 0x33, 0x43, 0xcf}), FloodAnswer::kOther);  // QUIC v2.
  EXPECT_EQ(classify({0xc0, 0, 0}), FloodAnswer::kOther);                    // Truncated.
  EXPECT_EQ(classify({}), FloodAnswer::kOther);
}

const SocketAddress kTarget = SocketAddress::Ipv4({10, 0, 0, 1}, 4433);

std::string DcidOf(const std::vector<uint8_t>& initial) {
  RoutingHeader header;
  EXPECT_EQ(ParseRoutingHeader(initial, 8, &header), HeaderParseStatus::kOk);
  EXPECT_EQ(header.type, LongPacketType::kInitial);
  return header.dcid.ToHex();
}

TEST(FloodTest, TheCapturedInitialIsARealClientInitialWhoseDcidTheSeedDecides) {
  std::vector<uint8_t> first, again, other;
  std::string error;
  ASSERT_EQ(CaptureClientInitial(7, kTarget, &first, &error), CaptureStatus::kOk) << error;
  ASSERT_EQ(CaptureClientInitial(7, kTarget, &again, &error), CaptureStatus::kOk) << error;
  ASSERT_EQ(CaptureClientInitial(8, kTarget, &other, &error), CaptureStatus::kOk) << error;
  EXPECT_GE(first.size(), 1200u);  // RFC 9000 §14.1: a client pads its Initial.
  EXPECT_EQ(DcidOf(first), DcidOf(again));
  EXPECT_NE(DcidOf(first), DcidOf(other));
}

// 300 junk long headers and 300 junk short headers from 100 sources (one
// /24); a client connects in the middle. `vn_min`/`vn_max` bound the
// Version Negotiation answers.
// What one source prefix may draw in the 1 s flood: Version Negotiation's
// per-prefix burst (= its rate, EndpointConfig's default 4/s) and a
// second's refill. Junk below 1200 bytes draws none at all.
constexpr uint64_t kVnBudget = 4 + 4;
std::string JunkScenario(uint64_t vn_min, uint64_t vn_max) {
  return R"json({
    "name": "junk", "description": "junk floods", "seed": 5, "duration_ms": 3000,
    "hosts": [{"name": "server", "address": "10.0.0.1:4433", "listen": true},
              {"name": "client", "address": "10.0.1.2:50000"}],
    "timeline": [
      {"at_ms": 100, "action": "flood", "host": "server", "payload": "junk_long", "rate": 300,
       "duration_ms": 1000, "sources": 100},
      {"at_ms": 100, "action": "flood", "host": "server", "payload": "junk_short", "rate": 300,
       "duration_ms": 1000, "sources": 100},
      {"at_ms": 500, "action": "dial", "from": "client", "to": "server", "connection": "c1"}
    ],
    "expect": [
      {"kind": "connection", "connection": "c1", "outcome": "established",
       "handshake_within_ms": 100},
      {"kind": "flood_answers", "answer": "version_negotiation", "min": )json" +
         std::to_string(vn_min) + R"json(, "max": )json" + std::to_string(vn_max) + R"json(},
      {"kind": "flood_answers", "answer": "initial", "max": 0},
      {"kind": "flood_answers", "answer": "short", "min": 1}
    ]
  })json";
}

RunReport RunJson(const std::string& json, std::optional<uint64_t> seed = std::nullopt) {
  Scenario scenario;
  ParseError parse;
  EXPECT_EQ(ParseScenario(json, &scenario, &parse), ParseStatus::kOk)
      << parse.json_path << ": " << parse.reason;
  RunOptions options;
  options.seed = seed;
  RunReport report;
  std::string error;
  EXPECT_EQ(RunScenario(scenario, options, &report, &error), RunStatus::kCompleted) << error;
  return report;
}

TEST(FloodTest, JunkLongHeadersDrawVersionNegotiationOnlyWithinThePrefixBudget) {
  const RunReport report = RunJson(JunkScenario(1, kVnBudget));
  EXPECT_TRUE(report.passed) << FormatSummary(report);
  // Flood datagrams are sent like any others: 600 of them, plus the client's.
  EXPECT_GE(report.datagrams_sent, 600u);
}

TEST(FloodTest, AFloodAnswersExpectationWithTheWrongCountFails) {
  const RunReport report = RunJson(JunkScenario(kVnBudget + 1, 400));
  EXPECT_FALSE(report.passed);
  ASSERT_EQ(report.expectations.size(), 4u);
  EXPECT_TRUE(report.expectations[0].met);
  EXPECT_FALSE(report.expectations[1].met) << report.expectations[1].detail;
  EXPECT_NE(report.expectations[1].detail.find("the floods sent 600 datagrams"), std::string::npos)
      << report.expectations[1].detail;
}

TEST(FloodTest, AFloodReplaysWithItsSeedAndChangesWithAnother) {
  const RunReport first = RunJson(JunkScenario(1, kVnBudget));
  const RunReport again = RunJson(JunkScenario(1, kVnBudget));
  const RunReport other = RunJson(JunkScenario(1, kVnBudget), 6);
  EXPECT_EQ(DigestHex(first.digest), DigestHex(again.digest));
  EXPECT_EQ(first.events, again.events);
  EXPECT_NE(DigestHex(first.digest), DigestHex(other.digest));
  EXPECT_TRUE(other.passed) << FormatSummary(other);
}

}  // namespace
}  // namespace p2pquic::scenarios
