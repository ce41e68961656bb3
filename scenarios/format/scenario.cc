#include "scenarios/format/scenario.h"

namespace p2pquic::scenarios {
namespace {

// Every enum here is dense from 0, so its names can be searched in order.
template <typename Enum>
std::optional<Enum> FromName(std::string_view name, int count) {
  for (int i = 0; i < count; ++i) {
    const Enum value = static_cast<Enum>(i);
    if (name == ToString(value)) return value;
  }
  return std::nullopt;
}

}  // namespace

const Host* Scenario::FindHost(std::string_view host_name) const {
  for (const Host& host : hosts) {
    if (host.name == host_name) return &host;
  }
  return nullptr;
}

const TransportSettings& Scenario::SettingsOf(const Host& host) const {
  return host.settings ? *host.settings : settings;
}

const char* ToString(Action action) {
  switch (action) {
    case Action::kDial:
      return "dial";
    case Action::kOpenStream:
      return "open_stream";
    case Action::kSend:
      return "send";
    case Action::kRebind:
      return "rebind";
    case Action::kMigrate:
      return "migrate";
    case Action::kPartition:
      return "partition";
    case Action::kHeal:
      return "heal";
    case Action::kBlackhole:
      return "blackhole";
    case Action::kSetLink:
      return "set_link";
    case Action::kDelayCidRegistration:
      return "delay_cid_registration";
    case Action::kClose:
      return "close";
    case Action::kRestart:
      return "restart";
    case Action::kResetStream:
      return "reset_stream";
    case Action::kPing:
      return "ping";
    case Action::kIdentify:
      return "identify";
    case Action::kPerf:
      return "perf";
    case Action::kFlood:
      return "flood";
  }
  return "unknown";
}

const char* ToString(RebindMode mode) {
  switch (mode) {
    case RebindMode::kPort:
      return "port";
    case RebindMode::kAddress:
      return "address";
    case RebindMode::kBoth:
      return "both";
  }
  return "unknown";
}

const char* ToString(SteeringMode mode) {
  switch (mode) {
    case SteeringMode::kKernel:
      return "kernel";
    case SteeringMode::kForward:
      return "forward";
  }
  return "unknown";
}

const char* ToString(ExpectationKind kind) {
  switch (kind) {
    case ExpectationKind::kConnection:
      return "connection";
    case ExpectationKind::kStreamIntact:
      return "stream_intact";
    case ExpectationKind::kRouteCount:
      return "route_count";
    case ExpectationKind::kPathValidated:
      return "path_validated";
    case ExpectationKind::kRegistryEmpty:
      return "registry_empty";
    case ExpectationKind::kStatelessResets:
      return "stateless_resets";
    case ExpectationKind::kFrames:
      return "frames";
    case ExpectationKind::kFrameOrder:
      return "frame_order";
    case ExpectationKind::kDelivered:
      return "delivered";
    case ExpectationKind::kHandshakes:
      return "handshakes";
    case ExpectationKind::kStream:
      return "stream";
    case ExpectationKind::kPing:
      return "ping";
    case ExpectationKind::kIdentify:
      return "identify";
    case ExpectationKind::kPerf:
      return "perf";
    case ExpectationKind::kFloodAnswers:
      return "flood_answers";
  }
  return "unknown";
}

const char* ToString(ConnectionOutcome outcome) {
  switch (outcome) {
    case ConnectionOutcome::kEstablished:
      return "established";
    case ConnectionOutcome::kClosed:
      return "closed";
    case ConnectionOutcome::kFailed:
      return "failed";
  }
  return "unknown";
}

const char* ToString(ConnectionSide side) {
  switch (side) {
    case ConnectionSide::kDialer:
      return "dialer";
    case ConnectionSide::kListener:
      return "listener";
  }
  return "unknown";
}

const char* ToString(HandshakeCount count) {
  switch (count) {
    case HandshakeCount::kStarted:
      return "started";
    case HandshakeCount::kCompleted:
      return "completed";
    case HandshakeCount::kAccepted:
      return "accepted";
    case HandshakeCount::kRetriesSent:
      return "retries_sent";
    case HandshakeCount::kInitialsRefused:
      return "initials_refused";
    case HandshakeCount::kRetryTokensAccepted:
      return "retry_tokens_accepted";
    case HandshakeCount::kRegularTokensAccepted:
      return "regular_tokens_accepted";
    case HandshakeCount::kNewTokensSent:
      return "new_tokens_sent";
    case HandshakeCount::kNewTokensReceived:
      return "new_tokens_received";
  }
  return "unknown";
}

const char* ToString(StreamOutcome outcome) {
  switch (outcome) {
    case StreamOutcome::kIntact:
      return "intact";
    case StreamOutcome::kReset:
      return "reset";
    case StreamOutcome::kUnfinished:
      return "unfinished";
  }
  return "unknown";
}

std::optional<Action> ActionFromString(std::string_view name) {
  return FromName<Action>(name, kActionCount);
}

std::optional<RebindMode> RebindModeFromString(std::string_view name) {
  return FromName<RebindMode>(name, kRebindModeCount);
}

std::optional<SteeringMode> SteeringModeFromString(std::string_view name) {
  return FromName<SteeringMode>(name, kSteeringModeCount);
}

std::optional<ExpectationKind> ExpectationKindFromString(std::string_view name) {
  return FromName<ExpectationKind>(name, kExpectationKindCount);
}

std::optional<ConnectionOutcome> ConnectionOutcomeFromString(std::string_view name) {
  return FromName<ConnectionOutcome>(name, kConnectionOutcomeCount);
}

std::optional<ConnectionSide> ConnectionSideFromString(std::string_view name) {
  return FromName<ConnectionSide>(name, kConnectionSideCount);
}

std::optional<HandshakeCount> HandshakeCountFromString(std::string_view name) {
  return FromName<HandshakeCount>(name, kHandshakeCountCount);
}

std::optional<StreamOutcome> StreamOutcomeFromString(std::string_view name) {
  return FromName<StreamOutcome>(name, kStreamOutcomeCount);
}

const char* ToString(NewTokens new_tokens) {
  switch (new_tokens) {
    case NewTokens::kOn:
      return "on";
    case NewTokens::kOff:
      return "off";
  }
  return "unknown";
}

std::optional<NewTokens> NewTokensFromString(std::string_view name) {
  return FromName<NewTokens>(name, kNewTokensCount);
}

const char* ToString(FloodPayload payload) {
  switch (payload) {
    case FloodPayload::kInitialReplay:
      return "initial_replay";
    case FloodPayload::kJunkLong:
      return "junk_long";
    case FloodPayload::kJunkShort:
      return "junk_short";
  }
  return "unknown";
}

const char* ToString(FloodAnswer answer) {
  switch (answer) {
    case FloodAnswer::kAny:
      return "any";
    case FloodAnswer::kInitial:
      return "initial";
    case FloodAnswer::kHandshake:
      return "handshake";
    case FloodAnswer::kRetry:
      return "retry";
    case FloodAnswer::kVersionNegotiation:
      return "version_negotiation";
    case FloodAnswer::kShort:
      return "short";
    case FloodAnswer::kOther:
      return "other";
  }
  return "unknown";
}

std::optional<FloodPayload> FloodPayloadFromString(std::string_view name) {
  return FromName<FloodPayload>(name, kFloodPayloadCount);
}

std::optional<FloodAnswer> FloodAnswerFromString(std::string_view name) {
  return FromName<FloodAnswer>(name, kFloodAnswerCount);
}

bool InFloodPrefix(const SocketAddress& address) {
  if (address.family() != AddressFamily::kIpv4) return false;
  const auto bytes = address.address_bytes();
  // /15: the first byte whole, the second's top seven bits.
  constexpr uint8_t kSecondByteMask = 0xfe;
  return bytes[0] == kFloodPrefix[0] && (bytes[1] & kSecondByteMask) == kFloodPrefix[1];
}

uint64_t FloodDatagrams(const FloodAction& flood) {
  // Both factors are bounded (kMaxFloodRate, kMaxScenarioDuration), so the
  // product of rate and milliseconds cannot overflow.
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(flood.duration).count();
  constexpr uint64_t kMillisPerSecond = 1000;
  return flood.rate * static_cast<uint64_t>(ms) / kMillisPerSecond;
}

SocketAddress FloodSource(uint64_t index) {
  // Host part index + 1: never the network address itself.
  const uint64_t host = index + 1;
  return SocketAddress::Ipv4({kFloodPrefix[0], static_cast<uint8_t>(kFloodPrefix[1] + (host >> 16)),
                              static_cast<uint8_t>(host >> 8), static_cast<uint8_t>(host)},
                             kFloodSourcePort);
}

std::optional<RetryPolicy> RetryPolicyFromString(std::string_view name) {
  return FromName<RetryPolicy>(name, kRetryPolicyCount);
}

}  // namespace p2pquic::scenarios
