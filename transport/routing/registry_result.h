// Result enums of ConnectionIdRegistry operations and routing.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "transport/routing/connection_handle.h"
#include "transport/routing/routing_header.h"

namespace p2pquic {

enum class RegistryResult : uint8_t {
  kOk,
  kAlreadyDone,             // Idempotent repeat: nothing changed.
  kUnknownConnection,       // Invalid or stale handle.
  kCidCollision,            // The CID is registered to another connection.
  kTokenCollision,          // The (remote, token) is registered to another connection.
  kCidLengthMismatch,       // Not of the endpoint's local CID length.
  kSequenceReused,          // The connection has another CID with this sequence.
  kSequenceAlreadyRetired,  // The sequence was retired (or lies below retire_prior_to).
  kUnknownSequence,         // The connection has no CID with this sequence.
  kInitialDcidTooShort,     // Client initial DCIDs are at least 8 bytes (RFC 9000 §7.2).
  kLimitExceeded,           // A per-connection limit from RegistrySettings.
  kNotFound,                // Nothing to remove.
};
inline constexpr int kRegistryResultCount = 12;

const char* ToString(RegistryResult result);

enum class RouteOutcome : uint8_t {
  kCidHit,              // DCID is a live CID: delivered to its owner.
  kInitialHit,          // Long header whose client-chosen DCID (with this remote) is known.
  kTupleHit,            // Zero-length DCID, routed by the 4-tuple.
  kRetiredInGrace,      // DCID retired, still inside its grace window.
  kResetToken,          // Unknown DCID; the tail is a stateless reset token of this remote.
  kFallback,            // Unknown short-header DCID from a known 4-tuple: a candidate only,
                        // nothing is bound until ConfirmFallback.
  kMissInitial,         // Unknown Initial: may start a new connection.
  kMissLong,            // Unknown non-Initial long header: drop.
  kMissShort,           // Unknown short header: stateless reset or drop.
  kUnsupportedVersion,  // Long header of a version we do not speak: Version Negotiation.
  kMalformed,           // Did not parse: counted and dropped.
};
inline constexpr int kRouteOutcomeCount = 11;

const char* ToString(RouteOutcome outcome);
// The outcome whose ToString is `name` ("cid_hit", ...); nullopt for any other text.
std::optional<RouteOutcome> RouteOutcomeFromString(std::string_view name);

// True for outcomes that name a connection in RouteResult::connection.
inline bool NamesConnection(RouteOutcome o) {
  return o == RouteOutcome::kCidHit || o == RouteOutcome::kInitialHit ||
         o == RouteOutcome::kTupleHit || o == RouteOutcome::kRetiredInGrace ||
         o == RouteOutcome::kResetToken || o == RouteOutcome::kFallback;
}

inline constexpr uint64_t kUnknownSequence = ~uint64_t{0};

// 24 bytes, returned in registers' reach: routing is the hot path.
struct RouteResult {
  RouteOutcome outcome = RouteOutcome::kMalformed;
  HeaderParseStatus parse_status = HeaderParseStatus::kOk;  // Why, for kMalformed.
  ConnectionHandle connection;                              // Set when NamesConnection(outcome).
  uint64_t sequence = kUnknownSequence;  // Wire sequence of the DCID, for kRetiredInGrace.
};

inline RouteResult MakeRoute(RouteOutcome outcome, ConnectionHandle connection = {},
                             uint64_t sequence = kUnknownSequence) {
  RouteResult result;
  result.outcome = outcome;
  result.connection = connection;
  result.sequence = sequence;
  return result;
}

}  // namespace p2pquic
