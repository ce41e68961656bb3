// Scenario: the in-memory model of a scenario file (scenarios/format/FORMAT.md),
// what p2pquic-sim's runner executes. Plain values, fully resolved: every
// default is filled in, every name a timeline event or an expectation
// refers to exists, and partial link conditions are already merged onto
// their base, so the runner never re-applies a parsing rule.
//
// Contract: a Scenario produced by ParseScenario satisfies every rule of
// FORMAT.md (ranges, ordering, references). A hand-built Scenario carries no
// such promise until it has been through ToJson and ParseScenario.
//
// One file on purpose (over 600 lines): it is the whole format's model,
// section by section in FORMAT.md's order, so a reader checks the two side
// by side; each struct is a few plain fields with its rule.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "scenarios/format/traced_frame.h"
#include "transport/base/socket_address.h"
#include "transport/base/time.h"
#include "transport/quic/connection/close_cause.h"
#include "transport/quic/connection/quic_config.h"
#include "transport/quic/endpoint/handshake_admission.h"
#include "transport/routing/registry_result.h"
#include "transport/routing/registry_settings.h"

namespace p2pquic::scenarios {

// --- Limits ------------------------------------------------------------------

// Longest virtual run. Every other time in a file is bounded by it too, so
// millisecond values can never overflow Duration's nanoseconds.
inline constexpr Duration kMaxScenarioDuration = std::chrono::hours(1);
inline constexpr uint64_t kMaxScenarioMillis = kMaxScenarioDuration / std::chrono::milliseconds(1);
// Largest single `send`: big enough for throughput cases, small enough that
// a typo cannot ask the simulator for a terabyte.
inline constexpr uint64_t kMaxSendBytes = uint64_t{1} << 30;
// Pings one `ping` sends: enough for a long keep-alive-style probe, small
// enough that a typo cannot ask for an endless run.
inline constexpr uint64_t kMaxPingCount = 100'000;
// Names of scenarios, hosts, connections and streams: [a-z0-9-]{1,64}.
inline constexpr size_t kMaxNameLength = 64;
inline constexpr size_t kMaxDescriptionLength = 1024;
// RFC 9000 §17.2: CIDs are at most 20 bytes; below 4 bytes a random CID
// collides too often for the registry's collision path to stay rare. Zero
// is allowed on its own: zero-length CIDs, routed by the 4-tuple (a client
// that never needs to be told apart by CID).
inline constexpr uint64_t kZeroCidLength = 0;
inline constexpr uint64_t kMinCidLength = 4;
inline constexpr uint64_t kMaxCidLength = 20;
// RFC 9000 §18.2: active_connection_id_limit is at least 2. At most half
// of the registry's default per-connection CID limit (16), leaving room for
// CIDs still inside their retire grace window.
inline constexpr uint64_t kMinActiveConnectionIdLimit = 2;
inline constexpr uint64_t kMaxActiveConnectionIdLimit = 8;
// Largest UDP payload a link carries. At least IPv4's minimum link MTU of
// 68 bytes (RFC 791) less 28 bytes of IPv4 and UDP headers: a path below
// QUIC's 1200 bytes (RFC 9000 §14) is allowed on purpose, to show that a
// connection over it fails cleanly. At most the largest UDP payload over
// IPv4 (65535 - 28), the simulator's own limit (sim::kMaxUdpPayload).
inline constexpr uint64_t kMinMtu = 40;
inline constexpr uint64_t kMaxMtu = 65507;
// QUIC's smallest datagram size (RFC 9000 §14): a path below it cannot
// carry a handshake.
inline constexpr uint64_t kQuicMinDatagramSize = 1200;
// Mean loss-burst length; beyond this a link is simply down (use blackhole).
inline constexpr uint64_t kMaxLossBurst = 1000;
inline constexpr uint64_t kMaxBandwidthKbps = 100'000'000;  // 100 Gbit/s.
inline constexpr uint64_t kMaxQueueBytes = uint64_t{1} << 30;
// A host's socket send buffer (SO_SNDBUF); bounded like a link queue.
inline constexpr uint64_t kMaxSocketSendBufferBytes = uint64_t{1} << 30;
// QUIC error codes are variable-length integers (RFC 9000 §16, §19.19).
inline constexpr uint64_t kMaxErrorCode = (uint64_t{1} << 62) - 1;
// CID sequence numbers are variable-length integers too (RFC 9000 §19.15).
inline constexpr uint64_t kMaxCidSequence = (uint64_t{1} << 62) - 1;
// An expectation's note (why it holds) is one line of at most this many bytes.
inline constexpr size_t kMaxNoteLength = 256;
// Flow-control windows and send buffers, in bytes: at least one byte, at
// most 1 GiB (as a `send`), so a typo cannot make a host reserve terabytes.
inline constexpr uint64_t kMaxWindowBytes = uint64_t{1} << 30;
inline constexpr uint64_t kMaxSendBufferBytes = uint64_t{1} << 30;
// Handshake-admission counts (retry_threshold, max_unvalidated_per_source,
// max_pending_handshakes): at least one (zero would refuse or retry every
// client), at most this many, well past any pending set a simulated run can
// hold, so a typo cannot ask for an unbounded table.
inline constexpr uint64_t kMaxAdmissionCount = 1'000'000;
// A `flood`: datagrams per virtual second, distinct spoofed sources, and
// datagrams in all (rate x duration). Enough for the attacks of issue 11
// (thousands of sources, thousands per second), small enough that a typo
// cannot queue an endless run.
inline constexpr uint64_t kMaxFloodRate = 100'000;
inline constexpr uint64_t kMaxFloodSources = 65'536;
inline constexpr uint64_t kMaxFloodDatagrams = 1'000'000;
// Spoofed sources come from 198.18.0.0/15 (RFC 2544's benchmarking range,
// never routed on the Internet): source i (0-based) is 198.18.0.0 + i + 1,
// port kFloodSourcePort. No host address may be in it (the parser refuses
// one), so the network delivers no answer to a spoofed source.
inline constexpr uint8_t kFloodPrefix[] = {198, 18};
inline constexpr int kFloodPrefixBits = 15;
inline constexpr uint16_t kFloodSourcePort = 40000;

// A multi-worker host (Host::workers): at most this many workers, each its
// own endpoint behind the host's one address. 8 keeps a run's cost bounded
// (every worker is a whole Libp2pHost) and is far below what the default
// CID layout can name (2^worker_bits = 256 workers).
inline constexpr uint64_t kMaxWorkers = 8;
// A multi-worker host's CIDs follow the default QUIC-LB layout
// (QuicLbConfig{}: config 0, 2-byte server ID, 5-byte nonce): this many bytes.
inline constexpr uint64_t kWorkerCidLength = 8;
// Longest virtual hand-off between two workers (forward_delay_ms): far above
// a real queue between threads, enough to stretch the registration race.
inline constexpr uint64_t kMaxForwardDelayMillis = 1000;

// --- Settings and topology -------------------------------------------------

// Whether a listening host sends NEW_TOKEN tokens (EndpointConfig::new_tokens:
// kOn is NewTokenPolicy::kSend).
enum class NewTokens : uint8_t { kOn, kOff };
inline constexpr int kNewTokensCount = 2;
inline constexpr int kRetryPolicyCount = 3;  // RetryPolicy's values, dense from 0.

// The production defaults of the address-validation settings below.
inline constexpr uint64_t kDefaultRetryThreshold = 64;
inline constexpr uint64_t kDefaultMaxUnvalidatedPerSource = 16;
inline constexpr uint64_t kDefaultMaxPendingHandshakes = 256;

// The transport settings of a host: the scenario's, or a host's own
// (Host::settings). Defaults are the production defaults (QuicConfig,
// RegistrySettings), so a file that omits a setting tests what ships.
// Each field is the QuicConfig / RegistrySettings field of the same name.
struct TransportSettings {
  Duration idle_timeout = QuicConfig{}.idle_timeout;
  Duration handshake_timeout = QuicConfig{}.handshake_timeout;
  Duration keep_alive = QuicConfig{}.keep_alive;  // Zero: no keep-alive PINGs.
  Duration retired_cid_grace = RegistrySettings{}.retired_cid_grace;
  uint64_t active_connection_id_limit = QuicConfig{}.active_connection_id_limit;
  uint64_t cid_length = QuicConfig{}.local_cid_length;  // Bytes of the CIDs a host issues.
  // Flow-control windows the host grants its peers (bytes), auto-tuned from
  // the initial value up to the max_ one; max_ >= initial.
  uint64_t connection_window = QuicConfig{}.connection_window;
  uint64_t stream_window = QuicConfig{}.stream_window;
  uint64_t max_connection_window = QuicConfig{}.max_connection_window;
  uint64_t max_stream_window = QuicConfig{}.max_stream_window;
  // Send buffers (bytes; SendBufferBudget): a stream's floor and ceiling
  // (max_ >= floor) and all of a connection's streams together.
  uint64_t stream_send_buffer = QuicConfig{}.stream_send_buffer;
  uint64_t max_stream_send_buffer = QuicConfig{}.max_stream_send_buffer;
  uint64_t max_connection_send_buffer = QuicConfig{}.max_connection_send_buffer;
  // Address validation (EndpointConfig's fields of the same name;
  // handshake_admission.h states the rule). They act only on a listening
  // host: a host that only dials never admits an Initial.
  RetryPolicy retry = RetryPolicy::kAuto;  // EndpointConfig::retry_policy.
  uint64_t retry_threshold = kDefaultRetryThreshold;
  uint64_t max_unvalidated_per_source = kDefaultMaxUnvalidatedPerSource;
  uint64_t max_pending_handshakes = kDefaultMaxPendingHandshakes;
  NewTokens new_tokens = NewTokens::kOn;

  friend bool operator==(const TransportSettings&, const TransportSettings&) = default;
};

// One direction of a link between two hosts.
struct LinkConditions {
  Duration delay = std::chrono::milliseconds(10);  // One way.
  Duration jitter = Duration::zero();              // Uniform extra delay in [0, jitter]; reorders.
  double loss = 0;                                 // Probability per datagram, [0, 1].
  // Mean length of a run of lost datagrams (Gilbert-Elliott); the long-run
  // loss rate stays `loss`. 1 means every loss is independent.
  uint64_t loss_burst = 1;
  double duplicate = 0;                         // Probability per datagram, [0, 1].
  Duration duplicate_delay = Duration::zero();  // The extra copy arrives this much later.
  double corrupt = 0;           // Probability per datagram of one flipped byte, [0, 1].
  uint64_t bandwidth_kbps = 0;  // Serialization rate, kilobits per second; 0 = unlimited.
  uint64_t queue_bytes = 0;     // Bottleneck queue; 0 = the simulator's default.
  uint64_t mtu = 1472;          // Largest UDP payload; larger datagrams are dropped.

  friend bool operator==(const LinkConditions&, const LinkConditions&) = default;
};

// How a multi-worker host's kernel hands each datagram to a worker
// (sim::SimReuseportGroup).
enum class SteeringMode : uint8_t {
  kKernel,   // The reuseport program: the worker the DCID names (the steering rule).
  kForward,  // The kernel's 4-tuple hash; the worker forwards a misroute to its owner.
};
inline constexpr int kSteeringModeCount = 2;

struct Host {
  std::string name;
  // Where the host's socket is bound. For a NAT host this is the inside
  // address; the network assigns the outside one.
  SocketAddress address;
  bool listen = false;  // Accepts inbound connections; only these can be dialed.
  bool nat = false;     // Behind a NAT: the only hosts `rebind` applies to.
  // Seeds the host's Random (identity, certificate key, CIDs, a client's
  // initial DCID, ngtcp2 randomness) with exactly this value instead of one
  // derived from the run's seed and the host's index. Two hosts with the same
  // value draw the same CIDs: how race scenarios make two clients pick the
  // same initial DCID on purpose. Absent: the derived seed.
  std::optional<uint64_t> random_seed;
  // The socket's send buffer in bytes (sim::SimSocket::SetSendBufferBytes):
  // when this much waits for the host's links to serialise it, sends say
  // kWouldBlock (EAGAIN) until half has left. 0: unlimited, never blocks.
  uint64_t socket_send_buffer_bytes = 0;
  // This host's own transport settings, complete (the file's partial object
  // merged onto the scenario's settings). Absent: the scenario's settings,
  // which Scenario::SettingsOf resolves.
  std::optional<TransportSettings> settings;
  // Workers behind the host's one address (1..kMaxWorkers), each its own
  // endpoint with the same identity and CIDs naming it. Above 1 only for a
  // listening host whose cid_length is kWorkerCidLength.
  uint64_t workers = 1;
  // Only meaningful (and only written) with workers > 1.
  SteeringMode steering = SteeringMode::kKernel;
  // Virtual delay of one cross-worker hand-off (0..kMaxForwardDelayMillis ms).
  Duration forward_delay{};

  friend bool operator==(const Host&, const Host&) = default;
};

// Conditions for datagrams from host `from` to host `to` (one direction).
struct LinkOverride {
  std::string from;
  std::string to;
  LinkConditions conditions;  // Complete: omitted fields came from Links::default_conditions.

  friend bool operator==(const LinkOverride&, const LinkOverride&) = default;
};

// One direction, host `from` to host `to` (two different hosts).
struct LinkDirection {
  std::string from;
  std::string to;

  friend bool operator==(const LinkDirection&, const LinkDirection&) = default;
};

// A queue and serializer the datagrams of several directions share after
// their own links' (sim::SharedBottleneck), e.g. a server's access link:
// their flows contend for one rate instead of each having its link's.
struct Bottleneck {
  std::string name;                       // Unique among bottlenecks.
  std::vector<LinkDirection> directions;  // Non-empty, distinct.
  uint64_t bandwidth_kbps = 0;            // 1..kMaxBandwidthKbps.
  uint64_t queue_bytes = 0;               // 0 = the simulator's default.

  friend bool operator==(const Bottleneck&, const Bottleneck&) = default;
};

struct Links {
  LinkConditions default_conditions;    // Every direction without an override.
  std::vector<LinkOverride> overrides;  // At most one per (from, to).
  std::vector<Bottleneck> bottlenecks;  // A direction in one of them at most.

  friend bool operator==(const Links&, const Links&) = default;
};

// --- Timeline ----------------------------------------------------------------

// Which end of a connection acts (opens a stream, closes it) or is looked at
// (an expectation).
enum class ConnectionSide : uint8_t {
  kDialer,    // The host that dialed it (the dial's `from`).
  kListener,  // The host it dialed (the dial's `to`): its end of the same connection.
};
inline constexpr int kConnectionSideCount = 2;

// The order of Action matches the alternatives of EventAction.
enum class Action : uint8_t {
  kDial,
  kOpenStream,
  kSend,
  kRebind,
  kMigrate,
  kPartition,
  kHeal,
  kBlackhole,
  kSetLink,
  kDelayCidRegistration,
  kClose,
  kRestart,
  kResetStream,
  kPing,
  kIdentify,
  kPerf,
  kFlood,
};
inline constexpr int kActionCount = 17;

// `from` opens a new connection `connection` to `to` (a listening host).
struct DialAction {
  std::string from;
  std::string to;
  std::string connection;  // New, unique among connections.
  friend bool operator==(const DialAction&, const DialAction&) = default;
};

// One end of `connection` (the dialer unless `side` says the listener: a
// download) opens a stream of the transfer test protocol on it, once its
// end of the connection is ready; the opener sends, the other end checks.
struct OpenStreamAction {
  std::string connection;  // Dialed earlier, not closed earlier.
  std::string stream;      // New, unique among streams (of every protocol).
  ConnectionSide side = ConnectionSide::kDialer;
  friend bool operator==(const OpenStreamAction&, const OpenStreamAction&) = default;
};

// The stream's opener writes `bytes` bytes of seeded pseudo-random data.
struct SendAction {
  std::string stream;  // Opened earlier; no earlier send on it had fin.
  uint64_t bytes = 0;  // 1..kMaxSendBytes.
  bool fin = true;     // Ends the stream after these bytes.
  friend bool operator==(const SendAction&, const SendAction&) = default;
};

enum class RebindMode : uint8_t { kPort, kAddress, kBoth };
inline constexpr int kRebindModeCount = 3;

// The NAT in front of `host` drops its binding and maps the host's next
// datagram to a new outside port, address or both (QUIC interop runner style).
struct RebindAction {
  std::string host;  // A host with nat: true.
  RebindMode mode = RebindMode::kPort;
  friend bool operator==(const RebindAction&, const RebindAction&) = default;
};

// `host` moves its connections to a new local address (active migration,
// with path validation).
struct MigrateAction {
  std::string host;  // Dialed a connection earlier.
  // Resolved: the file's address, or the host's current address with the
  // next port (current = its `hosts` address or its last migrate's).
  SocketAddress address;
  friend bool operator==(const MigrateAction&, const MigrateAction&) = default;
};

// Cuts the listed hosts off from every other host, both ways, until `heal`.
struct PartitionAction {
  std::vector<std::string> hosts;  // Non-empty, distinct, not every host.
  friend bool operator==(const PartitionAction&, const PartitionAction&) = default;
};

// Ends every partition.
struct HealAction {
  friend bool operator==(const HealAction&, const HealAction&) = default;
};

// Drops every datagram from `from` to `to` (one direction) for `duration`.
struct BlackholeAction {
  std::string from;
  std::string to;
  Duration duration{};  // > 0.
  friend bool operator==(const BlackholeAction&, const BlackholeAction&) = default;
};

// Replaces the conditions of the direction `from` -> `to` from now on.
struct SetLinkAction {
  std::string from;
  std::string to;
  // Complete: omitted fields came from the link's conditions at that time
  // (its override, else the default, changed by earlier set_link events).
  LinkConditions conditions;
  friend bool operator==(const SetLinkAction&, const SetLinkAction&) = default;
};

// Registers the CIDs `host` issues `delay` after they are created instead
// of at once (the asynchronous-registration race); zero restores immediate.
struct DelayCidRegistrationAction {
  std::string host;
  Duration delay{};
  friend bool operator==(const DelayCidRegistrationAction&,
                         const DelayCidRegistrationAction&) = default;
};

// One end of `connection` (the dialer unless `side` says the listener)
// closes it with an application error code.
struct CloseAction {
  std::string connection;  // Dialed earlier, not closed earlier.
  uint64_t error_code = 0;
  ConnectionSide side = ConnectionSide::kDialer;
  friend bool operator==(const CloseAction&, const CloseAction&) = default;
};

// `host` restarts: it forgets every connection and key (its endpoint is
// destroyed and a new one built on the same address, with the same
// configuration and stateless-reset secret), so its peers' packets for the
// old connections meet stateless resets. The connections `host` dialed end
// with it ("host restarted"); no later event may use them.
struct RestartAction {
  std::string host;
  friend bool operator==(const RestartAction&, const RestartAction&) = default;
};

// The opener of a transfer stream aborts it both ways (RESET_STREAM and
// STOP_SENDING with `error_code`); the bytes not yet delivered never are.
struct ResetStreamAction {
  std::string stream;  // A transfer stream opened earlier, not reset earlier.
  uint64_t error_code = 0;
  friend bool operator==(const ResetStreamAction&, const ResetStreamAction&) = default;
};

// One end of `connection` opens a /ipfs/ping/1.0.0 stream and sends `count`
// pings, each echoed byte for byte, the next `interval` after the previous
// one was sent (at once if its echo took longer), then half-closes.
struct PingAction {
  std::string connection;  // Dialed earlier, not closed earlier.
  std::string stream;      // New, unique among streams.
  ConnectionSide side = ConnectionSide::kDialer;
  uint64_t count = 1;  // 1..kMaxPingCount.
  Duration interval{};
  friend bool operator==(const PingAction&, const PingAction&) = default;
};

// One end of `connection` asks the other who it is (/ipfs/id/1.0.0).
struct IdentifyAction {
  std::string connection;  // Dialed earlier, not closed earlier.
  std::string stream;      // New, unique among streams.
  ConnectionSide side = ConnectionSide::kDialer;
  friend bool operator==(const IdentifyAction&, const IdentifyAction&) = default;
};

// One end of `connection` runs /perf/1.0.0: uploads `upload_bytes` and asks
// the other end for `download_bytes` back.
struct PerfAction {
  std::string connection;  // Dialed earlier, not closed earlier.
  std::string stream;      // New, unique among streams.
  ConnectionSide side = ConnectionSide::kDialer;
  uint64_t upload_bytes = 0;    // 0..kMaxSendBytes.
  uint64_t download_bytes = 0;  // 0..kMaxSendBytes.
  friend bool operator==(const PerfAction&, const PerfAction&) = default;
};

// What a `flood` sends.
enum class FloodPayload : uint8_t {
  // One client Initial, captured in the run (a throwaway client of its own,
  // seeded from the run's seed, dials the target once), replayed byte for
  // byte: each copy from a new source looks like a new client to the
  // target, whose answers (server Initials, or Retry) go to the spoofed
  // address.
  kInitialReplay,
  // Random long headers of an unsupported version (1200 bytes): Version
  // Negotiation answers.
  kJunkLong,
  // Random short headers (random DCIDs, 64 .. 1200 bytes): stateless-reset
  // answers, rate-limited.
  kJunkShort,
};
inline constexpr int kFloodPayloadCount = 3;

// From `at`, `rate` datagrams per second for `duration` go to `host`'s
// address at that time, each from the next of `sources` spoofed addresses
// (kFloodPrefix, in turn), through the network's link model along the
// direction from the flood's attachment (an attacker host of its own, with
// the default link conditions) to `host`.
struct FloodAction {
  std::string host;  // A listening host.
  FloodPayload payload = FloodPayload::kInitialReplay;
  uint64_t rate = 0;     // 1..kMaxFloodRate datagrams per virtual second.
  Duration duration{};   // > 0; the flood ends by the scenario's end.
  uint64_t sources = 1;  // 1..kMaxFloodSources.
  friend bool operator==(const FloodAction&, const FloodAction&) = default;
};

using EventAction =
    std::variant<DialAction, OpenStreamAction, SendAction, RebindAction, MigrateAction,
                 PartitionAction, HealAction, BlackholeAction, SetLinkAction,
                 DelayCidRegistrationAction, CloseAction, RestartAction, ResetStreamAction,
                 PingAction, IdentifyAction, PerfAction, FloodAction>;
static_assert(std::variant_size_v<EventAction> == kActionCount);

struct Event {
  Duration at{};  // Virtual time since the run started; events are in non-decreasing order.
  EventAction action;

  Action kind() const { return static_cast<Action>(action.index()); }
  friend bool operator==(const Event&, const Event&) = default;
};

// --- Expectations --------------------------------------------------------------

// The order of ExpectationKind matches the alternatives of ExpectationCheck.
enum class ExpectationKind : uint8_t {
  kConnection,
  kStreamIntact,
  kRouteCount,
  kPathValidated,
  kRegistryEmpty,
  kStatelessResets,
  kFrames,
  kFrameOrder,
  kDelivered,
  kHandshakes,
  kStream,
  kPing,
  kIdentify,
  kPerf,
  kFloodAnswers,
};
inline constexpr int kExpectationKindCount = 15;

enum class ConnectionOutcome : uint8_t {
  kEstablished,  // Handshake completed and still alive at the end of the run.
  kClosed,       // Closed by the timeline's `close` event (and by nothing earlier).
  kFailed,       // Closed any other way: handshake or idle timeout, peer, reset.
};
inline constexpr int kConnectionOutcomeCount = 3;

// How a transfer stream ended, from what its two ends saw.
enum class StreamOutcome : uint8_t {
  kIntact,      // Every byte sent arrived with FIN and an equal hash.
  kReset,       // Reset: the receiver saw RESET_STREAM or the sender STOP_SENDING.
  kUnfinished,  // Neither: it never completed (e.g. its connection ended first).
};
inline constexpr int kStreamOutcomeCount = 3;

// What a `handshakes` expectation counts on a host (EndpointStats).
enum class HandshakeCount : uint8_t {
  kStarted,    // Handshakes begun, inbound and outbound.
  kCompleted,  // Handshakes that completed (peer authenticated).
  kAccepted,   // Inbound connections the host accepted (its Initials that started one).
  // Address validation (EndpointStats' fields of the same name):
  kRetriesSent,            // Retry packets sent (no state was created for any).
  kInitialsRefused,        // Initials dropped by the admission rule or the limits.
  kRetryTokensAccepted,    // Initials whose Retry token proved the address.
  kRegularTokensAccepted,  // Initials whose NEW_TOKEN token proved the address.
  kNewTokensSent,          // NEW_TOKEN tokens sent (server).
  kNewTokensReceived,      // NEW_TOKEN tokens kept (client).
};
inline constexpr int kHandshakeCountCount = 9;

struct ConnectionExpectation {
  std::string connection;
  // For the end the timeline's close did not act on: kClosed means it ended
  // at or after that close was applied; kFailed, that it ended before.
  ConnectionOutcome outcome = ConnectionOutcome::kEstablished;
  // A substring the close reason must contain; only for kClosed / kFailed.
  std::optional<std::string> error;
  ConnectionSide side = ConnectionSide::kDialer;
  // How that end ended (the transport's CloseCause); only for kClosed /
  // kFailed. On the dialer, kClosed implies kLocalClose and kFailed excludes it.
  std::optional<CloseCause> ended = std::nullopt;
  // That end ended at or before this run time; only for kClosed / kFailed,
  // at most the scenario's duration.
  std::optional<Duration> by = std::nullopt;
  // That end completed its handshake at most this long after the dial (any
  // outcome: a connection can complete it and fail later); e.g. a
  // legitimate client must connect promptly during a flood.
  std::optional<Duration> handshake_within = std::nullopt;
  friend bool operator==(const ConnectionExpectation&, const ConnectionExpectation&) = default;
};

// Every byte sent on the stream arrived, in order, with an equal hash.
struct StreamIntactExpectation {
  std::string stream;
  friend bool operator==(const StreamIntactExpectation&, const StreamIntactExpectation&) = default;
};

// The host's registry counted `outcome` between min and max times.
struct RouteCountExpectation {
  std::string host;
  RouteOutcome outcome = RouteOutcome::kCidHit;
  uint64_t min = 0;
  std::optional<uint64_t> max;  // Unbounded when absent; >= min.
  friend bool operator==(const RouteCountExpectation&, const RouteCountExpectation&) = default;
};

// The host saw at least `min` successful path validations.
struct PathValidatedExpectation {
  std::string host;
  uint64_t min = 1;
  friend bool operator==(const PathValidatedExpectation&,
                         const PathValidatedExpectation&) = default;
};

// At the end, the host's registry holds no CIDs, tuples or reset tokens.
struct RegistryEmptyExpectation {
  std::string host;
  friend bool operator==(const RegistryEmptyExpectation&,
                         const RegistryEmptyExpectation&) = default;
};

// The host sent between `min` and `max` stateless resets (over its whole
// run, across restarts).
struct StatelessResetsExpectation {
  std::string host;
  uint64_t min = 1;
  std::optional<uint64_t> max;  // Unbounded when absent; >= min.
  friend bool operator==(const StatelessResetsExpectation&,
                         const StatelessResetsExpectation&) = default;
};

// The host's count of `count` is between `min` and `max` (over its whole
// run, across restarts): e.g. a late duplicate Initial must not start a
// second connection (accepted max 1).
struct HandshakesExpectation {
  std::string host;
  HandshakeCount count = HandshakeCount::kStarted;
  uint64_t min = 0;
  std::optional<uint64_t> max;  // Unbounded when absent; >= min. min or max must bind.
  friend bool operator==(const HandshakesExpectation&, const HandshakesExpectation&) = default;
};

// Frames of one type one host sent or received (traced_frame.h), optionally
// only those carrying one CID sequence number.
struct FrameSelector {
  FrameType frame = FrameType::kNewConnectionId;
  FrameDirection direction = FrameDirection::kSent;
  std::optional<uint64_t> seq;  // Only for frames that carry one (HasSequence).
  friend bool operator==(const FrameSelector&, const FrameSelector&) = default;
};

// The host sent / received between min and max frames matching `select`;
// with `connection`, only on that connection (the host is one of its ends).
// At least one bound can fail: min > 0 or a max.
struct FramesExpectation {
  std::string host;
  std::optional<std::string> connection;
  FrameSelector select;
  uint64_t min = 0;
  std::optional<uint64_t> max;      // Unbounded when absent; >= min.
  std::optional<std::string> note;  // Why this holds; printed with the result.
  friend bool operator==(const FramesExpectation&, const FramesExpectation&) = default;
};

// On the host (and `connection` when set) both frames occur, and the first
// frame matching `before` precedes the first frame matching `after` (in the
// order the run recorded them; one order across hosts, so the same instant
// is no tie). The two selectors differ.
struct FrameOrderExpectation {
  std::string host;
  std::optional<std::string> connection;
  FrameSelector before;
  FrameSelector after;
  std::optional<std::string> note;
  friend bool operator==(const FrameOrderExpectation&, const FrameOrderExpectation&) = default;
};

// The stream's receiver got between `min` and `max` payload bytes of it in
// the window [from, by) of run time: throughput asserted in the file.
struct DeliveredExpectation {
  std::string stream;
  Duration from{};              // [0, by); 0 counts from the start of the run.
  Duration by{};                // (from, scenario duration].
  uint64_t min = 0;             // Bytes.
  std::optional<uint64_t> max;  // Unbounded when absent; >= min.
  friend bool operator==(const DeliveredExpectation&, const DeliveredExpectation&) = default;
};

// A transfer stream (open_stream) ended as `outcome`.
struct StreamExpectation {
  std::string stream;
  StreamOutcome outcome = StreamOutcome::kIntact;
  friend bool operator==(const StreamExpectation&, const StreamExpectation&) = default;
};

// A ping stream got at least `replies` echoes, each matching its ping, and
// (with max_rtt) none took longer than that.
struct PingExpectation {
  std::string stream;    // A ping stream.
  uint64_t replies = 1;  // 1..the ping's count.
  std::optional<Duration> max_rtt;
  friend bool operator==(const PingExpectation&, const PingExpectation&) = default;
};

// An identify stream got the peer's answer, its public key is the peer
// host's identity (always checked) and its listen addresses include the
// peer's if it listens; the optional fields must match too.
struct IdentifyExpectation {
  std::string stream;  // An identify stream.
  std::optional<std::string> agent_version;
  std::vector<std::string> protocols;  // Each must be among those the peer lists.
  // The address the peer saw the requester at (e.g. its NAT's outside one).
  std::optional<SocketAddress> observed_address;
  friend bool operator==(const IdentifyExpectation&, const IdentifyExpectation&) = default;
};

// A perf stream moved exactly the bytes it asked for, both ways.
struct PerfExpectation {
  std::string stream;  // A perf stream.
  friend bool operator==(const PerfExpectation&, const PerfExpectation&) = default;
};

// What a host sent to a flood's spoofed sources, by its packet's first
// header (the datagram's first packet); kAny counts them all.
enum class FloodAnswer : uint8_t {
  kAny,
  kInitial,             // A server Initial: the flood started a handshake.
  kHandshake,           // A Handshake packet (0-RTT and others count as kOther).
  kRetry,               // A Retry: no state was kept.
  kVersionNegotiation,  // Version Negotiation.
  kShort,               // A short header: a stateless reset.
  kOther,
};
inline constexpr int kFloodAnswerCount = 7;

// The datagrams every host sent to the flood's spoofed sources matching
// `answer` numbered between min and max: how a scenario shows reflection,
// or its absence (the amplification oracle bounds the bytes). The network
// delivers none of them (no host owns a spoofed source).
struct FloodAnswersExpectation {
  FloodAnswer answer = FloodAnswer::kAny;
  uint64_t min = 0;
  std::optional<uint64_t> max;  // Unbounded when absent; >= min. min or max must bind.
  friend bool operator==(const FloodAnswersExpectation&, const FloodAnswersExpectation&) = default;
};

using ExpectationCheck =
    std::variant<ConnectionExpectation, StreamIntactExpectation, RouteCountExpectation,
                 PathValidatedExpectation, RegistryEmptyExpectation, StatelessResetsExpectation,
                 FramesExpectation, FrameOrderExpectation, DeliveredExpectation,
                 HandshakesExpectation, StreamExpectation, PingExpectation, IdentifyExpectation,
                 PerfExpectation, FloodAnswersExpectation>;
static_assert(std::variant_size_v<ExpectationCheck> == kExpectationKindCount);

struct Expectation {
  ExpectationCheck check;

  ExpectationKind kind() const { return static_cast<ExpectationKind>(check.index()); }
  friend bool operator==(const Expectation&, const Expectation&) = default;
};

// --- The scenario ------------------------------------------------------------

struct Scenario {
  std::string name;         // [a-z0-9-]+
  std::string description;  // One line.
  uint64_t seed = 0;        // Seeds every random choice of the run.
  Duration duration{};      // Virtual time limit, (0, kMaxScenarioDuration].
  TransportSettings settings;
  std::vector<Host> hosts;  // At least one; distinct names and addresses.
  Links links;
  std::vector<Event> timeline;
  std::vector<Expectation> expect;

  // The host named `name`, or null.
  const Host* FindHost(std::string_view name) const;
  // The transport settings `host` runs with: its own, else the scenario's.
  const TransportSettings& SettingsOf(const Host& host) const;

  friend bool operator==(const Scenario&, const Scenario&) = default;
};

// Names as written in files ("dial", "open_stream", ...).
const char* ToString(Action action);
const char* ToString(RebindMode mode);
const char* ToString(SteeringMode mode);
const char* ToString(ExpectationKind kind);
const char* ToString(ConnectionOutcome outcome);
const char* ToString(ConnectionSide side);
const char* ToString(HandshakeCount count);
const char* ToString(StreamOutcome outcome);
const char* ToString(NewTokens new_tokens);
const char* ToString(FloodPayload payload);
const char* ToString(FloodAnswer answer);

// The value whose ToString is `name`; nullopt for any other text.
std::optional<Action> ActionFromString(std::string_view name);
std::optional<RebindMode> RebindModeFromString(std::string_view name);
std::optional<SteeringMode> SteeringModeFromString(std::string_view name);
std::optional<ExpectationKind> ExpectationKindFromString(std::string_view name);
std::optional<ConnectionOutcome> ConnectionOutcomeFromString(std::string_view name);
std::optional<ConnectionSide> ConnectionSideFromString(std::string_view name);
std::optional<HandshakeCount> HandshakeCountFromString(std::string_view name);
std::optional<StreamOutcome> StreamOutcomeFromString(std::string_view name);
std::optional<NewTokens> NewTokensFromString(std::string_view name);
std::optional<FloodPayload> FloodPayloadFromString(std::string_view name);
std::optional<FloodAnswer> FloodAnswerFromString(std::string_view name);
// Whether `address` is in the flood's spoofed-source range (kFloodPrefix).
bool InFloodPrefix(const SocketAddress& address);
// How many datagrams `flood` sends: floor(rate x duration), the k-th
// (0-based) at k / rate seconds after its start.
uint64_t FloodDatagrams(const FloodAction& flood);
// The spoofed source `index` (0-based, < kMaxFloodSources) of a flood.
SocketAddress FloodSource(uint64_t index);
// RetryPolicy's names are the transport's (ToString(RetryPolicy)).
std::optional<RetryPolicy> RetryPolicyFromString(std::string_view name);

}  // namespace p2pquic::scenarios
