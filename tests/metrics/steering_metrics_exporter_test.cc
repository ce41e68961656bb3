// SteeringMetricsExporter: each SteeringStats field and the forward queue's
// drops reach their own series under the worker's labels, advancing by the
// difference between exports; the mode gauge says 1 for the mode in use.
#include "metrics/steering_metrics_exporter.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <sstream>
#include <string>
#include <vector>

namespace p2pquic::metrics {
namespace {

std::string Sample(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(series + " ", 0) == 0) return line.substr(series.size() + 1);
  }
  return "<absent>";
}

std::string Scrape(prometheus::Registry& registry) {
  return prometheus::TextSerializer().Serialize(registry.Collect());
}

TEST(SteeringMetricsExporterTest, EveryCounterHasItsSeriesPerWorker) {
  prometheus::Registry registry;
  SteeringMetricsExporter worker2(registry, {{"worker", "2"}});
  SteeringMetricsExporter worker3(registry, {{"worker", "3"}});
  EXPECT_EQ(Sample(Scrape(registry),
                   "p2pquic_steering_datagrams_total{path=\"forwarded_in\",worker=\"2\"}"),
            "0");
  SteeringStats stats;
  stats.delivered_here = 10;
  stats.unsteered = 1;
  stats.misrouted = 4;
  stats.forwarded_in = 6;
  worker2.Export(stats, 2);
  stats.delivered_here = 15;  // Five more.
  stats.forwarded_in = 7;
  worker2.Export(stats, 3);
  worker3.Export(SteeringStats{.delivered_here = 1}, 0);
  const std::string text = Scrape(registry);
  EXPECT_EQ(Sample(text, "p2pquic_steering_datagrams_total{path=\"delivered_here\",worker=\"2\"}"),
            "15");
  EXPECT_EQ(Sample(text, "p2pquic_steering_datagrams_total{path=\"forwarded_out\",worker=\"2\"}"),
            "4");
  EXPECT_EQ(Sample(text, "p2pquic_steering_datagrams_total{path=\"forwarded_in\",worker=\"2\"}"),
            "7");
  EXPECT_EQ(Sample(text, "p2pquic_steering_unsteered_datagrams_total{worker=\"2\"}"), "1");
  EXPECT_EQ(Sample(text, "p2pquic_steering_forward_queue_drops_total{worker=\"2\"}"), "3");
  EXPECT_EQ(Sample(text, "p2pquic_steering_datagrams_total{path=\"delivered_here\",worker=\"3\"}"),
            "1");
  EXPECT_EQ(Sample(text, "p2pquic_steering_forward_queue_drops_total{worker=\"3\"}"), "0");
}

TEST(SteeringMetricsExporterTest, TheModeGaugeMarksTheModeInUse) {
  prometheus::Registry registry;
  const std::vector<std::string> modes = {"none", "user-space-forwarding", "kernel"};
  ExportSteeringMode(registry, {{"listen", "a"}}, modes, "user-space-forwarding");
  const std::string text = Scrape(registry);
  EXPECT_EQ(Sample(text, "p2pquic_steering_mode{listen=\"a\",mode=\"user-space-forwarding\"}"),
            "1");
  EXPECT_EQ(Sample(text, "p2pquic_steering_mode{listen=\"a\",mode=\"kernel\"}"), "0");
  EXPECT_EQ(Sample(text, "p2pquic_steering_mode{listen=\"a\",mode=\"none\"}"), "0");
}

}  // namespace
}  // namespace p2pquic::metrics
