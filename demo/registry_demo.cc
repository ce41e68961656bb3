// registry_demo: a scripted walk through the Connection-ID registry over real
// UDP on 127.0.0.1. Client sockets send hand-built QUIC headers to a server
// socket (Boost.Asio runtime); the server routes every datagram it receives
// through ConnectionIdRegistry, plays the connection's part by hand (there is
// no QUIC connection yet: that is the transport issue), prints each routing
// outcome, then the registry's stats and its Prometheus metrics.
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "metrics/registry_metrics_exporter.h"
#include "testing/packet_builder.h"
#include "transport/routing/connection_id_registry.h"
#include "transport/runtime/asio/asio_clock.h"
#include "transport/runtime/asio/asio_udp_socket.h"
#include "transport/runtime/asio/system_random.h"

namespace p2pquic::demo {
namespace {

using testing::LongHeaderPacket;
using testing::LongType;
using testing::MakeCid;
using testing::ShortHeaderPacket;

constexpr auto kGrace = std::chrono::milliseconds(50);
constexpr auto kStepTimeout = std::chrono::seconds(2);

class Demo {
 public:
  Demo() : clock_(io_), registry_(Settings(), random_) {
    RebindResult result;
    server_ = AsioUdpSocket::Open(io_, clock_, SocketAddress::Loopback4(0), &result);
    client_ = AsioUdpSocket::Open(io_, clock_, SocketAddress::Loopback4(0), &result);
    rebound_client_ = AsioUdpSocket::Open(io_, clock_, SocketAddress::Loopback4(0), &result);
    if (!server_ || !client_ || !rebound_client_) {
      std::fprintf(stderr, "registry_demo: cannot bind UDP on 127.0.0.1: %s\n", ToString(result));
      std::exit(1);
    }
    server_->SetReceiveHandler([this](const ReceivedDatagram& d) { OnDatagram(d); });
  }

  int Run(bool print_metrics);

 private:
  static RegistrySettings Settings() {
    RegistrySettings s;
    s.retired_cid_grace = kGrace;
    return s;
  }

  // Sends `packet` from `from`, waits until the server routed it, and
  // returns the outcome (bounded in time).
  RouteResult Step(const char* what, AsioUdpSocket& from, const std::vector<uint8_t>& packet) {
    routed_ = false;
    from.SendTo(server_->LocalAddress(), packet);
    io_.restart();
    const auto deadline = std::chrono::steady_clock::now() + kStepTimeout;
    while (!routed_ && std::chrono::steady_clock::now() < deadline) {
      io_.run_one_for(std::chrono::milliseconds(100));
    }
    if (!routed_) {
      std::fprintf(stderr, "registry_demo: datagram for step '%s' never arrived\n", what);
      std::exit(1);
    }
    std::printf("  %-58s -> %-18s", what, ToString(last_.outcome));
    if (NamesConnection(last_.outcome)) {
      std::printf(" connection #%u", last_.connection.index);
    }
    std::printf("\n");
    return last_;
  }

  void OnDatagram(const ReceivedDatagram& d) {
    last_ = registry_.RouteDatagram(d.payload, d.remote, d.local, d.received_at);
    last_remote_ = d.remote;
    routed_ = true;
  }

  void WaitFor(std::chrono::milliseconds duration) {
    bool fired = false;
    clock_.ScheduleAt(clock_.Now() + duration, [&] { fired = true; });
    io_.restart();
    while (!fired) io_.run_one_for(std::chrono::milliseconds(100));
  }

  void Expect(bool ok, const char* what) {
    if (!ok) {
      std::fprintf(stderr, "registry_demo: unexpected result: %s\n", what);
      failed_ = true;
    }
  }

  boost::asio::io_context io_;
  AsioClock clock_;
  SystemRandom random_;
  ConnectionIdRegistry registry_;
  std::unique_ptr<AsioUdpSocket> server_, client_, rebound_client_;
  RouteResult last_;
  SocketAddress last_remote_;
  bool routed_ = false;
  bool failed_ = false;
};

int Demo::Run(bool print_metrics) {
  const ConnectionId client_dcid = MakeCid(0xc1d0c1d0c1d0c1d0);
  const ConnectionId client_scid = MakeCid(0xc11e);
  const SocketAddress server = server_->LocalAddress();
  std::printf("server listening on %s\n\n", server.ToString().c_str());

  std::printf("handshake\n");
  RouteResult r = Step("client Initial, unknown DCID", *client_,
                       LongHeaderPacket(LongType::kInitial, client_dcid, client_scid));
  Expect(r.outcome == RouteOutcome::kMissInitial, "first Initial misses");
  // The endpoint accepts: a pending connection, its first CID, the path.
  const ConnectionHandle conn = registry_.OpenConnection();
  registry_.AddInitialDcid(conn, client_dcid, last_remote_);
  registry_.IssueCid(conn, MakeCid(0x5e000000), 0);
  registry_.BindAddress(conn, last_remote_, server);
  const SocketAddress client_path = last_remote_;
  r = Step("client Initial retransmitted", *client_,
           LongHeaderPacket(LongType::kInitial, client_dcid, client_scid));
  Expect(r.outcome == RouteOutcome::kInitialHit && r.connection == conn, "Initial hit");
  r = Step("client Handshake to the server's CID (seq 0)", *client_,
           LongHeaderPacket(LongType::kHandshake, MakeCid(0x5e000000), client_scid, 60));
  Expect(r.outcome == RouteOutcome::kCidHit, "handshake hit");
  // Handshake confirmed: established, initial DCIDs gone, more CIDs issued
  // (registered before NEW_CONNECTION_ID could announce them).
  registry_.Promote(conn);
  registry_.RemoveInitialDcids(conn);
  registry_.IssueCid(conn, MakeCid(0x5e000001), 1);
  registry_.IssueCid(conn, MakeCid(0x5e000002), 2);
  registry_.AddResetToken(conn, client_path, StatelessResetToken{0xde, 0xad});

  std::printf("\nmigration and CID races\n");
  r = Step("1-RTT on CID seq 1", *client_, ShortHeaderPacket(MakeCid(0x5e000001)));
  Expect(r.outcome == RouteOutcome::kCidHit, "1-RTT hit");
  r = Step("NAT rebinding: 1-RTT on CID seq 2 from a new port", *rebound_client_,
           ShortHeaderPacket(MakeCid(0x5e000002)));
  Expect(r.outcome == RouteOutcome::kCidHit && r.connection == conn, "CID survives rebinding");
  r = Step("1-RTT on CID seq 3 whose registration is late", *client_,
           ShortHeaderPacket(MakeCid(0x5e000003)));
  Expect(r.outcome == RouteOutcome::kFallback && r.connection == conn, "fallback by address");
  // The connection decrypted it: only now is the CID bound.
  registry_.ConfirmFallback(conn, MakeCid(0x5e000003), 3);
  r = Step("1-RTT on CID seq 3 again, from the new port", *rebound_client_,
           ShortHeaderPacket(MakeCid(0x5e000003)));
  Expect(r.outcome == RouteOutcome::kCidHit, "confirmed CID hit");
  r = Step("unknown CID from the new, unvalidated port", *rebound_client_,
           ShortHeaderPacket(MakeCid(0x0bad)));
  Expect(r.outcome == RouteOutcome::kMissShort, "no fallback for an unvalidated path");

  std::printf("\nretirement\n");
  registry_.RetireCid(conn, 1, clock_.Now());
  r = Step("late 1-RTT on retired CID seq 1, inside the grace", *client_,
           ShortHeaderPacket(MakeCid(0x5e000001)));
  Expect(r.outcome == RouteOutcome::kRetiredInGrace, "retired in grace");
  WaitFor(kGrace + std::chrono::milliseconds(10));
  std::printf("  (%zu retired CID removed after %lld ms of grace)\n",
              registry_.ExpireRetired(clock_.Now()), static_cast<long long>(kGrace.count()));
  r = Step("late 1-RTT on retired CID seq 1, after the grace", *rebound_client_,
           ShortHeaderPacket(MakeCid(0x5e000001)));
  Expect(r.outcome == RouteOutcome::kMissShort, "retired CID misses");

  std::printf("\nbad and odd datagrams\n");
  r = Step("stateless reset from the client", *client_,
           testing::StatelessResetPacket(StatelessResetToken{0xde, 0xad}));
  Expect(r.outcome == RouteOutcome::kResetToken, "reset token");
  r = Step("Initial of an unknown version", *client_,
           LongHeaderPacket(LongType::kInitial, client_dcid, client_scid, 1200, 0x1a2a3a4a));
  Expect(r.outcome == RouteOutcome::kUnsupportedVersion, "version negotiation");
  r = Step("truncated short header", *client_, std::vector<uint8_t>{0x41, 0x5e});
  Expect(r.outcome == RouteOutcome::kMalformed, "malformed");

  std::printf("\nclose\n");
  registry_.RemoveConnection(conn);
  r = Step("1-RTT on CID seq 2 after close", *client_, ShortHeaderPacket(MakeCid(0x5e000002)));
  Expect(r.outcome == RouteOutcome::kMissShort, "closed connection misses");

  const RegistryStats& s = registry_.stats();
  std::printf("\nregistry stats\n  lookups:");
  for (int i = 0; i < kRouteOutcomeCount; ++i) {
    if (s.lookups_by_outcome[i] != 0) {
      std::printf(" %s=%llu", ToString(static_cast<RouteOutcome>(i)),
                  static_cast<unsigned long long>(s.lookups_by_outcome[i]));
    }
  }
  std::printf(
      "\n  CIDs issued=%llu retired=%llu expired=%llu removed_with_connection=%llu "
      "fallback_confirmed=%llu\n  live CIDs=%llu connections=%zu\n",
      static_cast<unsigned long long>(s.cids_issued),
      static_cast<unsigned long long>(s.cids_retired),
      static_cast<unsigned long long>(s.cids_expired),
      static_cast<unsigned long long>(s.cids_removed_with_connection),
      static_cast<unsigned long long>(s.fallback_confirmed),
      static_cast<unsigned long long>(s.cids(CidState::kIssued) + s.cids(CidState::kActive) +
                                      s.cids(CidState::kRetiring)),
      registry_.LiveConnectionCount());
  const InvariantReport report = registry_.CheckInvariants();
  Expect(report.ok(), report.violation.c_str());
  if (print_metrics) {
    prometheus::Registry prometheus;
    metrics::RegistryMetricsExporter exporter(prometheus);
    exporter.Export(s);
    std::printf("\nPrometheus metrics\n%s",
                prometheus::TextSerializer().Serialize(prometheus.Collect()).c_str());
  }
  std::printf("\n%s\n", failed_ ? "FAILED: some routing outcome was not as expected"
                                : "every datagram was routed as expected");
  return failed_ ? 1 : 0;
}

}  // namespace
}  // namespace p2pquic::demo

int main(int argc, char** argv) {
  CLI::App app{
      "Routes a scripted set of QUIC datagrams over UDP on 127.0.0.1 through the "
      "p2pquic Connection-ID registry and prints each outcome and the stats."};
  bool print_metrics = false;
  app.add_flag("--metrics", print_metrics, "also print the registry's Prometheus metrics");
  CLI11_PARSE(app, argc, argv);
  return p2pquic::demo::Demo().Run(print_metrics);
}
