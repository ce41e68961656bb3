#include "transport/quic/connection/connection_results.h"

namespace p2pquic {

const char* ToString(ConnectionState state) {
  switch (state) {
    case ConnectionState::kHandshaking:
      return "handshaking";
    case ConnectionState::kEstablished:
      return "established";
    case ConnectionState::kClosing:
      return "closing";
    case ConnectionState::kDraining:
      return "draining";
    case ConnectionState::kClosed:
      return "closed";
  }
  return "unknown";
}

const char* ToString(PathMtuMode mode) {
  switch (mode) {
    case PathMtuMode::kProbed:
      return "probed";
    case PathMtuMode::kBaseFallback:
      return "base fallback";
  }
  return "unknown";
}

const char* ToString(ReadResult result) {
  switch (result) {
    case ReadResult::kAuthenticated:
      return "authenticated";
    case ReadResult::kUnauthenticated:
      return "unauthenticated";
    case ReadResult::kDropped:
      return "dropped";
    case ReadResult::kClosing:
      return "closing";
    case ReadResult::kDraining:
      return "draining";
    case ReadResult::kClosed:
      return "closed";
    case ReadResult::kReset:
      return "stateless reset";
  }
  return "unknown";
}

const char* ToString(NewTokenResult result) {
  switch (result) {
    case NewTokenResult::kOk:
      return "ok";
    case NewTokenResult::kNotServer:
      return "only a server sends NEW_TOKEN";
    case NewTokenResult::kEmpty:
      return "empty token";
    case NewTokenResult::kFailed:
      return "ngtcp2 could not queue the token";
  }
  return "?";
}

const char* ToString(CreateResult result) {
  switch (result) {
    case CreateResult::kOk:
      return "ok";
    case CreateResult::kTlsSetupFailed:
      return "TLS session setup failed";
    case CreateResult::kQuicSetupFailed:
      return "QUIC connection setup failed";
    case CreateResult::kCidRefused:
      return "the endpoint refused the connection's first CID";
  }
  return "unknown";
}

const char* ToString(MigrateResult result) {
  switch (result) {
    case MigrateResult::kOk:
      return "ok";
    case MigrateResult::kNotClient:
      return "only a client can migrate";
    case MigrateResult::kNotConfirmed:
      return "the handshake is not confirmed yet";
    case MigrateResult::kNoSpareCid:
      return "the peer left no unused connection ID for a new path";
    case MigrateResult::kSameAddress:
      return "the connection already uses that local address";
    case MigrateResult::kNotConnected:
      return "the connection is closing or closed";
    case MigrateResult::kPeerDisallows:
      return "the peer does not allow migration (it sent disable_active_migration)";
    case MigrateResult::kError:
      return "migration failed";
    case MigrateResult::kRebindFailed:
      return "the socket could not move to the new address";
    case MigrateResult::kServesInbound:
      return "the endpoint serves inbound connections and cannot move";
    case MigrateResult::kDeferred:
      return "deferred until the handshake is confirmed and the peer issued a spare connection ID";
  }
  return "unknown";
}

const char* ToString(StreamOpenResult result) {
  switch (result) {
    case StreamOpenResult::kOk:
      return "ok";
    case StreamOpenResult::kNotConnected:
      return "the connection is not established";
    case StreamOpenResult::kPeerLimit:
      return "the peer's stream limit is reached";
    case StreamOpenResult::kLocalLimit:
      return "our own outbound stream limit is reached";
    case StreamOpenResult::kError:
      return "stream error";
  }
  return "unknown";
}

const char* ToString(StreamWriteResult result) {
  switch (result) {
    case StreamWriteResult::kOk:
      return "ok";
    case StreamWriteResult::kNotConnected:
      return "the connection is not established";
    case StreamWriteResult::kUnknownStream:
      return "unknown or closed stream";
    case StreamWriteResult::kWriteClosed:
      return "the stream's write side is closed";
  }
  return "unknown";
}

const char* ToString(StreamShutdownResult result) {
  switch (result) {
    case StreamShutdownResult::kOk:
      return "ok";
    case StreamShutdownResult::kUnknownStream:
      return "unknown or closed stream";
    case StreamShutdownResult::kWriteClosed:
      return "the stream's write side is closed";
  }
  return "unknown";
}

const char* ToString(StreamAbortResult result) {
  switch (result) {
    case StreamAbortResult::kOk:
      return "ok";
    case StreamAbortResult::kUnknownStream:
      return "unknown or closed stream";
    case StreamAbortResult::kError:
      return "stream error";
  }
  return "unknown";
}

const char* ToString(StreamConsumeResult result) {
  switch (result) {
    case StreamConsumeResult::kOk:
      return "ok";
    case StreamConsumeResult::kUnknownStream:
      return "unknown or closed stream";
  }
  return "unknown";
}

}  // namespace p2pquic
