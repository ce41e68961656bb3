#include "transport/routing/registry_result.h"

namespace p2pquic {

const char* ToString(ConnectionPhase phase) {
  switch (phase) {
    case ConnectionPhase::kPending:
      return "pending";
    case ConnectionPhase::kEstablished:
      return "established";
  }
  return "unknown";
}

const char* ToString(CidState state) {
  switch (state) {
    case CidState::kIssued:
      return "issued";
    case CidState::kActive:
      return "active";
    case CidState::kRetiring:
      return "retiring";
  }
  return "unknown";
}

const char* ToString(RegistryResult result) {
  switch (result) {
    case RegistryResult::kOk:
      return "ok";
    case RegistryResult::kAlreadyDone:
      return "already done";
    case RegistryResult::kUnknownConnection:
      return "unknown or stale connection handle";
    case RegistryResult::kCidCollision:
      return "connection ID already registered to another connection";
    case RegistryResult::kTokenCollision:
      return "reset token already registered to another connection";
    case RegistryResult::kCidLengthMismatch:
      return "connection ID length differs from the local CID length";
    case RegistryResult::kSequenceReused:
      return "sequence number already used by another CID";
    case RegistryResult::kSequenceAlreadyRetired:
      return "sequence number already retired";
    case RegistryResult::kUnknownSequence:
      return "no CID with this sequence number";
    case RegistryResult::kInitialDcidTooShort:
      return "initial DCID shorter than 8 bytes";
    case RegistryResult::kLimitExceeded:
      return "per-connection limit exceeded";
    case RegistryResult::kNotFound:
      return "not found";
  }
  return "unknown";
}

const char* ToString(RouteOutcome outcome) {
  switch (outcome) {
    case RouteOutcome::kCidHit:
      return "cid_hit";
    case RouteOutcome::kInitialHit:
      return "initial_hit";
    case RouteOutcome::kTupleHit:
      return "tuple_hit";
    case RouteOutcome::kRetiredInGrace:
      return "retired_in_grace";
    case RouteOutcome::kResetToken:
      return "reset_token";
    case RouteOutcome::kFallback:
      return "fallback";
    case RouteOutcome::kMissInitial:
      return "miss_initial";
    case RouteOutcome::kMissLong:
      return "miss_long";
    case RouteOutcome::kMissShort:
      return "miss_short";
    case RouteOutcome::kUnsupportedVersion:
      return "unsupported_version";
    case RouteOutcome::kMalformed:
      return "malformed";
  }
  return "unknown";
}

std::optional<RouteOutcome> RouteOutcomeFromString(std::string_view name) {
  for (int i = 0; i < kRouteOutcomeCount; ++i) {
    const auto outcome = static_cast<RouteOutcome>(i);
    if (name == ToString(outcome)) return outcome;
  }
  return std::nullopt;
}

}  // namespace p2pquic
