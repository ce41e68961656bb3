// Drives a real ConnectionIdRegistry, exports its stats and checks the
// Prometheus text a scrape would return, series by series.
#include "metrics/registry_metrics_exporter.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include "testing/packet_builder.h"
#include "testing/stepping_timer.h"
#include "transport/routing/connection_id_registry.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::metrics {
namespace {

using std::chrono::milliseconds;

// The value of one series in the text exposition, "<absent>" if missing.
std::string Sample(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(series + " ", 0) == 0) return line.substr(series.size() + 1);
  }
  return "<absent>";
}

class ExporterTest : public ::testing::Test {
 protected:
  std::string Scrape() { return prometheus::TextSerializer().Serialize(prometheus_.Collect()); }
  RouteResult Route(const ConnectionId& dcid, const SocketAddress& remote, Timestamp now) {
    return registry_.RouteDatagram(testing::ShortHeaderPacket(dcid), remote, local_, now);
  }

  const SocketAddress local_ = SocketAddress::Loopback4(4433);
  const SocketAddress remote_a_ = SocketAddress::Ipv4({10, 0, 0, 1}, 5000);
  const SocketAddress remote_b_ = SocketAddress::Ipv4({10, 0, 0, 2}, 6000);
  const Timestamp t0_ = Timestamp{} + std::chrono::seconds(10);
  RegistrySettings settings_;
  SeededRandom random_{7};
  ConnectionIdRegistry registry_{settings_, random_};
  prometheus::Registry prometheus_;
  RegistryMetricsExporter exporter_{prometheus_};
};

TEST_F(ExporterTest, EverySeriesExistsBeforeTheFirstExport) {
  const std::string text = Scrape();
  for (int i = 0; i < kRouteOutcomeCount; ++i) {
    const std::string outcome = ToString(static_cast<RouteOutcome>(i));
    EXPECT_EQ(Sample(text, "p2pquic_registry_lookups_total{outcome=\"" + outcome + "\"}"), "0");
  }
  EXPECT_EQ(Sample(text, "p2pquic_registry_operation_duration_seconds_count{operation=\"expire\"}"),
            "0");
  EXPECT_EQ(Sample(text, "p2pquic_registry_cids{state=\"retiring\"}"), "0");
}

TEST_F(ExporterTest, ScriptedWorkloadGivesExactValues) {
  const ConnectionHandle a = registry_.OpenConnection();
  for (uint8_t seq = 0; seq < 4; ++seq) {
    ASSERT_EQ(registry_.IssueCid(a, testing::MakeCid(seq), seq), RegistryResult::kOk);
  }
  ASSERT_EQ(registry_.Promote(a), RegistryResult::kOk);
  EXPECT_EQ(Route(testing::MakeCid(0), remote_a_, t0_).outcome, RouteOutcome::kCidHit);
  EXPECT_EQ(Route(testing::MakeCid(1), remote_a_, t0_).outcome, RouteOutcome::kCidHit);
  EXPECT_EQ(Route(testing::MakeCid(0x99), remote_a_, t0_).outcome, RouteOutcome::kMissShort);

  // A second, pending connection: a collision, an initial DCID, a path, a
  // reset token, and a fallback route it confirms (sequence 7) then one refused.
  const ConnectionHandle b = registry_.OpenConnection();
  EXPECT_EQ(registry_.IssueCid(b, testing::MakeCid(0), 0), RegistryResult::kCidCollision);
  ASSERT_EQ(registry_.AddInitialDcid(b, testing::MakeCid(0x50), remote_b_), RegistryResult::kOk);
  ASSERT_EQ(registry_.BindAddress(b, remote_b_, local_), RegistryResult::kOk);
  StatelessResetToken token;
  token.fill(0x77);
  ASSERT_EQ(registry_.AddResetToken(b, remote_b_, token), RegistryResult::kOk);
  EXPECT_EQ(Route(testing::MakeCid(0x60), remote_b_, t0_).outcome, RouteOutcome::kFallback);
  EXPECT_EQ(registry_.ConfirmFallback(b, testing::MakeCid(0x60), 7), RegistryResult::kOk);
  EXPECT_EQ(registry_.ConfirmFallback(b, testing::MakeCid(1), 1), RegistryResult::kCidCollision);

  ASSERT_EQ(registry_.RetireCid(a, 0, t0_), RegistryResult::kOk);
  EXPECT_EQ(Route(testing::MakeCid(0), remote_a_, t0_ + milliseconds(1)).outcome,
            RouteOutcome::kRetiredInGrace);
  EXPECT_EQ(registry_.ExpireRetired(t0_ + settings_.retired_cid_grace), 1u);
  EXPECT_EQ(Route(testing::MakeCid(0), remote_a_, t0_ + settings_.retired_cid_grace).outcome,
            RouteOutcome::kMissShort);
  ASSERT_EQ(registry_.RemoveConnection(a), RegistryResult::kOk);
  ASSERT_TRUE(registry_.CheckInvariants().ok());

  exporter_.Export(registry_.stats());
  const std::string text = Scrape();
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"p2pquic_registry_lookups_total{outcome=\"cid_hit\"}", "2"},
      {"p2pquic_registry_lookups_total{outcome=\"retired_in_grace\"}", "1"},
      {"p2pquic_registry_lookups_total{outcome=\"fallback\"}", "1"},
      {"p2pquic_registry_lookups_total{outcome=\"miss_short\"}", "2"},
      {"p2pquic_registry_lookups_total{outcome=\"malformed\"}", "0"},
      {"p2pquic_registry_cids_issued_total", "4"},
      {"p2pquic_registry_cid_collisions_total", "1"},
      {"p2pquic_registry_cids_retired_total", "1"},
      {"p2pquic_registry_cids_expired_total", "1"},
      {"p2pquic_registry_cids_removed_with_connection_total", "3"},
      {"p2pquic_registry_fallback_confirmations_total{result=\"confirmed\"}", "1"},
      {"p2pquic_registry_fallback_confirmations_total{result=\"refused\"}", "1"},
      {"p2pquic_registry_connection_events_total{event=\"opened\"}", "2"},
      {"p2pquic_registry_connection_events_total{event=\"promoted\"}", "1"},
      {"p2pquic_registry_connection_events_total{event=\"removed\"}", "1"},
      {"p2pquic_registry_cids{state=\"issued\"}", "0"},
      {"p2pquic_registry_cids{state=\"active\"}", "1"},
      {"p2pquic_registry_cids{state=\"retiring\"}", "0"},
      {"p2pquic_registry_connections{phase=\"pending\"}", "1"},
      {"p2pquic_registry_connections{phase=\"established\"}", "0"},
      {"p2pquic_registry_initial_dcids", "1"},
      {"p2pquic_registry_address_bindings", "1"},
      {"p2pquic_registry_reset_tokens", "1"},
      // Sequences 0, 1, 2, 3 (IssueCid) and 7 (ConfirmFallback); buckets cumulate.
      {"p2pquic_registry_cid_sequence_number_count", "5"},
      {"p2pquic_registry_cid_sequence_number_sum", "13"},
      {"p2pquic_registry_cid_sequence_number_bucket{le=\"0\"}", "1"},
      {"p2pquic_registry_cid_sequence_number_bucket{le=\"3\"}", "4"},
      {"p2pquic_registry_cid_sequence_number_bucket{le=\"4\"}", "4"},
      {"p2pquic_registry_cid_sequence_number_bucket{le=\"8\"}", "5"},
      {"p2pquic_registry_cid_sequence_number_bucket{le=\"+Inf\"}", "5"},
      // No debug timer: no timings.
      {"p2pquic_registry_operation_duration_seconds_count{operation=\"route\"}", "0"},
  };
  for (const auto& [series, value] : expected) EXPECT_EQ(Sample(text, series), value) << series;
}

TEST_F(ExporterTest, CountersStayMonotonicAcrossResetStats) {
  const ConnectionHandle a = registry_.OpenConnection();
  ASSERT_EQ(registry_.IssueCid(a, testing::MakeCid(1), 0), RegistryResult::kOk);
  Route(testing::MakeCid(1), remote_a_, t0_);
  for (int i = 0; i < 3; ++i) Route(testing::MakeCid(0x99), remote_a_, t0_);
  exporter_.Export(registry_.stats());
  const std::string hit = "p2pquic_registry_lookups_total{outcome=\"cid_hit\"}";
  const std::string miss = "p2pquic_registry_lookups_total{outcome=\"miss_short\"}";
  EXPECT_EQ(Sample(Scrape(), hit), "1");
  EXPECT_EQ(Sample(Scrape(), miss), "3");

  // After the reset cid_hit grows past its old value (2 > 1) while
  // miss_short stays below it (1 < 3): both must add their full new value.
  registry_.reset_stats();
  Route(testing::MakeCid(1), remote_a_, t0_);
  Route(testing::MakeCid(1), remote_a_, t0_);
  Route(testing::MakeCid(0x99), remote_a_, t0_);
  exporter_.Export(registry_.stats());
  exporter_.Export(registry_.stats());  // Nothing new: nothing added.
  const std::string text = Scrape();
  EXPECT_EQ(Sample(text, hit), "3");
  EXPECT_EQ(Sample(text, miss), "4");
  EXPECT_EQ(Sample(text, "p2pquic_registry_cids_issued_total"), "1");
  EXPECT_EQ(Sample(text, "p2pquic_registry_cid_sequence_number_count"), "1");
  EXPECT_EQ(Sample(text, "p2pquic_registry_connection_events_total{event=\"opened\"}"), "1");
  // Gauges describe the state, which reset_stats() leaves alone.
  EXPECT_EQ(Sample(text, "p2pquic_registry_cids{state=\"active\"}"), "1");
  EXPECT_EQ(Sample(text, "p2pquic_registry_connections{phase=\"pending\"}"), "1");
}

// A reset after which every counter grows back past its old value cannot
// be seen in the counters; the registry's reset count tells it anyway.
TEST_F(ExporterTest, AResetHiddenByRegrowthIsStillCounted) {
  const ConnectionHandle a = registry_.OpenConnection();
  ASSERT_EQ(registry_.IssueCid(a, testing::MakeCid(1), 0), RegistryResult::kOk);
  Route(testing::MakeCid(1), remote_a_, t0_);
  exporter_.Export(registry_.stats());
  registry_.reset_stats();
  ASSERT_EQ(registry_.IssueCid(a, testing::MakeCid(2), 1), RegistryResult::kOk);
  ASSERT_EQ(registry_.IssueCid(a, testing::MakeCid(3), 2), RegistryResult::kOk);
  registry_.OpenConnection();
  registry_.OpenConnection();
  for (int i = 0; i < 2; ++i) Route(testing::MakeCid(1), remote_a_, t0_);
  exporter_.Export(registry_.stats());
  const std::string text = Scrape();
  EXPECT_EQ(Sample(text, "p2pquic_registry_lookups_total{outcome=\"cid_hit\"}"), "3");
  EXPECT_EQ(Sample(text, "p2pquic_registry_cids_issued_total"), "3");
  EXPECT_EQ(Sample(text, "p2pquic_registry_connection_events_total{event=\"opened\"}"), "3");
}

TEST(ExporterTimingTest, OperationDurationsAreExportedInSeconds) {
  // Each timed operation lasts exactly 300 ns.
  testing::SteppingTimer timer(300);
  RegistrySettings settings;
  settings.debug_timer = &timer;
  SeededRandom random(3);
  ConnectionIdRegistry registry(settings, random);
  prometheus::Registry prometheus;
  RegistryMetricsExporter exporter(prometheus);
  const SocketAddress remote = SocketAddress::Loopback4(5000);
  const SocketAddress local = SocketAddress::Loopback4(4433);

  const ConnectionHandle a = registry.OpenConnection();
  registry.IssueCid(a, testing::MakeCid(1), 0);
  registry.IssueCid(a, testing::MakeCid(2), 1);
  exporter.Export(registry.stats());  // Two Exports: the sum adds up in seconds.
  registry.Promote(a);
  for (int i = 0; i < 3; ++i)
    registry.RouteDatagram(testing::ShortHeaderPacket(testing::MakeCid(1)), remote, local, {});
  exporter.Export(registry.stats());

  const std::string text = prometheus::TextSerializer().Serialize(prometheus.Collect());
  auto series = [&](const char* suffix, const char* op) {
    return Sample(text, std::string("p2pquic_registry_operation_duration_seconds_") + suffix +
                            "{operation=\"" + op + "\"}");
  };
  EXPECT_EQ(series("count", "route"), "3");
  EXPECT_DOUBLE_EQ(std::stod(series("sum", "route")), 900e-9);
  EXPECT_EQ(series("count", "issue"), "2");
  EXPECT_DOUBLE_EQ(std::stod(series("sum", "issue")), 600e-9);
  EXPECT_EQ(series("count", "promote"), "1");
  EXPECT_DOUBLE_EQ(std::stod(series("sum", "promote")), 300e-9);
  EXPECT_EQ(series("count", "retire"), "0");
  // 300 ns lies in (250 ns, 500 ns]: the bounds are in seconds too.
  const std::string bucket =
      "p2pquic_registry_operation_duration_seconds_bucket{operation=\"route\",";
  EXPECT_EQ(Sample(text, bucket + "le=\"2.5e-07\"}"), "0");
  EXPECT_EQ(Sample(text, bucket + "le=\"5e-07\"}"), "3");
}

}  // namespace
}  // namespace p2pquic::metrics
