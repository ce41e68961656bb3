// EndpointMetricsExporter: each EndpointStats field lands in its series,
// counters move by the difference between exports.
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

}  // namespace
}  // namespace p2pquic::metrics
