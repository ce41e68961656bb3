// Exports EndpointStats and checks the Prometheus text a scrape would return,
// series by series: each stat reaches its metric, and a second export adds
// only what changed.
#include "metrics/endpoint_metrics_exporter.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <sstream>
#include <string>

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

class EndpointExporterTest : public ::testing::Test {
 protected:
  std::string Scrape() { return prometheus::TextSerializer().Serialize(prometheus_.Collect()); }

  prometheus::Registry prometheus_;
  EndpointMetricsExporter exporter_{prometheus_};
};

TEST_F(EndpointExporterTest, TheClosingPeriodIsCounted) {
  EndpointStats stats;
  stats.closing_datagrams_received = 9;
  stats.connection_closes_resent = 4;
  exporter_.Export(stats, 1);
  std::string text = Scrape();
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_closing_datagrams_received_total"), "9");
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_connection_closes_resent_total"), "4");
  stats.closing_datagrams_received = 16;
  stats.connection_closes_resent = 5;
  exporter_.Export(stats, 0);
  text = Scrape();
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_closing_datagrams_received_total"), "16");
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_connection_closes_resent_total"), "5");
}

TEST_F(EndpointExporterTest, EveryOtherStatReachesItsSeries) {
  EndpointStats stats;
  stats.datagrams_received = 1;
  stats.datagrams_sent = 2;
  stats.stateless_resets_sent = 3;
  stats.stateless_resets_suppressed = 4;
  stats.dropped = 5;
  stats.path_validations_succeeded = 6;
  exporter_.Export(stats, 7);
  const std::string text = Scrape();
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_datagrams_total{direction=\"received\"}"), "1");
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_datagrams_total{direction=\"sent\"}"), "2");
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_stateless_resets_total{result=\"sent\"}"), "3");
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_stateless_resets_total{result=\"suppressed\"}"), "4");
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_dropped_datagrams_total"), "5");
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_path_validations_total{result=\"succeeded\"}"), "6");
  EXPECT_EQ(Sample(text, "p2pquic_endpoint_connections"), "7");
}

}  // namespace
}  // namespace p2pquic::metrics
