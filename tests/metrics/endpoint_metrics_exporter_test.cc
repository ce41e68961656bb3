// EndpointMetricsExporter: every EndpointStats field reaches its own series,
// counters advance by the difference between exports, and EAGAIN is its own
// series, not a send failure.
#include "metrics/endpoint_metrics_exporter.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace p2pquic::metrics {
namespace {

// The value of one series in the text exposition, "<absent>" if missing.
std::string Sample(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(series + " ", 0) == 0) return line.substr(series.size() + 1);
  }
  return "<absent>";
}

// Every counter series with the field it publishes.
const std::vector<std::pair<std::string, uint64_t EndpointStats::*>>& Series() {
  static const std::vector<std::pair<std::string, uint64_t EndpointStats::*>> series = {
      {"p2pquic_endpoint_datagrams_total{direction=\"received\"}",
       &EndpointStats::datagrams_received},
      {"p2pquic_endpoint_datagrams_total{direction=\"sent\"}", &EndpointStats::datagrams_sent},
      {"p2pquic_endpoint_send_failures_total", &EndpointStats::send_failures},
      {"p2pquic_endpoint_send_blocked_total", &EndpointStats::sends_blocked},
      {"p2pquic_endpoint_held_datagrams_total", &EndpointStats::datagrams_held},
      {"p2pquic_endpoint_held_datagrams_dropped_total", &EndpointStats::held_dropped},
      {"p2pquic_endpoint_handshakes_started_total", &EndpointStats::handshakes_started},
      {"p2pquic_endpoint_handshakes_completed_total", &EndpointStats::handshakes_completed},
      {"p2pquic_endpoint_connections_closed_total", &EndpointStats::connections_closed},
      {"p2pquic_endpoint_initials_refused_total", &EndpointStats::initials_refused},
      {"p2pquic_endpoint_version_negotiations_total", &EndpointStats::version_negotiations_sent},
      {"p2pquic_endpoint_stateless_resets_total{result=\"sent\"}",
       &EndpointStats::stateless_resets_sent},
      {"p2pquic_endpoint_stateless_resets_total{result=\"suppressed\"}",
       &EndpointStats::stateless_resets_suppressed},
      {"p2pquic_endpoint_stateless_resets_total{result=\"suppressed_prefix\"}",
       &EndpointStats::stateless_resets_suppressed_prefix},
      {"p2pquic_endpoint_version_negotiations_suppressed_total{budget=\"endpoint\"}",
       &EndpointStats::version_negotiations_suppressed},
      {"p2pquic_endpoint_version_negotiations_suppressed_total{budget=\"prefix\"}",
       &EndpointStats::version_negotiations_suppressed_prefix},
      {"p2pquic_endpoint_udp_payload_bytes_total{direction=\"received\"}",
       &EndpointStats::bytes_received},
      {"p2pquic_endpoint_udp_payload_bytes_total{direction=\"sent\"}", &EndpointStats::bytes_sent},
      {"p2pquic_endpoint_streams_accepted_total", &EndpointStats::streams_accepted},
      {"p2pquic_endpoint_migrations_total", &EndpointStats::migrations},
      {"p2pquic_endpoint_path_validations_total{result=\"succeeded\"}",
       &EndpointStats::path_validations_succeeded},
      {"p2pquic_endpoint_path_validations_total{result=\"failed\"}",
       &EndpointStats::path_validations_failed},
      {"p2pquic_endpoint_dropped_datagrams_total", &EndpointStats::dropped},
      {"p2pquic_endpoint_stateless_resets_total{result=\"possible_reset\"}",
       &EndpointStats::possible_resets_unanswered},
      {"p2pquic_endpoint_stateless_resets_received_total",
       &EndpointStats::stateless_resets_received},
      {"p2pquic_endpoint_cid_collisions_total", &EndpointStats::cid_collisions},
      {"p2pquic_endpoint_cid_draws_exhausted_total", &EndpointStats::cid_draws_exhausted},
      {"p2pquic_endpoint_late_initials_total", &EndpointStats::late_initials},
      {"p2pquic_endpoint_migrations_deferred_total", &EndpointStats::migrations_deferred},
      {"p2pquic_endpoint_migrations_abandoned_total", &EndpointStats::migrations_abandoned},
      {"p2pquic_endpoint_pmtu_black_holes_total", &EndpointStats::pmtu_black_holes},
      {"p2pquic_endpoint_connections_accepted_total", &EndpointStats::connections_accepted},
      {"p2pquic_endpoint_closing_datagrams_received_total",
       &EndpointStats::closing_datagrams_received},
      {"p2pquic_endpoint_connection_closes_resent_total", &EndpointStats::connection_closes_resent},
  };
  return series;
}

class EndpointExporterTest : public ::testing::Test {
 protected:
  std::string Scrape() { return prometheus::TextSerializer().Serialize(prometheus_.Collect()); }

  prometheus::Registry prometheus_;
  EndpointMetricsExporter exporter_{prometheus_};
};

TEST_F(EndpointExporterTest, EverySeriesExistsAtZeroBeforeTheFirstExport) {
  const std::string text = Scrape();
  for (const auto& [series, field] : Series()) EXPECT_EQ(Sample(text, series), "0") << series;
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_connections"), "0");
}

TEST_F(EndpointExporterTest, EachFieldReachesItsOwnSeries) {
  EndpointStats stats;
  uint64_t value = 1;
  for (const auto& [series, field] : Series()) stats.*field = value++;
  exporter_.Export(stats, 5);
  const std::string text = Scrape();
  value = 1;
  for (const auto& [series, field] : Series()) {
    EXPECT_EQ(Sample(text, series), std::to_string(value++)) << series;
  }
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_connections"), "5");
}

TEST_F(EndpointExporterTest, EagainIsCountedApartFromSendFailures) {
  EndpointStats stats;
  stats.sends_blocked = 3;
  stats.datagrams_held = 40;
  exporter_.Export(stats, 1);
  stats.sends_blocked = 5;  // Two more since the last export.
  stats.datagrams_held = 52;
  stats.held_dropped = 2;
  stats.send_failures = 1;
  exporter_.Export(stats, 1);
  const std::string text = Scrape();
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_send_blocked_total"), "5");
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_held_datagrams_total"), "52");
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_held_datagrams_dropped_total"), "2");
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_send_failures_total"), "1");
}

TEST_F(EndpointExporterTest, StatelessResetsEachWayHaveTheirOwnSeries) {
  const std::string empty = Scrape();
  EXPECT_EQ(Sample(empty, "p2pquic_endpoint_stateless_resets_total{result=\"possible_reset\"}"),
            "0");
  EXPECT_EQ(Sample(empty, "p2pquic_endpoint_stateless_resets_received_total"), "0");
  EndpointStats stats;
  stats.stateless_resets_sent = 5;
  stats.stateless_resets_suppressed = 2;
  stats.possible_resets_unanswered = 3;
  stats.stateless_resets_received = 4;
  exporter_.Export(stats, 0);
  stats.possible_resets_unanswered = 7;
  stats.stateless_resets_received = 6;
  exporter_.Export(stats, 1);
  const std::string text = Scrape();
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_stateless_resets_total{result=\"sent\"}"), "5");
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_stateless_resets_total{result=\"suppressed\"}"), "2");
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_stateless_resets_total{result=\"possible_reset\"}"),
            "7");
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_stateless_resets_received_total"), "6");
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_connections"), "1");
}

TEST(EndpointExporterLabelsTest, WorkersOnOneRegistryKeepTheirOwnSeries) {
  prometheus::Registry prometheus;
  EndpointMetricsExporter worker0(prometheus, {{"worker", "0"}});
  EndpointMetricsExporter worker1(prometheus, {{"worker", "1"}});
  EndpointStats stats;
  stats.handshakes_completed = 3;
  stats.datagrams_received = 10;
  worker0.Export(stats, 2);
  stats.handshakes_completed = 5;
  worker1.Export(stats, 4);
  const std::string text = prometheus::TextSerializer().Serialize(prometheus.Collect());
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_handshakes_completed_total{worker=\"0\"}"), "3");
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_handshakes_completed_total{worker=\"1\"}"), "5");
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_datagrams_total{direction=\"received\",worker=\"1\"}"),
            "10");
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_connections{worker=\"0\"}"), "2");
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_connections{worker=\"1\"}"), "4");
  // No unlabelled series: each worker's are its own.
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_connections"), "<absent>");
}

}  // namespace
}  // namespace p2pquic::metrics
