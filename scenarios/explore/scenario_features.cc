#include "scenarios/explore/scenario_features.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <type_traits>
#include <utility>

namespace p2pquic::scenarios {
namespace {

// A transfer this large (one send, or one way of a perf) counts as large.
constexpr uint64_t kLargeTransferBytes = 512 * 1024;
// An error code beyond 16 bits exercises the varint's long encodings.
constexpr uint64_t kLargeErrorCode = 0xffff;
constexpr uint64_t kDefaultMtu = LinkConditions{}.mtu;
// A flood from this many spoofed sources or more is "many" (past the
// per-source limit's reach: each source holds a handshake or two at most).
constexpr uint64_t kManyFloodSources = 1000;

const std::vector<std::string> kAllFeatures = {
    // Topology.
    "clients_1", "clients_2", "clients_3", "clients_4+", "servers_1", "servers_2+", "nat",
    "host_settings", "socket_send_buffer", "workers", "workers_forward", "workers_forward_delay",
    // Connections.
    "connections_per_pair_2+", "shared_socket", "dials_both_servers", "simultaneous_dials",
    // Streams and workloads.
    "stream_dialer_side", "stream_listener_side", "streams_per_connection_2+", "send_split",
    "large_transfer", "ping", "identify", "perf", "perf_upload", "perf_download",
    "protocol_listener_side", "reset_stream",
    // Link faults.
    "jitter", "loss", "loss_burst", "duplicate", "duplicate_delay", "corrupt", "bandwidth", "queue",
    "mtu_small", "mtu_below_1200", "asymmetric_link", "bottleneck",
    // Timeline disruptions.
    "partition", "blackhole", "set_link", "rebind_port", "rebind_address", "rebind_both", "migrate",
    "migrate_repeated", "migrate_simultaneous", "migrate_nat", "cid_delay_client",
    "cid_delay_server", "cid_delay_cleared", "restart", "restart_client",
    // Closes.
    "close_dialer", "close_listener", "close_mid_handshake", "close_mid_transfer", "close_late",
    "close_error_code_large",
    // Transport settings (the scenario's or a host's, against the defaults).
    "settings_idle", "settings_handshake_timeout", "keep_alive", "settings_grace",
    "settings_grace_zero", "settings_cid_limit", "settings_cid_limit_2", "settings_cid_length",
    "zero_length_cid", "settings_windows", "settings_send_buffers",
    // Address validation and floods.
    "retry_always", "retry_never", "retry_threshold", "new_tokens_off", "flood_initial_replay",
    "flood_junk_long", "flood_junk_short", "flood_many_sources", "flood_retry_never"};

void AddLinkFeatures(const LinkConditions& c, std::set<std::string_view>& out) {
  if (c.jitter > Duration::zero()) out.insert("jitter");
  if (c.loss > 0) out.insert("loss");
  if (c.loss > 0 && c.loss_burst > 1) out.insert("loss_burst");
  if (c.duplicate > 0) out.insert("duplicate");
  if (c.duplicate > 0 && c.duplicate_delay > Duration::zero()) out.insert("duplicate_delay");
  if (c.corrupt > 0) out.insert("corrupt");
  if (c.bandwidth_kbps > 0) out.insert("bandwidth");
  if (c.bandwidth_kbps > 0 && c.queue_bytes > 0) out.insert("queue");
  if (c.mtu < kQuicMinDatagramSize) {
    out.insert("mtu_below_1200");
  } else if (c.mtu < kDefaultMtu) {
    out.insert("mtu_small");
  }
}

void AddSettingsFeatures(const TransportSettings& s, std::set<std::string_view>& out) {
  const TransportSettings d;
  if (s.idle_timeout != d.idle_timeout) out.insert("settings_idle");
  if (s.handshake_timeout != d.handshake_timeout) out.insert("settings_handshake_timeout");
  if (s.keep_alive > Duration::zero()) out.insert("keep_alive");
  if (s.retired_cid_grace != d.retired_cid_grace) out.insert("settings_grace");
  if (s.retired_cid_grace == Duration::zero()) out.insert("settings_grace_zero");
  if (s.active_connection_id_limit != d.active_connection_id_limit) {
    out.insert("settings_cid_limit");
  }
  if (s.active_connection_id_limit == kMinActiveConnectionIdLimit) {
    out.insert("settings_cid_limit_2");
  }
  if (s.cid_length != d.cid_length) out.insert("settings_cid_length");
  if (s.cid_length == kZeroCidLength) out.insert("zero_length_cid");
  if (s.retry == RetryPolicy::kAlways) out.insert("retry_always");
  if (s.retry == RetryPolicy::kNever) out.insert("retry_never");
  if (s.retry_threshold != d.retry_threshold) out.insert("retry_threshold");
  if (s.new_tokens == NewTokens::kOff) out.insert("new_tokens_off");
  if (s.connection_window != d.connection_window || s.stream_window != d.stream_window ||
      s.max_connection_window != d.max_connection_window ||
      s.max_stream_window != d.max_stream_window) {
    out.insert("settings_windows");
  }
  if (s.stream_send_buffer != d.stream_send_buffer ||
      s.max_stream_send_buffer != d.max_stream_send_buffer ||
      s.max_connection_send_buffer != d.max_connection_send_buffer) {
    out.insert("settings_send_buffers");
  }
}

void AddTopologyFeatures(const Scenario& scenario, std::set<std::string_view>& out) {
  size_t clients = 0, servers = 0;
  for (const Host& host : scenario.hosts) {
    ++(host.listen ? servers : clients);
    if (host.nat) out.insert("nat");
    if (host.settings) out.insert("host_settings");
    if (host.socket_send_buffer_bytes > 0) out.insert("socket_send_buffer");
    if (host.workers > 1) out.insert("workers");
    if (host.workers > 1 && host.steering == SteeringMode::kForward) {
      out.insert("workers_forward");
      if (host.forward_delay > Duration::zero()) out.insert("workers_forward_delay");
    }
    AddSettingsFeatures(scenario.SettingsOf(host), out);
  }
  AddSettingsFeatures(scenario.settings, out);
  static constexpr std::string_view kClients[] = {"clients_1", "clients_2", "clients_3",
                                                  "clients_4+"};
  if (clients > 0) out.insert(kClients[std::min<size_t>(clients, 4) - 1]);
  if (servers > 0) out.insert(servers == 1 ? "servers_1" : "servers_2+");
}

void AddLinksFeatures(const Scenario& scenario, std::set<std::string_view>& out) {
  const Links& links = scenario.links;
  AddLinkFeatures(links.default_conditions, out);
  for (const LinkOverride& o : links.overrides) {
    AddLinkFeatures(o.conditions, out);
    const LinkConditions* reverse = &links.default_conditions;
    for (const LinkOverride& other : links.overrides) {
      if (other.from == o.to && other.to == o.from) reverse = &other.conditions;
    }
    if (!(*reverse == o.conditions)) out.insert("asymmetric_link");
  }
  if (!links.bottlenecks.empty()) out.insert("bottleneck");
}

// What the timeline does, gathered in one pass.
struct TimelineFacts {
  std::map<std::string, Duration> dial_at;                      // Connection -> dial time.
  std::map<std::pair<std::string, std::string>, int> per_pair;  // (from, to) -> dials.
  std::map<std::string, std::set<std::string>> dialed;          // Host -> hosts it dialed.
  std::map<std::string, int> dials_by;                          // Host -> dials.
  std::map<Duration, int> dials_at;                             // Time -> dials.
  std::map<std::string, int> streams_on;                        // Connection -> streams.
  std::map<std::string, std::string> connection_of;             // Stream -> connection.
  std::map<std::string, Duration> last_workload;                // Connection -> time.
  std::map<std::string, int> migrations;                        // Host -> migrations.
  std::map<Duration, std::set<std::string>> migrating_at;       // Time -> hosts.
  std::map<std::string, Duration> registration_delay;           // Host -> delay in force.
};

void AddWorkloadFeatures(const Event& event, TimelineFacts& facts,
                         std::set<std::string_view>& out) {
  std::visit(
      [&](const auto& a) {
        using T = std::decay_t<decltype(a)>;
        std::string connection;
        if constexpr (std::is_same_v<T, OpenStreamAction> || std::is_same_v<T, PingAction> ||
                      std::is_same_v<T, IdentifyAction> || std::is_same_v<T, PerfAction>) {
          connection = a.connection;
          facts.connection_of[a.stream] = a.connection;
          ++facts.streams_on[a.connection];
        }
        if constexpr (std::is_same_v<T, OpenStreamAction>) {
          out.insert(a.side == ConnectionSide::kDialer ? "stream_dialer_side"
                                                       : "stream_listener_side");
        } else if constexpr (std::is_same_v<T, PingAction> || std::is_same_v<T, IdentifyAction> ||
                             std::is_same_v<T, PerfAction>) {
          if (a.side == ConnectionSide::kListener) out.insert("protocol_listener_side");
          if constexpr (std::is_same_v<T, PingAction>) out.insert("ping");
          if constexpr (std::is_same_v<T, IdentifyAction>) out.insert("identify");
          if constexpr (std::is_same_v<T, PerfAction>) {
            out.insert("perf");
            if (a.upload_bytes > 0) out.insert("perf_upload");
            if (a.download_bytes > 0) out.insert("perf_download");
            if (std::max(a.upload_bytes, a.download_bytes) >= kLargeTransferBytes) {
              out.insert("large_transfer");
            }
          }
        } else if constexpr (std::is_same_v<T, SendAction>) {
          if (!a.fin) out.insert("send_split");
          if (a.bytes >= kLargeTransferBytes) out.insert("large_transfer");
          connection = facts.connection_of[a.stream];
        } else if constexpr (std::is_same_v<T, ResetStreamAction>) {
          out.insert("reset_stream");
          connection = facts.connection_of[a.stream];
        }
        if (!connection.empty()) facts.last_workload[connection] = event.at;
      },
      event.action);
}

void AddCloseFeatures(const Event& event, const CloseAction& a, const TimelineFacts& facts,
                      std::set<std::string_view>& out) {
  out.insert(a.side == ConnectionSide::kDialer ? "close_dialer" : "close_listener");
  if (a.error_code > kLargeErrorCode) out.insert("close_error_code_large");
  const auto dial = facts.dial_at.find(a.connection);
  const auto workload = facts.last_workload.find(a.connection);
  if (dial != facts.dial_at.end() && event.at - dial->second <= kMidHandshakeWindow) {
    out.insert("close_mid_handshake");
  } else if (workload != facts.last_workload.end() &&
             event.at - workload->second <= kMidTransferWindow) {
    out.insert("close_mid_transfer");
  } else {
    out.insert("close_late");
  }
}

void AddTimelineFeatures(const Scenario& scenario, std::set<std::string_view>& out) {
  TimelineFacts facts;
  for (const Event& event : scenario.timeline) {
    AddWorkloadFeatures(event, facts, out);
    std::visit(
        [&](const auto& a) {
          using T = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<T, DialAction>) {
            facts.dial_at[a.connection] = event.at;
            ++facts.per_pair[{a.from, a.to}];
            facts.dialed[a.from].insert(a.to);
            ++facts.dials_by[a.from];
            ++facts.dials_at[event.at];
          } else if constexpr (std::is_same_v<T, RebindAction>) {
            static constexpr std::string_view kModes[] = {"rebind_port", "rebind_address",
                                                          "rebind_both"};
            out.insert(kModes[static_cast<size_t>(a.mode)]);
          } else if constexpr (std::is_same_v<T, MigrateAction>) {
            out.insert("migrate");
            if (++facts.migrations[a.host] >= 2) out.insert("migrate_repeated");
            auto& at = facts.migrating_at[event.at];
            at.insert(a.host);
            if (at.size() >= 2) out.insert("migrate_simultaneous");
            const Host* host = scenario.FindHost(a.host);
            if (host != nullptr && host->nat) out.insert("migrate_nat");
          } else if constexpr (std::is_same_v<T, PartitionAction>) {
            out.insert("partition");
          } else if constexpr (std::is_same_v<T, BlackholeAction>) {
            out.insert("blackhole");
          } else if constexpr (std::is_same_v<T, SetLinkAction>) {
            out.insert("set_link");
            AddLinkFeatures(a.conditions, out);
          } else if constexpr (std::is_same_v<T, DelayCidRegistrationAction>) {
            const Host* host = scenario.FindHost(a.host);
            Duration& in_force = facts.registration_delay[a.host];
            if (a.delay > Duration::zero() && host != nullptr) {
              out.insert(host->listen ? "cid_delay_server" : "cid_delay_client");
            }
            if (a.delay == Duration::zero() && in_force > Duration::zero()) {
              out.insert("cid_delay_cleared");
            }
            in_force = a.delay;
          } else if constexpr (std::is_same_v<T, RestartAction>) {
            const Host* host = scenario.FindHost(a.host);
            out.insert(host != nullptr && host->listen ? "restart" : "restart_client");
          } else if constexpr (std::is_same_v<T, CloseAction>) {
            AddCloseFeatures(event, a, facts, out);
          } else if constexpr (std::is_same_v<T, FloodAction>) {
            static constexpr std::string_view kPayloads[] = {"flood_initial_replay",
                                                             "flood_junk_long", "flood_junk_short"};
            out.insert(kPayloads[static_cast<size_t>(a.payload)]);
            if (a.sources >= kManyFloodSources) out.insert("flood_many_sources");
            const Host* host = scenario.FindHost(a.host);
            if (host != nullptr && scenario.SettingsOf(*host).retry == RetryPolicy::kNever) {
              out.insert("flood_retry_never");
            }
          }
        },
        event.action);
  }
  for (const auto& [pair, dials] : facts.per_pair) {
    if (dials >= 2) out.insert("connections_per_pair_2+");
  }
  for (const auto& [host, dials] : facts.dials_by) {
    if (dials >= 2) out.insert("shared_socket");
  }
  for (const auto& [host, listeners] : facts.dialed) {
    if (listeners.size() >= 2) out.insert("dials_both_servers");
  }
  for (const auto& [at, dials] : facts.dials_at) {
    if (dials >= 2) out.insert("simultaneous_dials");
  }
  for (const auto& [connection, streams] : facts.streams_on) {
    if (streams >= 2) out.insert("streams_per_connection_2+");
  }
}

}  // namespace

std::vector<std::string> ScenarioFeatures(const Scenario& scenario) {
  std::set<std::string_view> found;
  AddTopologyFeatures(scenario, found);
  AddLinksFeatures(scenario, found);
  AddTimelineFeatures(scenario, found);
  std::vector<std::string> features;
  for (const std::string& name : kAllFeatures) {
    if (found.contains(name)) features.push_back(name);
  }
  return features;
}

const std::vector<std::string>& AllScenarioFeatures() { return kAllFeatures; }

}  // namespace p2pquic::scenarios
