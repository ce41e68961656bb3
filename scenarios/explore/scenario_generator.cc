// One file on purpose (over 600 lines): the draw order is the generator's
// contract (scenario_generator.h), and it is the order of the Drafter's
// steps below, which share the plan they build. Split across files, a
// reader could no longer check the order against the header top-down.
#include "scenarios/explore/scenario_generator.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "scenarios/explore/case_random.h"

namespace p2pquic::scenarios {
namespace {

using std::chrono::milliseconds;

// --- Settings ------------------------------------------------------------------
// Idle timeouts stay short so a case's virtual run (which ends an idle
// timeout after its last event) stays short: 3-5 s, 5-12 s or 12-30 s.
constexpr std::array<uint32_t, 3> kIdleBandWeights = {20, 50, 30};
constexpr std::array<std::pair<uint64_t, uint64_t>, 3> kIdleBandsMs = {
    {{3'000, 5'000}, {5'000, 12'000}, {12'000, 30'000}}};
// Servers with several workers (2..kMaxDrawnWorkers), a third of them
// forwarding in user space with a hand-off of up to kMaxDrawnForwardDelayMs
// (the registration race the address fallback covers).
constexpr uint32_t kSeveralWorkersPercent = 25;
constexpr uint64_t kMaxDrawnWorkers = 4;
constexpr uint32_t kForwardSteeringPercent = 35;
constexpr uint64_t kMaxDrawnForwardDelayMs = 20;
constexpr uint64_t kMinHandshakeTimeoutMs = 3'000;
constexpr uint64_t kMaxHandshakeTimeoutMs = 10'000;
constexpr uint32_t kKeepAlivePercent = 25;
constexpr uint64_t kMinKeepAliveMs = 500;
// Retired-CID grace: the default, none, or a drawn window.
constexpr std::array<uint32_t, 3> kGraceWeights = {40, 20, 40};
constexpr uint64_t kMinGraceMs = 50;
constexpr uint64_t kMaxGraceMs = 3'000;
constexpr uint32_t kCidLimitPercent = 50;
// 2 is rare: ngtcp2 0.12.1 miscounts CIDs at 2 when path validations
// overlap (FORMAT.md), a known limit the explorer would keep finding.
constexpr std::array<uint32_t, 7> kCidLimitWeights = {5, 20, 20, 15, 15, 10, 15};  // 2..8
constexpr uint32_t kCidLengthPercent = 50;
constexpr uint32_t kWindowsPercent = 30;
constexpr uint64_t kMinConnectionWindow = 64 * 1024;
constexpr uint64_t kMaxConnectionWindow = 4 * 1024 * 1024;
constexpr uint64_t kMinStreamWindow = 32 * 1024;
constexpr uint64_t kMaxStreamWindow = 1024 * 1024;
constexpr uint64_t kMaxWindowDoublings = 4;
constexpr uint32_t kSendBuffersPercent = 20;
constexpr uint64_t kMinStreamSendBuffer = 16 * 1024;
constexpr uint64_t kMaxStreamSendBuffer = 1024 * 1024;
constexpr uint64_t kMaxSendBufferDoublings = 5;
constexpr uint64_t kMinConnectionSendBuffer = 256 * 1024;
constexpr uint64_t kMaxConnectionSendBuffer = 48 * 1024 * 1024;
// A host's own settings redraw each group of fields with this chance.
constexpr uint32_t kHostFieldPercent = 35;

// --- Topology ----------------------------------------------------------------
constexpr uint32_t kTwoServersPercent = 20;
constexpr std::array<uint32_t, 4> kClientCountWeights = {55, 28, 10, 7};  // 1..4 clients.
constexpr uint32_t kNatPercent = 35;
constexpr uint32_t kHostSettingsPercent = 12;
constexpr uint32_t kSocketSendBufferPercent = 8;
// Clients with zero-length CIDs (RFC 9000 §5.1; never a listener: the
// endpoint refuses that). Their peers reach them by 4-tuple only, so only a
// client that dials each server at most once may have them (a second
// connection on the same tuple is refused: Endpoint's header); about 80% of
// clients do, so 10% of those makes about 8% of all clients.
constexpr uint32_t kZeroLengthCidPercent = 10;
// That choice draws from its own stream (the case seed xor this) and is made
// after the client's connections are drawn, so it changes nothing else: a
// case is the scenario it was before zero-length CIDs came, give or take
// one client's cid_length, and the campaigns' fixed seeds keep exploring
// what they did.
constexpr uint64_t kZeroLengthCidStream = 0x7a65726f63696421;  // "zerocid!".
// Address validation and floods (issue 11) draw from their own stream too
// (the case seed xor this), after everything else: a case is the scenario
// it was before floods came, give or take a server's retry settings and a
// flood event, so the campaigns' fixed seeds keep exploring what they did.
constexpr uint64_t kFloodStream = 0x666c6f6f64737472;  // "floodstr".
// Per server: how often it gets a retry policy of its own (each policy as
// likely, auto included), and then a low retry_threshold (so auto retries
// early); how often it is flooded.
constexpr uint32_t kRetrySettingsPercent = 30;
constexpr uint32_t kLowRetryThresholdPercent = 40;
constexpr uint64_t kMaxDrawnRetryThreshold = 16;
constexpr uint32_t kNewTokensOffPercent = 30;
constexpr uint32_t kFloodPercent = 20;
// A flood: mild enough that a case still runs at tens per second (at most
// 3000 datagrams a second for 2 s), strong enough to fill the default 256
// pending slots in under a second.
constexpr uint64_t kMinFloodRate = 50;
constexpr uint64_t kMaxDrawnFloodRate = 3'000;
constexpr uint64_t kMaxDrawnFloodSources = 5'000;
constexpr uint64_t kMinFloodMs = 100;
constexpr uint64_t kMaxFloodMs = 2'000;
constexpr uint64_t kMinSocketSendBuffer = 16 * 1024;
constexpr uint64_t kMaxSocketSendBuffer = 256 * 1024;
constexpr uint16_t kServerPort = 4433;
constexpr uint16_t kClientPort = 50000;

// --- Connections -------------------------------------------------------------
constexpr std::array<uint32_t, 3> kConnectionsPerClientWeights = {75, 18, 7};  // 1..3.
constexpr uint32_t kOtherServerPercent = 50;  // A client's later dial to the other server.
constexpr uint32_t kSameInstantDialPercent = 25;
constexpr uint64_t kMaxDialAtMs = 1'500;

// --- Links -------------------------------------------------------------------
// Probabilities are drawn in basis points: exact in JSON and readable.
constexpr double kBasisPoints = 10'000;
struct FaultBounds {
  uint64_t max_delay_ms;
  uint64_t max_jitter_ms;
  uint64_t max_loss_bp;
  uint64_t max_duplicate_bp;
  uint64_t max_corrupt_bp;
};
// The default conditions apply to every direction, so they stay milder
// than an override of one direction.
constexpr FaultBounds kDefaultBounds = {50, 20, 300, 300, 100};
constexpr FaultBounds kOverrideBounds = {100, 40, 600, 500, 200};
constexpr uint32_t kJitterPercent = 25;
constexpr uint32_t kLossPercent = 25;
constexpr uint32_t kLossBurstPercent = 40;
constexpr uint64_t kMaxDrawnLossBurst = 4;
constexpr uint32_t kDuplicatePercent = 12;
constexpr uint32_t kDuplicateDelayPercent = 50;
constexpr uint64_t kMaxDuplicateDelayMs = 100;
constexpr uint32_t kCorruptPercent = 10;
constexpr uint32_t kBandwidthPercent = 20;
constexpr uint64_t kMinBandwidthKbps = 2'000;
constexpr uint64_t kMaxBandwidthKbps = 50'000;
constexpr uint32_t kQueuePercent = 40;
constexpr uint64_t kMinQueueBytes = 30'000;
constexpr uint64_t kMaxQueueBytes = 300'000;
constexpr uint32_t kSmallMtuPercent = 12;
constexpr uint64_t kDefaultMtu = 1472;
constexpr uint32_t kOverridePercent = 30;
constexpr uint32_t kOverrideFieldPercent = 35;
constexpr uint32_t kBottleneckPercent = 15;
constexpr uint64_t kMinBottleneckKbps = 5'000;
constexpr uint32_t kTinyMtuPercent = 3;
constexpr uint64_t kMinTinyMtu = 600;

// --- Workloads ---------------------------------------------------------------
enum class Workload : uint8_t { kUpload, kDownload, kPing, kIdentify, kPerf };
constexpr std::array<uint32_t, 5> kWorkloadWeights = {35, 20, 15, 12, 18};
constexpr std::array<uint32_t, 4> kExtraWorkloadWeights = {45, 35, 15, 5};  // 0..3 more.
constexpr uint32_t kWorkloadAtDialPercent = 30;
constexpr uint64_t kMaxWorkloadDelayMs = 300;
constexpr uint32_t kListenerOpensPercent = 25;  // Ping, identify, perf.
constexpr uint32_t kSplitSendPercent = 20;
constexpr uint64_t kMinSplitGapMs = 10;
constexpr uint64_t kMaxSplitGapMs = 500;
constexpr uint32_t kLargeTransferPercent = 5;
constexpr uint64_t kMinSmallTransfer = 2 * 1024;
constexpr uint64_t kMaxSmallTransfer = 256 * 1024;
constexpr uint64_t kMinLargeTransfer = 512 * 1024;
constexpr uint64_t kMaxLargeTransfer = 1024 * 1024;
constexpr uint32_t kResetStreamPercent = 8;
constexpr uint64_t kMinResetBytes = 32 * 1024;  // Smaller ones are likely done first.
constexpr uint64_t kMaxResetAfterMs = 100;
constexpr uint64_t kMaxPingCount = 10;
constexpr uint32_t kPingBackToBackPercent = 30;
constexpr uint64_t kMinPingIntervalMs = 10;
constexpr uint64_t kMaxPingIntervalMs = 200;
constexpr uint32_t kPerfDirectionIdlePercent = 30;  // No bytes one way.

// --- Closes ------------------------------------------------------------------
enum class CloseKind : uint8_t { kMidHandshake, kMidTransfer, kLate };
constexpr std::array<uint32_t, 3> kCloseKindWeights = {10, 20, 70};
constexpr uint64_t kMaxMidHandshakeMs = 5;  // After the dial.
constexpr uint64_t kMinMidTransferMs = 20;  // After the last workload event.
constexpr uint64_t kMaxMidTransferMs = 900;
// A late close comes after the estimated transfer time and at least this
// long after the last workload event (ScenarioFeatures' mid-transfer window
// is 1000 ms), plus a pause.
constexpr uint64_t kMinLateAfterWorkloadMs = 1'001;
constexpr uint64_t kMinLatePauseMs = 200;
constexpr uint64_t kMaxLatePauseMs = 2'000;
// A close comes before this fraction (per mille) of the connection's idle
// timeout has passed since its last workload event, so it finds the
// connection alive.
constexpr int64_t kCloseBeforeIdlePerMille = 900;
constexpr uint32_t kListenerClosesPercent = 35;
// The listener's end exists once the dialer's Initial arrived: a listener
// close waits for a few round trips.
constexpr int64_t kListenerCloseRtts = 4;
constexpr uint64_t kListenerCloseSlackMs = 200;
constexpr std::array<uint32_t, 3> kErrorCodeWeights = {50, 35, 15};  // Small, 16-bit, any.
constexpr uint64_t kMaxSmallErrorCode = 15;
constexpr uint64_t kMax16BitErrorCode = 0xffff;

// Transfer time estimate: payload over the path's rate, stretched by
// loss, plus round trips for the handshake, slow start and recovery.
constexpr uint64_t kUnlimitedRateKbps = 100'000;  // What an unlimited link manages here.
constexpr uint64_t kEstimateRtts = 8;
constexpr uint64_t kLossStretch = 10;  // Per unit of loss probability.

// --- Disruptions -------------------------------------------------------------
enum class Disruption : uint8_t {
  kPartition,
  kBlackhole,
  kSetLink,
  kRebind,
  kMigrate,
  kDelayCidRegistration,
  kRestart
};
constexpr std::array<uint32_t, 7> kDisruptionWeights = {12, 12, 12, 12, 14, 10, 8};
constexpr std::array<uint32_t, 5> kDisruptionCountWeights = {30, 30, 20, 12, 8};  // 0..4.
constexpr uint64_t kMinDisruptionAtMs = 200;
constexpr uint64_t kMaxDisruptionAtMs = 3'000;
constexpr uint64_t kMinPartitionMs = 200;
constexpr uint64_t kMinBlackholeMs = 100;
constexpr uint64_t kMaxOutageMs = 3'000;  // And at most half the smallest idle timeout.
constexpr uint32_t kSinglePartitionPercent = 80;
constexpr uint32_t kPartitionMemberPercent = 50;
constexpr uint64_t kRebindAfterDialMs = 50;  // The NAT has a mapping by then.
// A client migrates once a connection of its is likely confirmed.
constexpr uint64_t kMigrateAfterDialMs = 500;
constexpr uint64_t kMigrateBeforeCloseMs = 100;
constexpr uint32_t kRepeatedMigrationPercent = 35;
constexpr uint64_t kMaxExtraMigrations = 2;
constexpr uint64_t kMinMigrationGapMs = 100;
constexpr uint64_t kMinMigrationGapAtCidLimit2Ms = 1'000;  // No overlapping validations.
constexpr uint64_t kMaxMigrationGapMs = 800;
constexpr uint32_t kSimultaneousMigrationPercent = 30;
constexpr uint64_t kMaxRegistrationDelayMs = 300;
constexpr uint32_t kRegistrationBackToZeroPercent = 40;
constexpr uint64_t kMinRegistrationSpanMs = 200;
constexpr uint64_t kMaxRegistrationSpanMs = 2'000;
constexpr uint32_t kRestartServerPercent = 80;

// Whole milliseconds: the format's unit, so a time survives ToJson.
Duration FloorMs(Duration d) { return std::chrono::floor<milliseconds>(d); }

uint64_t Ms(Duration d) {
  return static_cast<uint64_t>(std::chrono::duration_cast<milliseconds>(d).count());
}

// A connection as planned, before its events are laid out.
struct PlannedConnection {
  std::string name;
  size_t client = 0;  // Index into the scenario's hosts.
  size_t server = 0;
  Duration dial_at{};
  Duration last_workload_at{};
  uint64_t bytes = 0;   // Payload both ways.
  bool doomed = false;  // Crosses a link below QUIC's minimum MTU: no handshake.
  CloseKind close_kind = CloseKind::kLate;
  ConnectionSide close_side = ConnectionSide::kDialer;
  uint64_t error_code = 0;
  Duration close_at{};
  Duration close_bound{};  // The latest a close may come (idle, handshake timeout).
  std::vector<Event> workload;
};

class Drafter {
 public:
  explicit Drafter(uint64_t case_seed)
      : random_(case_seed),
        zero_length_random_(case_seed ^ kZeroLengthCidStream),
        flood_random_(case_seed ^ kFloodStream),
        case_seed_(case_seed) {}

  Scenario Draft() {
    scenario_.name = "explored-" + Hex(case_seed_);
    scenario_.description =
        "Generated by p2pquic-sim explore from case seed " + Hex(case_seed_) + " (hex)";
    scenario_.seed = random_.Next();
    scenario_.settings = DrawScenarioSettings();
    DrawTopology();
    DrawConnections();
    DrawLinks();
    for (PlannedConnection& connection : connections_) DrawWorkloadAndClose(connection);
    DrawDisruptions();
    DrawWorkers();
    DrawFloods();
    LayOut();
    return std::move(scenario_);
  }

 private:
  static std::string Hex(uint64_t value) {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
    return text;
  }

  // --- Workers (draw step 8) -------------------------------------------------

  // Per server, always four draws (so a server whose CIDs cannot name a
  // worker keeps the draw order): whether it runs several workers, how
  // many, whether they forward in user space, and the hand-off delay.
  void DrawWorkers() {
    for (size_t server : servers_) {
      Host& host = scenario_.hosts[server];
      const bool several = random_.Percent(kSeveralWorkersPercent);
      const uint64_t workers = random_.Uniform(2, kMaxDrawnWorkers);
      const bool forward = random_.Percent(kForwardSteeringPercent);
      const Duration delay = random_.Millis(0, kMaxDrawnForwardDelayMs);
      if (!several || scenario_.SettingsOf(host).cid_length != kWorkerCidLength) continue;
      host.workers = workers;
      host.steering = forward ? SteeringMode::kForward : SteeringMode::kKernel;
      host.forward_delay = forward ? delay : Duration::zero();
    }
  }

  // --- Settings --------------------------------------------------------------

  Duration DrawIdle() {
    const auto [low, high] = kIdleBandsMs[random_.Weighted(kIdleBandWeights)];
    return random_.Millis(low, high);
  }

  Duration DrawKeepAlive(Duration idle) {
    if (!random_.Percent(kKeepAlivePercent)) return Duration::zero();
    return random_.Millis(kMinKeepAliveMs, Ms(idle) / 2);
  }

  Duration DrawGrace() {
    switch (random_.Weighted(kGraceWeights)) {
      case 0:
        return TransportSettings{}.retired_cid_grace;
      case 1:
        return Duration::zero();
      default:
        return random_.Millis(kMinGraceMs, kMaxGraceMs);
    }
  }

  uint64_t DrawCidLimit() {
    return kMinActiveConnectionIdLimit + random_.Weighted(kCidLimitWeights);
  }

  void DrawWindows(TransportSettings& s) {
    s.connection_window = random_.LogUniform(kMinConnectionWindow, kMaxConnectionWindow);
    s.stream_window = random_.LogUniform(kMinStreamWindow, kMaxStreamWindow);
    s.max_connection_window = s.connection_window << random_.Uniform(0, kMaxWindowDoublings);
    s.max_stream_window = s.stream_window << random_.Uniform(0, kMaxWindowDoublings);
  }

  void DrawSendBuffers(TransportSettings& s) {
    s.stream_send_buffer = random_.LogUniform(kMinStreamSendBuffer, kMaxStreamSendBuffer);
    s.max_stream_send_buffer = s.stream_send_buffer << random_.Uniform(0, kMaxSendBufferDoublings);
    s.max_connection_send_buffer =
        random_.LogUniform(kMinConnectionSendBuffer, kMaxConnectionSendBuffer);
  }

  TransportSettings DrawScenarioSettings() {
    TransportSettings s;
    s.idle_timeout = DrawIdle();
    s.handshake_timeout = random_.Millis(kMinHandshakeTimeoutMs, kMaxHandshakeTimeoutMs);
    s.keep_alive = DrawKeepAlive(s.idle_timeout);
    s.retired_cid_grace = DrawGrace();
    if (random_.Percent(kCidLimitPercent)) s.active_connection_id_limit = DrawCidLimit();
    if (random_.Percent(kCidLengthPercent))
      s.cid_length = random_.Uniform(kMinCidLength, kMaxCidLength);
    if (random_.Percent(kWindowsPercent)) DrawWindows(s);
    if (random_.Percent(kSendBuffersPercent)) DrawSendBuffers(s);
    return s;
  }

  // The scenario's settings with some groups of fields redrawn.
  TransportSettings DrawHostSettings() {
    TransportSettings s = scenario_.settings;
    if (random_.Percent(kHostFieldPercent)) s.idle_timeout = DrawIdle();
    if (random_.Percent(kHostFieldPercent)) s.keep_alive = DrawKeepAlive(s.idle_timeout);
    if (s.keep_alive >= s.idle_timeout) s.keep_alive = Duration::zero();  // Idle redrawn lower.
    if (random_.Percent(kHostFieldPercent)) s.retired_cid_grace = DrawGrace();
    if (random_.Percent(kHostFieldPercent)) s.active_connection_id_limit = DrawCidLimit();
    if (random_.Percent(kHostFieldPercent)) {
      s.cid_length = random_.Uniform(kMinCidLength, kMaxCidLength);
    }
    if (random_.Percent(kHostFieldPercent)) DrawWindows(s);
    return s;
  }

  // --- Topology --------------------------------------------------------------

  void DrawHostExtras(Host& host) {
    if (random_.Percent(kHostSettingsPercent)) host.settings = DrawHostSettings();
    if (random_.Percent(kSocketSendBufferPercent)) {
      host.socket_send_buffer_bytes = random_.Uniform(kMinSocketSendBuffer, kMaxSocketSendBuffer);
    }
  }

  void DrawTopology() {
    const size_t server_count = random_.Percent(kTwoServersPercent) ? 2 : 1;
    const size_t client_count = 1 + random_.Weighted(kClientCountWeights);
    for (size_t i = 0; i < server_count; ++i) {
      Host host;
      host.name = "s" + std::to_string(i + 1);
      host.address = SocketAddress::Ipv4({10, 0, 0, static_cast<uint8_t>(i + 1)}, kServerPort);
      host.listen = true;
      DrawHostExtras(host);
      servers_.push_back(scenario_.hosts.size());
      scenario_.hosts.push_back(std::move(host));
    }
    for (size_t i = 0; i < client_count; ++i) {
      Host host;
      host.name = "c" + std::to_string(i + 1);
      host.address = SocketAddress::Ipv4({10, 0, static_cast<uint8_t>(i + 1), 2}, kClientPort);
      host.nat = random_.Percent(kNatPercent);
      DrawHostExtras(host);
      clients_.push_back(scenario_.hosts.size());
      scenario_.hosts.push_back(std::move(host));
    }
  }

  const TransportSettings& SettingsOf(size_t host) const {
    return scenario_.SettingsOf(scenario_.hosts[host]);
  }

  // --- Connections -----------------------------------------------------------

  void DrawConnections() {
    Duration previous_dial{};
    for (size_t client : clients_) {
      const size_t count = 1 + random_.Weighted(kConnectionsPerClientWeights);
      const size_t first_server = servers_[random_.Index(servers_.size())];
      std::set<size_t> dialed;  // This client's servers.
      bool dials_a_server_twice = false;
      for (size_t k = 0; k < count; ++k) {
        PlannedConnection connection;
        connection.name = "conn" + std::to_string(connections_.size() + 1);
        connection.client = client;
        connection.server = first_server;
        if (k > 0 && servers_.size() > 1 && random_.Percent(kOtherServerPercent)) {
          connection.server = servers_[0] == first_server ? servers_[1] : servers_[0];
        }
        if (!dialed.insert(connection.server).second) dials_a_server_twice = true;
        if (connections_.empty()) {
          connection.dial_at = Duration::zero();
        } else if (random_.Percent(kSameInstantDialPercent)) {
          connection.dial_at = previous_dial;
        } else {
          connection.dial_at = random_.Millis(0, kMaxDialAtMs);
        }
        previous_dial = connection.dial_at;
        connections_.push_back(std::move(connection));
      }
      if (!dials_a_server_twice && zero_length_random_.Percent(kZeroLengthCidPercent)) {
        Host& host = scenario_.hosts[client];
        TransportSettings own = host.settings.value_or(scenario_.settings);
        own.cid_length = kZeroCidLength;
        host.settings = own;
      }
    }
    for (const PlannedConnection& c : connections_) pairs_.insert({c.client, c.server});
  }

  // --- Links -----------------------------------------------------------------

  double DrawProbability(uint64_t max_bp) {
    return static_cast<double>(random_.Uniform(1, max_bp)) / kBasisPoints;
  }

  // Redraws each fault with its chance (each field group, with
  // `field_percent`, first decides whether it is redrawn at all).
  LinkConditions DrawConditions(LinkConditions c, const FaultBounds& bounds,
                                uint32_t field_percent) {
    if (random_.Percent(field_percent)) c.delay = random_.Millis(1, bounds.max_delay_ms);
    if (random_.Percent(field_percent)) {
      c.jitter = random_.Percent(kJitterPercent) ? random_.Millis(1, bounds.max_jitter_ms)
                                                 : Duration::zero();
    }
    if (random_.Percent(field_percent)) {
      const bool lossy = random_.Percent(kLossPercent);
      c.loss = lossy ? DrawProbability(bounds.max_loss_bp) : 0;
      c.loss_burst =
          lossy && random_.Percent(kLossBurstPercent) ? random_.Uniform(2, kMaxDrawnLossBurst) : 1;
    }
    if (random_.Percent(field_percent)) {
      const bool duplicating = random_.Percent(kDuplicatePercent);
      c.duplicate = duplicating ? DrawProbability(bounds.max_duplicate_bp) : 0;
      c.duplicate_delay = duplicating && random_.Percent(kDuplicateDelayPercent)
                              ? random_.Millis(1, kMaxDuplicateDelayMs)
                              : Duration::zero();
    }
    if (random_.Percent(field_percent)) {
      c.corrupt = random_.Percent(kCorruptPercent) ? DrawProbability(bounds.max_corrupt_bp) : 0;
    }
    if (random_.Percent(field_percent)) {
      const bool limited = random_.Percent(kBandwidthPercent);
      c.bandwidth_kbps = limited ? random_.Uniform(kMinBandwidthKbps, kMaxBandwidthKbps) : 0;
      c.queue_bytes = limited && random_.Percent(kQueuePercent)
                          ? random_.Uniform(kMinQueueBytes, kMaxQueueBytes)
                          : 0;
    }
    if (random_.Percent(field_percent)) {
      c.mtu = random_.Percent(kSmallMtuPercent)
                  ? random_.Uniform(kQuicMinDatagramSize, kDefaultMtu - 1)
                  : kDefaultMtu;
    }
    return c;
  }

  const LinkConditions& ConditionsOf(size_t from, size_t to) const {
    for (const LinkOverride& o : scenario_.links.overrides) {
      if (o.from == scenario_.hosts[from].name && o.to == scenario_.hosts[to].name) {
        return o.conditions;
      }
    }
    return scenario_.links.default_conditions;
  }

  LinkOverride& OverrideOf(size_t from, size_t to) {
    for (LinkOverride& o : scenario_.links.overrides) {
      if (o.from == scenario_.hosts[from].name && o.to == scenario_.hosts[to].name) return o;
    }
    scenario_.links.overrides.push_back(LinkOverride{
        scenario_.hosts[from].name, scenario_.hosts[to].name, scenario_.links.default_conditions});
    return scenario_.links.overrides.back();
  }

  void DrawBottleneck() {
    // A server two clients or more reach: their flows to it (or from it)
    // share its access link.
    std::map<size_t, std::vector<size_t>> clients_of;
    for (const auto& [client, server] : pairs_) clients_of[server].push_back(client);
    std::vector<size_t> shared;
    for (const auto& [server, clients] : clients_of) {
      if (clients.size() >= 2) shared.push_back(server);
    }
    if (shared.empty() || !random_.Percent(kBottleneckPercent)) return;
    const size_t server = shared[random_.Index(shared.size())];
    const bool upload = random_.Percent(50);
    Bottleneck bottleneck;
    bottleneck.name = scenario_.hosts[server].name + (upload ? "-in" : "-out");
    for (size_t client : clients_of[server]) {
      const std::string& c = scenario_.hosts[client].name;
      const std::string& s = scenario_.hosts[server].name;
      bottleneck.directions.push_back(upload ? LinkDirection{c, s} : LinkDirection{s, c});
    }
    bottleneck.bandwidth_kbps = random_.Uniform(kMinBottleneckKbps, kMaxBandwidthKbps);
    if (random_.Percent(kQueuePercent)) {
      bottleneck.queue_bytes = random_.Uniform(kMinQueueBytes, kMaxQueueBytes);
    }
    bottleneck_rate_ = bottleneck.bandwidth_kbps / bottleneck.directions.size();
    bottleneck_server_ = server;
    scenario_.links.bottlenecks.push_back(std::move(bottleneck));
  }

  void DrawLinks() {
    // Every fault of the default is drawn (field chance 100).
    scenario_.links.default_conditions = DrawConditions(LinkConditions{}, kDefaultBounds, 100);
    for (const auto& [client, server] : pairs_) {
      for (const auto& [from, to] : {std::pair{client, server}, std::pair{server, client}}) {
        if (!random_.Percent(kOverridePercent)) continue;
        scenario_.links.overrides.push_back(
            LinkOverride{scenario_.hosts[from].name, scenario_.hosts[to].name,
                         DrawConditions(scenario_.links.default_conditions, kOverrideBounds,
                                        kOverrideFieldPercent)});
      }
    }
    DrawBottleneck();
    if (random_.Percent(kTinyMtuPercent)) {
      auto it = pairs_.begin();
      std::advance(it, random_.Index(pairs_.size()));
      const auto [client, server] = *it;
      const bool upload = random_.Percent(50);
      OverrideOf(upload ? client : server, upload ? server : client).conditions.mtu =
          random_.Uniform(kMinTinyMtu, kQuicMinDatagramSize - 1);
      for (PlannedConnection& c : connections_) {
        if (c.client == client && c.server == server) c.doomed = true;
      }
      doomed_clients_.insert(client);
    }
  }

  // Round trip and payload rate between a client and a server, from the
  // links as drawn (set_link changes ignored: an estimate).
  Duration RoundTrip(size_t client, size_t server) const {
    const LinkConditions& up = ConditionsOf(client, server);
    const LinkConditions& down = ConditionsOf(server, client);
    return up.delay + up.jitter + down.delay + down.jitter;
  }

  uint64_t EstimateMs(const PlannedConnection& c) const {
    const LinkConditions& up = ConditionsOf(c.client, c.server);
    const LinkConditions& down = ConditionsOf(c.server, c.client);
    uint64_t rate = kUnlimitedRateKbps;
    for (uint64_t link : {up.bandwidth_kbps, down.bandwidth_kbps}) {
      if (link != 0) rate = std::min(rate, link);
    }
    if (bottleneck_rate_ != 0 && c.server == bottleneck_server_) {
      rate = std::min(rate, bottleneck_rate_);
    }
    const double stretch = 1 + kLossStretch * std::max(up.loss, down.loss);
    const uint64_t serialise_ms = c.bytes * 8 / rate;  // kbit/s = bit/ms.
    return static_cast<uint64_t>(static_cast<double>(serialise_ms) * stretch) +
           kEstimateRtts * Ms(RoundTrip(c.client, c.server));
  }

  // --- Workloads and closes --------------------------------------------------

  uint64_t DrawTransferBytes() {
    if (random_.Percent(kLargeTransferPercent)) {
      return random_.Uniform(kMinLargeTransfer, kMaxLargeTransfer);
    }
    return random_.LogUniform(kMinSmallTransfer, kMaxSmallTransfer);
  }

  uint64_t DrawErrorCode() {
    switch (random_.Weighted(kErrorCodeWeights)) {
      case 0:
        return random_.Uniform(0, kMaxSmallErrorCode);
      case 1:
        return random_.Uniform(kMaxSmallErrorCode + 1, kMax16BitErrorCode);
      default:
        return random_.Uniform(0, kMaxErrorCode);
    }
  }

  ConnectionSide DrawProtocolSide() {
    return random_.Percent(kListenerOpensPercent) ? ConnectionSide::kListener
                                                  : ConnectionSide::kDialer;
  }

  std::string NextStream(const char* kind) {
    return std::string(kind) + "-" + std::to_string(++stream_count_);
  }

  void AddTransfer(PlannedConnection& c, Duration at, ConnectionSide side) {
    const std::string stream = NextStream(side == ConnectionSide::kDialer ? "up" : "down");
    c.workload.push_back(Event{at, OpenStreamAction{c.name, stream, side}});
    const uint64_t bytes = DrawTransferBytes();
    c.bytes += bytes;
    Duration last = at;
    if (bytes > 1 && random_.Percent(kSplitSendPercent)) {
      const uint64_t first = random_.Uniform(1, bytes - 1);
      c.workload.push_back(Event{at, SendAction{stream, first, false}});
      last = at + random_.Millis(kMinSplitGapMs, kMaxSplitGapMs);
      c.workload.push_back(Event{last, SendAction{stream, bytes - first, true}});
    } else {
      c.workload.push_back(Event{at, SendAction{stream, bytes, true}});
    }
    if (bytes >= kMinResetBytes && random_.Percent(kResetStreamPercent)) {
      const Duration reset_at = last + random_.Millis(1, kMaxResetAfterMs);
      c.workload.push_back(Event{reset_at, ResetStreamAction{stream, DrawErrorCode()}});
      last = reset_at;
    }
    c.last_workload_at = std::max(c.last_workload_at, last);
  }

  void AddWorkload(PlannedConnection& c, bool at_dial) {
    const auto kind = static_cast<Workload>(random_.Weighted(kWorkloadWeights));
    Duration at = c.dial_at;
    if (!at_dial && !random_.Percent(kWorkloadAtDialPercent)) {
      at += random_.Millis(0, kMaxWorkloadDelayMs);
    }
    c.last_workload_at = std::max(c.last_workload_at, at);
    switch (kind) {
      case Workload::kUpload:
        return AddTransfer(c, at, ConnectionSide::kDialer);
      case Workload::kDownload:
        return AddTransfer(c, at, ConnectionSide::kListener);
      case Workload::kPing: {
        PingAction ping{c.name, NextStream("ping"), DrawProtocolSide(), 1, Duration::zero()};
        ping.count = random_.Uniform(1, kMaxPingCount);
        if (!random_.Percent(kPingBackToBackPercent)) {
          ping.interval = random_.Millis(kMinPingIntervalMs, kMaxPingIntervalMs);
        }
        c.workload.push_back(Event{at, std::move(ping)});
        return;
      }
      case Workload::kIdentify:
        c.workload.push_back(
            Event{at, IdentifyAction{c.name, NextStream("id"), DrawProtocolSide()}});
        return;
      case Workload::kPerf: {
        PerfAction perf{c.name, NextStream("perf"), DrawProtocolSide(), 0, 0};
        if (!random_.Percent(kPerfDirectionIdlePercent)) perf.upload_bytes = DrawTransferBytes();
        if (!random_.Percent(kPerfDirectionIdlePercent)) perf.download_bytes = DrawTransferBytes();
        c.bytes += perf.upload_bytes + perf.download_bytes;
        c.workload.push_back(Event{at, std::move(perf)});
        return;
      }
    }
  }

  void DrawWorkloadAndClose(PlannedConnection& c) {
    c.close_kind = static_cast<CloseKind>(random_.Weighted(kCloseKindWeights));
    const bool mid_handshake = c.close_kind == CloseKind::kMidHandshake;
    const size_t count = 1 + random_.Weighted(kExtraWorkloadWeights);
    c.last_workload_at = c.dial_at;
    // A connection closed mid-handshake still gets its streams, asked for
    // at the dial (they wait for the handshake that never completes).
    for (size_t i = 0; i < count; ++i) AddWorkload(c, mid_handshake);

    const TransportSettings& client = SettingsOf(c.client);
    const TransportSettings& server = SettingsOf(c.server);
    const Duration idle = std::min(client.idle_timeout, server.idle_timeout);
    const Duration handshake = std::min(client.handshake_timeout, server.handshake_timeout);
    c.close_bound = c.last_workload_at + idle * kCloseBeforeIdlePerMille / 1000;
    if (c.doomed) c.close_bound = std::min(c.close_bound, c.dial_at + handshake / 2);
    c.close_bound = FloorMs(c.close_bound);

    // The listener has an end only once the dialer's Initial arrived: never
    // mid-handshake, never over a path below QUIC's minimum MTU.
    if (!mid_handshake && !c.doomed && random_.Percent(kListenerClosesPercent)) {
      c.close_side = ConnectionSide::kListener;
    }
    c.error_code = DrawErrorCode();
    switch (c.close_kind) {
      case CloseKind::kMidHandshake:
        c.close_at = c.dial_at + random_.Millis(0, kMaxMidHandshakeMs);
        break;
      case CloseKind::kMidTransfer:
        c.close_at = c.last_workload_at + random_.Millis(kMinMidTransferMs, kMaxMidTransferMs);
        break;
      case CloseKind::kLate:
        c.close_at = c.last_workload_at +
                     milliseconds(std::max(EstimateMs(c), kMinLateAfterWorkloadMs)) +
                     random_.Millis(kMinLatePauseMs, kMaxLatePauseMs);
        break;
    }
    if (c.close_side == ConnectionSide::kListener) {
      c.close_at =
          std::max(c.close_at, c.dial_at + kListenerCloseRtts * RoundTrip(c.client, c.server) +
                                   milliseconds(kListenerCloseSlackMs));
    }
    c.close_at = std::max(std::min(c.close_at, c.close_bound), c.last_workload_at);
  }

  // --- Disruptions -----------------------------------------------------------

  Duration SmallestIdle() const {
    Duration idle = scenario_.settings.idle_timeout;
    for (const Host& host : scenario_.hosts)
      idle = std::min(idle, scenario_.SettingsOf(host).idle_timeout);
    return idle;
  }

  bool AnyCidLimit2() const {
    for (const Host& host : scenario_.hosts) {
      if (scenario_.SettingsOf(host).active_connection_id_limit == kMinActiveConnectionIdLimit) {
        return true;
      }
    }
    return false;
  }

  bool RestartedBetween(size_t host, Duration after, Duration until) const {
    for (const auto& [at, restarted] : restarts_) {
      if (restarted == host && at > after && at <= until) return true;
    }
    return false;
  }

  // Whether `client` has a connection that is likely confirmed and still
  // open at `at`, and nothing stops it migrating.
  bool CanMigrate(size_t client, Duration at) const {
    if (doomed_clients_.contains(client) || RestartedBetween(client, Duration::zero(), at)) {
      return false;
    }
    for (const PlannedConnection& c : connections_) {
      if (c.client != client || c.close_kind == CloseKind::kMidHandshake) continue;
      if (c.dial_at + milliseconds(kMigrateAfterDialMs) > at) continue;
      if (at + milliseconds(kMigrateBeforeCloseMs) >= c.close_at) continue;
      if (RestartedBetween(c.server, c.dial_at, at)) continue;
      return true;
    }
    return false;
  }

  std::pair<size_t, size_t> DrawDirection() {
    auto it = pairs_.begin();
    std::advance(it, random_.Index(pairs_.size()));
    const auto [client, server] = *it;
    return random_.Percent(50) ? std::pair{client, server} : std::pair{server, client};
  }

  void AddPartition(Duration at, Duration outage_cap) {
    if (at <= partition_free_at_) at = partition_free_at_ + milliseconds(1);
    PartitionAction partition;
    const size_t n = scenario_.hosts.size();
    if (random_.Percent(kSinglePartitionPercent)) {
      partition.hosts.push_back(scenario_.hosts[random_.Index(n)].name);
    } else {
      for (const Host& host : scenario_.hosts) {
        if (random_.Percent(kPartitionMemberPercent)) partition.hosts.push_back(host.name);
      }
      // None or every host is no partition: cut the first host off alone.
      if (partition.hosts.empty() || partition.hosts.size() == n) {
        partition.hosts = {scenario_.hosts.front().name};
      }
    }
    const Duration length = random_.Millis(kMinPartitionMs, Ms(outage_cap));
    disruptions_.push_back(Event{at, std::move(partition)});
    disruptions_.push_back(Event{at + length, HealAction{}});
    partition_free_at_ = at + length;
    outages_ += length;
  }

  void AddBlackhole(Duration at, Duration outage_cap) {
    auto [from, to] = DrawDirection();
    const Duration length = random_.Millis(kMinBlackholeMs, Ms(outage_cap));
    // The parser refuses a second blackhole on a direction before the
    // first ends; one that would overlap is not drawn again, it is left out.
    Duration& free_at = blackhole_free_at_[{from, to}];
    if (at <= free_at) return;
    free_at = at + length;
    disruptions_.push_back(
        Event{at, BlackholeAction{scenario_.hosts[from].name, scenario_.hosts[to].name, length}});
    outages_ += length;
    last_blackhole_end_ = std::max(last_blackhole_end_, at + length);
  }

  void AddSetLink(Duration at) {
    const auto [from, to] = DrawDirection();
    LinkConditions conditions =
        DrawConditions(ConditionsOf(from, to), kOverrideBounds, kOverrideFieldPercent);
    // Never below QUIC's minimum mid-run: that strands established
    // connections instead of failing a handshake cleanly.
    conditions.mtu = std::max(conditions.mtu, kQuicMinDatagramSize);
    disruptions_.push_back(
        Event{at, SetLinkAction{scenario_.hosts[from].name, scenario_.hosts[to].name, conditions}});
  }

  void AddRebind(Duration at) {
    std::vector<size_t> nat;
    for (size_t client : clients_) {
      if (scenario_.hosts[client].nat) nat.push_back(client);
    }
    if (nat.empty()) return;
    const size_t client = nat[random_.Index(nat.size())];
    const auto mode = static_cast<RebindMode>(random_.Index(kRebindModeCount));
    Duration first_dial = Duration::max();
    for (const PlannedConnection& c : connections_) {
      if (c.client == client) first_dial = std::min(first_dial, c.dial_at);
    }
    at = std::max(at, first_dial + milliseconds(kRebindAfterDialMs));
    disruptions_.push_back(Event{at, RebindAction{scenario_.hosts[client].name, mode}});
  }

  void AddMigrate(Duration at) {
    std::vector<size_t> candidates;
    for (size_t client : clients_) {
      if (CanMigrate(client, at)) candidates.push_back(client);
    }
    if (candidates.empty()) return;
    const size_t pick = random_.Index(candidates.size());
    const size_t client = candidates[pick];
    // The address is resolved when the events are laid out (LayOut).
    disruptions_.push_back(Event{at, MigrateAction{scenario_.hosts[client].name, {}}});
    if (candidates.size() >= 2 && random_.Percent(kSimultaneousMigrationPercent)) {
      const size_t other =
          candidates[(pick + 1 + random_.Index(candidates.size() - 1)) % candidates.size()];
      disruptions_.push_back(Event{at, MigrateAction{scenario_.hosts[other].name, {}}});
    }
    if (random_.Percent(kRepeatedMigrationPercent)) {
      const uint64_t min_gap = AnyCidLimit2() ? kMinMigrationGapAtCidLimit2Ms : kMinMigrationGapMs;
      const uint64_t extra = random_.Uniform(1, kMaxExtraMigrations);
      for (uint64_t i = 0; i < extra; ++i) {
        at += random_.Millis(min_gap, std::max(min_gap, kMaxMigrationGapMs));
        if (!CanMigrate(client, at)) break;
        disruptions_.push_back(Event{at, MigrateAction{scenario_.hosts[client].name, {}}});
      }
    }
  }

  void AddDelayCidRegistration(Duration at) {
    const std::string& host = scenario_.hosts[random_.Index(scenario_.hosts.size())].name;
    disruptions_.push_back(
        Event{at, DelayCidRegistrationAction{host, random_.Millis(1, kMaxRegistrationDelayMs)}});
    if (random_.Percent(kRegistrationBackToZeroPercent)) {
      disruptions_.push_back(
          Event{at + random_.Millis(kMinRegistrationSpanMs, kMaxRegistrationSpanMs),
                DelayCidRegistrationAction{host, Duration::zero()}});
    }
  }

  void AddRestart(Duration at) {
    const size_t host = random_.Percent(kRestartServerPercent)
                            ? servers_[random_.Index(servers_.size())]
                            : clients_[random_.Index(clients_.size())];
    restarts_.push_back({at, host});
    disruptions_.push_back(Event{at, RestartAction{scenario_.hosts[host].name}});
  }

  void DrawDisruptions() {
    const Duration outage_cap = std::min(
        milliseconds(kMaxOutageMs), std::chrono::duration_cast<milliseconds>(SmallestIdle() / 2));
    const size_t count = random_.Weighted(kDisruptionCountWeights);
    for (size_t i = 0; i < count; ++i) {
      const auto kind = static_cast<Disruption>(random_.Weighted(kDisruptionWeights));
      const Duration at = random_.Millis(kMinDisruptionAtMs, kMaxDisruptionAtMs);
      switch (kind) {
        case Disruption::kPartition:
          AddPartition(at, outage_cap);
          break;
        case Disruption::kBlackhole:
          AddBlackhole(at, outage_cap);
          break;
        case Disruption::kSetLink:
          AddSetLink(at);
          break;
        case Disruption::kRebind:
          AddRebind(at);
          break;
        case Disruption::kMigrate:
          AddMigrate(at);
          break;
        case Disruption::kDelayCidRegistration:
          AddDelayCidRegistration(at);
          break;
        case Disruption::kRestart:
          AddRestart(at);
          break;
      }
    }
  }

  // --- Address validation and floods (their own stream) ---------------------

  void DrawFloods() {
    for (size_t server : servers_) {
      Host& host = scenario_.hosts[server];
      if (flood_random_.Percent(kRetrySettingsPercent)) {
        TransportSettings s = scenario_.SettingsOf(host);
        s.retry = static_cast<RetryPolicy>(flood_random_.Index(kRetryPolicyCount));
        if (flood_random_.Percent(kLowRetryThresholdPercent)) {
          s.retry_threshold = flood_random_.Uniform(1, kMaxDrawnRetryThreshold);
        }
        if (flood_random_.Percent(kNewTokensOffPercent)) s.new_tokens = NewTokens::kOff;
        host.settings = s;
      }
      if (!flood_random_.Percent(kFloodPercent)) continue;
      FloodAction flood;
      flood.host = host.name;
      flood.payload = static_cast<FloodPayload>(flood_random_.Index(kFloodPayloadCount));
      flood.rate = flood_random_.LogUniform(kMinFloodRate, kMaxDrawnFloodRate);
      flood.sources = flood_random_.LogUniform(1, kMaxDrawnFloodSources);
      flood.duration = flood_random_.Millis(kMinFloodMs, kMaxFloodMs);
      // Within the dials: a flood under way while clients connect.
      const Duration at = flood_random_.Millis(0, kMaxDialAtMs);
      disruptions_.push_back(Event{at, std::move(flood)});
    }
  }

  // --- Laying out ------------------------------------------------------------

  // Orders every event by time and keeps only what the format accepts
  // after restarts (which forget connections), resolving migrations.
  void LayOut() {
    std::vector<Event> events;
    for (PlannedConnection& c : connections_) {
      // Outages delay transfers: a late close waits for them too, within
      // its bound.
      if (c.close_kind == CloseKind::kLate) {
        c.close_at = std::max(std::min(c.close_at + outages_, c.close_bound), c.last_workload_at);
      }
      events.push_back(Event{c.dial_at, DialAction{scenario_.hosts[c.client].name,
                                                   scenario_.hosts[c.server].name, c.name}});
      for (Event& e : c.workload) events.push_back(std::move(e));
      events.push_back(Event{c.close_at, CloseAction{c.name, c.error_code, c.close_side}});
    }
    for (Event& e : disruptions_) events.push_back(std::move(e));
    std::stable_sort(events.begin(), events.end(),
                     [](const Event& a, const Event& b) { return a.at < b.at; });

    struct ConnectionState {
      std::string from, to;
      bool ended = false;
    };
    struct StreamState {
      std::string connection;
      bool finished = false;
      bool reset = false;
    };
    std::map<std::string, ConnectionState> live;
    std::map<std::string, StreamState> streams;
    std::set<std::string> dialers;
    std::map<std::string, SocketAddress> addresses;
    for (const Host& host : scenario_.hosts) addresses[host.name] = host.address;
    const auto alive = [&](const std::string& connection) { return !live[connection].ended; };

    for (Event& event : events) {
      bool keep = true;
      std::visit(
          [&](auto& a) {
            using T = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<T, DialAction>) {
              live[a.connection] = {a.from, a.to, false};
              dialers.insert(a.from);
            } else if constexpr (std::is_same_v<T, OpenStreamAction> ||
                                 std::is_same_v<T, PingAction> ||
                                 std::is_same_v<T, IdentifyAction> ||
                                 std::is_same_v<T, PerfAction>) {
              keep = alive(a.connection);
              if (keep) streams[a.stream] = {a.connection};
            } else if constexpr (std::is_same_v<T, SendAction>) {
              const auto it = streams.find(a.stream);
              keep = it != streams.end() && !it->second.finished && !it->second.reset &&
                     alive(it->second.connection);
              if (keep && a.fin) it->second.finished = true;
            } else if constexpr (std::is_same_v<T, ResetStreamAction>) {
              const auto it = streams.find(a.stream);
              keep = it != streams.end() && !it->second.reset && alive(it->second.connection);
              if (keep) it->second.reset = true;
            } else if constexpr (std::is_same_v<T, CloseAction>) {
              keep = alive(a.connection);
              if (keep) live[a.connection].ended = true;
            } else if constexpr (std::is_same_v<T, RestartAction>) {
              // Its connections, dialed or accepted, end with it: nothing
              // later acts on them.
              for (auto& [name, state] : live) {
                if (state.from == a.host || state.to == a.host) state.ended = true;
              }
            } else if constexpr (std::is_same_v<T, MigrateAction>) {
              keep = dialers.contains(a.host);
              if (keep) {
                SocketAddress& current = addresses[a.host];
                current = current.WithPort(static_cast<uint16_t>(current.port() + 1));
                a.address = current;
              }
            }
          },
          event.action);
      if (keep) scenario_.timeline.push_back(std::move(event));
    }

    Duration last = last_blackhole_end_;
    if (!scenario_.timeline.empty()) last = std::max(last, scenario_.timeline.back().at);
    Duration idle{}, handshake{}, grace{};
    for (const Host& host : scenario_.hosts) {
      const TransportSettings& s = scenario_.SettingsOf(host);
      idle = std::max(idle, s.idle_timeout);
      handshake = std::max(handshake, s.handshake_timeout);
      grace = std::max(grace, s.retired_cid_grace);
    }
    scenario_.duration = last + idle + handshake + grace + milliseconds(kEndMarginMs);
  }

  CaseRandom random_;
  CaseRandom zero_length_random_;  // Only whether a client has zero-length CIDs.
  CaseRandom flood_random_;        // Only servers' retry settings and floods.
  const uint64_t case_seed_;
  Scenario scenario_;
  std::vector<size_t> servers_, clients_;
  std::vector<PlannedConnection> connections_;
  std::set<std::pair<size_t, size_t>> pairs_;  // (client, server) with a connection.
  std::set<size_t> doomed_clients_;
  uint64_t bottleneck_rate_ = 0;  // Each direction's share; 0: no bottleneck.
  size_t bottleneck_server_ = 0;
  size_t stream_count_ = 0;
  std::vector<Event> disruptions_;
  std::vector<std::pair<Duration, size_t>> restarts_;
  std::map<std::pair<size_t, size_t>, Duration> blackhole_free_at_;
  Duration partition_free_at_{-1};
  Duration last_blackhole_end_{};
  Duration outages_{};
};

}  // namespace

Scenario GenerateScenario(uint64_t case_seed) { return Drafter(case_seed).Draft(); }

}  // namespace p2pquic::scenarios
