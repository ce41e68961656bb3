// registry_bench: ConnectionIdRegistry against its floor, a bare
// absl::flat_hash_map from the same CIDs to their connection handles, with
// the same hash function (LocalCidHash), measured in the same run.
//
// Workload per connection (an established server-side connection): 4 issued
// CIDs of 8 bytes, one validated path, 2 peer stateless reset tokens. N is
// the number of CIDs. Lookups pick CIDs in a fixed pseudo-random order so
// large N defeat the caches the same way for the registry and the floor.
//
// After the runs it prints each registry benchmark's time as a ratio of the
// floor at the same N, and the targets: route hit <= 1.2x the bare map at
// 1e6, zero allocations per lookup, <= 128 bytes of registry memory per CID.
#include <absl/container/flat_hash_map.h>
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench/allocation_counter.h"
#include "testing/packet_builder.h"
#include "transport/routing/connection_id_registry.h"
#include "transport/routing/routing_header.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::bench {
namespace {

using testing::MakeCid;

constexpr size_t kCidsPerConnection = 4;
constexpr size_t kLookupBatch = 1 << 14;  // Distinct lookups cycled through.
const SocketAddress kLocal = SocketAddress::Loopback4(4433);
const Timestamp kNow = Timestamp(std::chrono::seconds(1));

SocketAddress PeerOf(size_t connection) {
  return SocketAddress::Ipv4(
      {10, uint8_t(connection >> 16), uint8_t(connection >> 8), uint8_t(connection)},
      static_cast<uint16_t>(1024 + connection % 50000));
}

ConnectionId RandomCid(SeededRandom& random) {
  uint8_t bytes[8];
  random.Fill(bytes);
  ConnectionId cid;
  ConnectionId::FromBytes(bytes, &cid);
  return cid;
}

// One populated registry per N, shared by the lookup benchmarks.
struct Fixture {
  explicit Fixture(size_t cids) : random(42), lookup_random(7) {
    const AllocationSnapshot before = CurrentAllocations();
    registry = std::make_unique<ConnectionIdRegistry>(RegistrySettings{}, random);
    const size_t connections = cids / kCidsPerConnection;
    keys.reserve(cids);
    std::vector<ConnectionHandle> handles;
    handles.reserve(connections);
    // Built in phases so the memory of each kind of entry can be told apart.
    for (size_t c = 0; c < connections; ++c) {
      const ConnectionHandle handle = registry->OpenConnection();
      for (uint64_t seq = 0; seq < kCidsPerConnection; ++seq) {
        ConnectionId cid = RandomCid(random);
        while (registry->IssueCid(handle, cid, seq) != RegistryResult::kOk) {
          cid = RandomCid(random);
        }
        keys.push_back(cid);
      }
      registry->Promote(handle);
      handles.push_back(handle);
    }
    const int64_t after_cids = CurrentAllocations().live_bytes;
    for (size_t c = 0; c < connections; ++c) registry->BindAddress(handles[c], PeerOf(c), kLocal);
    const int64_t after_paths = CurrentAllocations().live_bytes;
    for (size_t c = 0; c < connections; ++c) {
      for (uint8_t t = 0; t < 2; ++t) {
        StatelessResetToken token;
        random.Fill(token);
        registry->AddResetToken(handles[c], PeerOf(c), token);
      }
    }
    const int64_t after_tokens = CurrentAllocations().live_bytes;
    const double n = double(keys.size());
    // keys and handles are the benchmark's own, not the registry's.
    const int64_t own = int64_t(keys.capacity() * sizeof(ConnectionId) +
                                handles.capacity() * sizeof(ConnectionHandle));
    bytes_per_cid = double(after_tokens - before.live_bytes - own) / n;
    cid_bytes_per_cid = double(after_cids - before.live_bytes - own) / n;
    path_bytes_per_cid = double(after_paths - after_cids) / n;
    token_bytes_per_cid = double(after_tokens - after_paths) / n;
    for (size_t i = 0; i < keys.size(); ++i) {
      const ConnectionHandle owner = handles[i / kCidsPerConnection];
      bare.emplace(keys[i], owner);
      bare_default_hash.emplace(keys[i], owner);
      uint64_t w0, w1;
      uint32_t w2;
      keys[i].Words(&w0, &w1, &w2);
      bare_u64.emplace(w0, owner);
    }
    for (size_t i = 0; i < kLookupBatch; ++i) {
      const size_t k = lookup_random.NextU64() % keys.size();
      hit_order.push_back(k);
      hit_packets.push_back(testing::ShortHeaderPacket(keys[k], 24));
      miss_packets.push_back(testing::ShortHeaderPacket(RandomCid(lookup_random), 24));
      fallback_peers.push_back(PeerOf(k / kCidsPerConnection));
    }
  }

  SeededRandom random;
  SeededRandom lookup_random;
  std::unique_ptr<ConnectionIdRegistry> registry;
  std::vector<ConnectionId> keys;
  // The floor: a plain map from each CID to its connection's handle.
  absl::flat_hash_map<ConnectionId, ConnectionHandle, LocalCidHash> bare;
  absl::flat_hash_map<ConnectionId, ConnectionHandle> bare_default_hash;
  // The same information keyed as the registry's compact table keys it.
  absl::flat_hash_map<uint64_t, ConnectionHandle> bare_u64;
  std::vector<size_t> hit_order;
  std::vector<std::vector<uint8_t>> hit_packets;
  std::vector<std::vector<uint8_t>> miss_packets;
  std::vector<SocketAddress> fallback_peers;
  double bytes_per_cid = 0;        // Everything, per CID.
  double cid_bytes_per_cid = 0;    // CID map, connection records, per-connection CID lists.
  double path_bytes_per_cid = 0;   // 4-tuple map and per-connection path lists.
  double token_bytes_per_cid = 0;  // Reset-token map and per-connection token lists.
};

Fixture& FixtureFor(size_t n) {
  static std::map<size_t, std::unique_ptr<Fixture>> fixtures;
  auto& slot = fixtures[n];
  if (!slot) slot = std::make_unique<Fixture>(n);
  return *slot;
}

std::vector<RoutingHeader> ParseAll(const std::vector<std::vector<uint8_t>>& packets) {
  std::vector<RoutingHeader> headers(packets.size());
  for (size_t i = 0; i < packets.size(); ++i) {
    ParseRoutingHeader(packets[i], 8, &headers[i]);
  }
  return headers;
}

// Runs `body(i)` per iteration and records allocations per op. Every
// benchmark consumes its results the same way, as a caller would: the owner
// index each lookup returns is folded into a sink the optimiser must keep.
template <typename Body>
void RunCounted(benchmark::State& state, Body body) {
  size_t i = 0;
  uint64_t sink = 0;
  const AllocationSnapshot before = CurrentAllocations();
  for (auto _ : state) {
    sink += body(i);
    i = (i + 1) & (kLookupBatch - 1);
  }
  benchmark::DoNotOptimize(sink);
  const AllocationSnapshot after = CurrentAllocations();
  state.counters["allocs_per_op"] =
      double(after.allocations - before.allocations) / double(state.iterations());
}

void BM_BareMapLookup(benchmark::State& state) {
  Fixture& f = FixtureFor(size_t(state.range(0)));
  const std::vector<RoutingHeader> headers = ParseAll(f.hit_packets);
  RunCounted(state, [&](size_t i) {
    auto it = f.bare.find(headers[i].dcid);
    return it->second.index;
  });
}

// The same map with absl's default hash, for context.
void BM_BareMapDefaultHash(benchmark::State& state) {
  Fixture& f = FixtureFor(size_t(state.range(0)));
  const std::vector<RoutingHeader> headers = ParseAll(f.hit_packets);
  RunCounted(state, [&](size_t i) {
    auto it = f.bare_default_hash.find(headers[i].dcid);
    return it->second.index;
  });
}

// A bare map keyed by the CID's 8 bytes as one word, the registry's own
// representation for 8-byte CIDs: the tightest floor there is.
void BM_BareMapU64(benchmark::State& state) {
  Fixture& f = FixtureFor(size_t(state.range(0)));
  const std::vector<RoutingHeader> headers = ParseAll(f.hit_packets);
  RunCounted(state, [&](size_t i) {
    uint64_t w0, w1;
    uint32_t w2;
    headers[i].dcid.Words(&w0, &w1, &w2);
    return f.bare_u64.find(w0)->second.index;
  });
}

void BM_RegistryRouteHit(benchmark::State& state) {
  Fixture& f = FixtureFor(size_t(state.range(0)));
  const std::vector<RoutingHeader> headers = ParseAll(f.hit_packets);
  RunCounted(state, [&](size_t i) {
    RouteResult r = f.registry->Route(headers[i], f.fallback_peers[i], kLocal, kNow);
    return r.connection.index + static_cast<uint32_t>(r.outcome);
  });
  state.counters["bytes_per_cid"] = f.bytes_per_cid;
  state.counters["cid_part"] = f.cid_bytes_per_cid;
  state.counters["path_part"] = f.path_bytes_per_cid;
  state.counters["token_part"] = f.token_bytes_per_cid;
}

// Parsing included: what the endpoint pays per datagram.
void BM_RegistryRouteDatagramHit(benchmark::State& state) {
  Fixture& f = FixtureFor(size_t(state.range(0)));
  RunCounted(state, [&](size_t i) {
    RouteResult r = f.registry->RouteDatagram(f.hit_packets[i], f.fallback_peers[i], kLocal, kNow);
    return r.connection.index + static_cast<uint32_t>(r.outcome);
  });
}

// Unknown CID from an unknown address: CID map, reset-token map and 4-tuple
// map all miss.
void BM_RegistryRouteMiss(benchmark::State& state) {
  Fixture& f = FixtureFor(size_t(state.range(0)));
  const std::vector<RoutingHeader> headers = ParseAll(f.miss_packets);
  const SocketAddress stranger = SocketAddress::Loopback4(9);
  RunCounted(state, [&](size_t i) {
    RouteResult r = f.registry->Route(headers[i], stranger, kLocal, kNow);
    return r.connection.index + static_cast<uint32_t>(r.outcome);
  });
}

// Unknown CID from a known path: the address fallback.
void BM_RegistryFallback(benchmark::State& state) {
  Fixture& f = FixtureFor(size_t(state.range(0)));
  const std::vector<RoutingHeader> headers = ParseAll(f.miss_packets);
  RunCounted(state, [&](size_t i) {
    RouteResult r = f.registry->Route(headers[i], f.fallback_peers[i], kLocal, kNow);
    return r.connection.index + static_cast<uint32_t>(r.outcome);
  });
}

// Steady-state CID rotation: per iteration one connection issues a new CID
// and retires its oldest (1 ms grace), and the expiry sweep runs. Holds N
// CIDs live throughout, plus those in grace.
void BM_RegistryIssueRetire(benchmark::State& state) {
  const size_t n = size_t(state.range(0));
  SeededRandom random(99);
  RegistrySettings settings;
  settings.retired_cid_grace = std::chrono::milliseconds(1);
  ConnectionIdRegistry registry(settings, random);
  const size_t connections = n / kCidsPerConnection;
  std::vector<ConnectionHandle> handles;
  std::vector<uint64_t> next_seq(connections, kCidsPerConnection);
  for (size_t c = 0; c < connections; ++c) {
    handles.push_back(registry.OpenConnection());
    for (uint64_t seq = 0; seq < kCidsPerConnection; ++seq) {
      registry.IssueCid(handles.back(), RandomCid(random), seq);
    }
  }
  std::vector<ConnectionId> fresh(kLookupBatch);
  for (ConnectionId& cid : fresh) cid = RandomCid(random);
  Timestamp now = kNow;
  size_t c = 0;
  RunCounted(state, [&](size_t i) {
    const uint64_t seq = next_seq[c]++;
    if (registry.IssueCid(handles[c], fresh[i], seq) != RegistryResult::kOk) {
      fresh[i] = RandomCid(random);  // Collision or reuse: draw again next lap.
    }
    registry.RetirePriorTo(handles[c], seq + 1 - kCidsPerConnection, now);
    now += std::chrono::microseconds(1);
    const size_t expired = registry.ExpireRetired(now);
    c = (c + 1) % connections;
    return expired;
  });
}

constexpr int64_t kSizes[] = {1000, 100000, 1000000};

void Sizes(benchmark::internal::Benchmark* b) {
  for (int64_t n : kSizes) b->Arg(n);
}

BENCHMARK(BM_BareMapLookup)->Apply(Sizes);
BENCHMARK(BM_BareMapDefaultHash)->Apply(Sizes);
BENCHMARK(BM_BareMapU64)->Apply(Sizes);
BENCHMARK(BM_RegistryRouteHit)->Apply(Sizes);
BENCHMARK(BM_RegistryRouteDatagramHit)->Apply(Sizes);
BENCHMARK(BM_RegistryRouteMiss)->Apply(Sizes);
BENCHMARK(BM_RegistryFallback)->Apply(Sizes);
BENCHMARK(BM_RegistryIssueRetire)->Apply(Sizes);

// Prints the usual console table, then the ratios and targets.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      // With --benchmark_repetitions, the median stands for the benchmark.
      std::string name = run.benchmark_name();
      if (run.run_type == Run::RT_Aggregate) {
        if (run.aggregate_name != "median") continue;
        name = run.run_name.str();
      }
      Result& r = results_[name];
      r.ns = run.GetAdjustedCPUTime();
      for (const auto& [name, counter] : run.counters) r.counters[name] = counter.value;
    }
  }

  // Returns the number of targets missed.
  int PrintSummary() const {
    std::printf("\nRatios against the bare map at the same N (CPU time per op):\n");
    for (const char* name : {"BM_BareMapDefaultHash", "BM_BareMapU64", "BM_RegistryRouteHit",
                             "BM_RegistryRouteDatagramHit", "BM_RegistryRouteMiss",
                             "BM_RegistryFallback", "BM_RegistryIssueRetire"}) {
      std::printf("  %-28s", name);
      for (int64_t n : kSizes) {
        std::printf("  N=%-7lld %5.2fx", static_cast<long long>(n), Ratio(name, n));
      }
      std::printf("\n");
    }
    int missed = 0;
    const double hit_ratio = Ratio("BM_RegistryRouteHit", 1000000);
    missed += Target("route hit <= 1.2x bare map at N=1e6", hit_ratio <= 1.2, hit_ratio, "x");
    double max_allocs = 0;
    for (const auto& [name, r] : results_) {
      if (name.find("Route") != std::string::npos || name.find("Fallback") != std::string::npos) {
        max_allocs = std::max(max_allocs, Counter(name, "allocs_per_op"));
      }
    }
    missed += Target("no heap allocation per lookup", max_allocs == 0, max_allocs, " allocs/op");
    double max_bytes = 0;
    for (int64_t n : kSizes) {
      const std::string name = "BM_RegistryRouteHit/" + std::to_string(n);
      const double bytes = Counter(name, "bytes_per_cid");
      std::printf(
          "  registry memory per CID at N=%-7lld %6.1f bytes  (CIDs %5.1f + paths %5.1f + reset "
          "tokens %5.1f)\n",
          static_cast<long long>(n), bytes, Counter(name, "cid_part"), Counter(name, "path_part"),
          Counter(name, "token_part"));
      max_bytes = std::max(max_bytes, bytes);
    }
    missed += Target("<= 128 bytes of registry memory per CID", max_bytes <= 128, max_bytes,
                     " bytes (worst N)");
    return missed;
  }

 private:
  struct Result {
    double ns = 0;
    std::map<std::string, double> counters;
  };

  double Ratio(const std::string& name, int64_t n) const {
    const std::string suffix = "/" + std::to_string(n);
    auto it = results_.find(name + suffix);
    auto floor = results_.find("BM_BareMapLookup" + suffix);
    if (it == results_.end() || floor == results_.end() || floor->second.ns == 0) return 0;
    return it->second.ns / floor->second.ns;
  }

  double Counter(const std::string& name, const std::string& counter) const {
    auto it = results_.find(name);
    if (it == results_.end()) return 0;
    auto c = it->second.counters.find(counter);
    return c == it->second.counters.end() ? 0 : c->second;
  }

  static int Target(const char* what, bool met, double value, const char* unit) {
    std::printf("TARGET %-42s %-7s (%.2f%s)\n", what, met ? "MET" : "MISSED", value, unit);
    return met ? 0 : 1;
  }

  std::map<std::string, Result> results_;
};

}  // namespace
}  // namespace p2pquic::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  p2pquic::bench::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintSummary();
  benchmark::Shutdown();
  return 0;
}
