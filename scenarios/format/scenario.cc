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

}  // namespace p2pquic::scenarios
