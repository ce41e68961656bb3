// Prints, in the Prometheus text format, the registry metrics of a short
// scripted workload touching every family (with a fake debug timer, so the
// duration histograms hold data): input for promtool_lint_test.sh.
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <iostream>
#include <vector>

#include "metrics/registry_metrics_exporter.h"
#include "testing/packet_builder.h"
#include "testing/stepping_timer.h"
#include "transport/routing/connection_id_registry.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic {
namespace {

int Run() {
  testing::SteppingTimer timer(700);
  RegistrySettings settings;
  settings.debug_timer = &timer;
  SeededRandom random(11);
  ConnectionIdRegistry registry(settings, random);
  prometheus::Registry prometheus;
  metrics::RegistryMetricsExporter exporter(prometheus);
  const SocketAddress remote = SocketAddress::Loopback4(5000);
  const SocketAddress local = SocketAddress::Loopback4(4433);
  const Timestamp now = Timestamp{} + std::chrono::seconds(1);

  const ConnectionHandle a = registry.OpenConnection();
  for (uint8_t seq = 0; seq < 4; ++seq) registry.IssueCid(a, testing::MakeCid(seq), seq);
  registry.Promote(a);
  registry.RouteDatagram(testing::ShortHeaderPacket(testing::MakeCid(1)), remote, local, now);
  registry.RouteDatagram(testing::ShortHeaderPacket(testing::MakeCid(0x99)), remote, local, now);
  registry.RetireCid(a, 0, now);
  registry.ExpireRetired(now + settings.retired_cid_grace);
  const ConnectionHandle b = registry.OpenConnection();
  registry.IssueCid(b, testing::MakeCid(1), 0);  // Collision.
  registry.BindAddress(b, remote, local);
  registry.RouteDatagram(testing::ShortHeaderPacket(testing::MakeCid(0x60)), remote, local,
                         now);  // Fallback.
  registry.ConfirmFallback(b, testing::MakeCid(0x60), 5);
  registry.RemoveConnection(a);
  exporter.Export(registry.stats());

  std::cout << prometheus::TextSerializer().Serialize(prometheus.Collect());
  return std::cout.good() ? 0 : 1;
}

}  // namespace
}  // namespace p2pquic

int main() { return p2pquic::Run(); }
