// ConnectionLifecycle: where one connection is in its life, and how it
// ended. kHandshaking -> kEstablished -> (kClosing | kDraining) -> kClosed,
// or straight to kClosed when it ends without a closing period (idle or
// handshake timeout, a stateless reset, an unrecoverable packet).
//
// The first end is the one kept: the cause and reason given when the
// connection first starts closing, draining or ends are never overwritten by
// a later one (a CONNECTION_CLOSE from the peer while we close, a timer in
// the draining period). The closing and draining periods last
// kClosingPeriodPtos times the PTO (RFC 9000 §10.2); after that deadline
// OnTimer ends the connection.
//
// It knows nothing of ngtcp2: the connection hands in the PTO when a period
// starts, and decides which transition a library event means.
//
// Contract: single-threaded, owned by one connection; never reads a clock.
#pragma once

#include <optional>
#include <string>

#include "transport/base/time.h"
#include "transport/quic/connection/close_cause.h"
#include "transport/quic/connection/connection_results.h"

namespace p2pquic {

class ConnectionLifecycle {
 public:
  // RFC 9000 §10.2: closing and draining last three times the PTO.
  static constexpr int kClosingPeriodPtos = 3;

  ConnectionState state() const { return state_; }
  // Closing, draining or closed: the connection's end has begun.
  bool Ending() const;

  // The handshake completed (kHandshaking -> kEstablished).
  void OnHandshakeCompleted() { state_ = ConnectionState::kEstablished; }
  // Starts the closing (we close) or draining (the peer did) period:
  // `period` is kClosing or kDraining, and lasts kClosingPeriodPtos x `pto`
  // from `now`. Keeps `cause` and `reason` unless an end was already kept.
  void EnterClosingPeriod(ConnectionState period, CloseCause cause, std::string reason,
                          Timestamp now, Duration pto);
  // Closed for good without a closing period; keeps `cause` and `reason`
  // unless an end was already kept.
  void EndSilently(CloseCause cause, std::string reason);
  // In the closing or draining period, ends the connection once its
  // deadline has come. Returns the state after it.
  ConnectionState OnTimer(Timestamp now);

  // When the closing or draining period ends (meaningful in those states).
  Timestamp closing_deadline() const { return closing_deadline_; }
  // How the connection ended; nullopt while it has not.
  std::optional<CloseCause> close_cause() const { return close_cause_; }
  const std::string& close_reason() const { return close_reason_; }

 private:
  void KeepFirstEnd(CloseCause cause, std::string reason);

  ConnectionState state_ = ConnectionState::kHandshaking;
  Timestamp closing_deadline_ = Timestamp::max();
  std::optional<CloseCause> close_cause_;
  std::string close_reason_;
};

}  // namespace p2pquic
