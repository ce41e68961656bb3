// QuicConnection's ending: closing (we close: the CONNECTION_CLOSE is sent,
// kept and re-sent to answer the peer, ClosingPeriod), draining (the peer
// closed or reset), silent ends, and the cause and reason each keeps. Split
// from quic_connection.cc to keep each file to one concern.
#include <ngtcp2/ngtcp2.h>

#include <cinttypes>
#include <cstdio>
#include <string>
#include <utility>

#include "transport/quic/connection/quic_connection.h"

namespace p2pquic {
namespace {

// RFC 9000 §10.2: closing and draining last three times the PTO.
constexpr int kClosingPeriodPtos = 3;

}  // namespace

void QuicConnection::EnterClosingPeriod(ConnectionState state, CloseCause cause, std::string reason,
                                        Timestamp now) {
  state_ = state;
  if (!close_cause_) {
    close_cause_ = cause;
    close_reason_ = std::move(reason);
  }
  closing_deadline_ =
      now + kClosingPeriodPtos * Duration(static_cast<Duration::rep>(ngtcp2_conn_get_pto(conn_)));
}

void QuicConnection::EndSilently(CloseCause cause, std::string reason) {
  state_ = ConnectionState::kClosed;
  if (!close_cause_) {
    close_cause_ = cause;
    close_reason_ = std::move(reason);
  }
}

std::string QuicConnection::PeerCloseReason() const {
  ngtcp2_connection_close_error error;
  ngtcp2_conn_get_connection_close_error(conn_, &error);
  if (error.type == NGTCP2_CONNECTION_CLOSE_ERROR_CODE_TYPE_APPLICATION) {
    return "closed by the peer with code " + std::to_string(error.error_code);
  }
  char code[32];
  std::snprintf(code, sizeof(code), "0x%" PRIx64, error.error_code);
  return std::string("closed by the peer with transport error ") + code;
}

void QuicConnection::Fail(int liberr, const char* where, Timestamp now) {
  // Already ending: the first cause stands, and its CONNECTION_CLOSE (if
  // any) is the one that went out.
  if (state_ == ConnectionState::kClosing || state_ == ConnectionState::kDraining ||
      state_ == ConnectionState::kClosed) {
    return;
  }
  if (liberr == NGTCP2_ERR_CRYPTO) {
    ngtcp2_connection_close_error_set_transport_error_tls_alert(
        &close_error_, ngtcp2_conn_get_tls_alert(conn_), nullptr, 0);
  } else {
    ngtcp2_connection_close_error_set_transport_error_liberr(&close_error_, liberr, nullptr, 0);
  }
  std::string reason = std::string(where) + ": " + ngtcp2_strerror(liberr);
  if (peer_certificate_rejected()) reason += " (peer certificate rejected)";
  if (cid_failure_) reason += std::string(" (issuing a CID: ") + ToString(*cid_failure_) + ")";
  EnterClosingPeriod(ConnectionState::kClosing, CloseCause::kLocalError, std::move(reason), now);
}

void QuicConnection::Close(uint64_t app_error_code, Timestamp now) {
  if (state_ == ConnectionState::kClosing || state_ == ConnectionState::kDraining ||
      state_ == ConnectionState::kClosed) {
    return;
  }
  ngtcp2_connection_close_error_set_application_error(&close_error_, app_error_code, nullptr, 0);
  EnterClosingPeriod(ConnectionState::kClosing, CloseCause::kLocalClose,
                     "closed locally with code " + std::to_string(app_error_code), now);
}

size_t QuicConnection::WriteClosingAnswer(DatagramSink& sink) {
  NetworkPath path;
  std::span<const uint8_t> datagram;
  if (!closing_.TakeAnswer(&path, &datagram)) return 0;
  sink.Send(path, datagram);
  return 1;
}

int QuicConnection::OnStatelessReset(ngtcp2_conn*, const ngtcp2_pkt_stateless_reset*,
                                     void* user_data) {
  // ngtcp2 verified the token (RFC 9000 §10.3.1) and says
  // NGTCP2_ERR_DRAINING next. The peer has no state for this connection and
  // will answer nothing more, so there is nothing to drain and no reason to
  // hold its CIDs: the connection ends at once and Read reports kReset.
  auto* self = static_cast<QuicConnection*>(user_data);
  self->EndSilently(CloseCause::kStatelessReset, "stateless reset");
  return 0;
}

}  // namespace p2pquic
