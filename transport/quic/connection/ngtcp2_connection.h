// Ngtcp2Connection: QuicConnection's engine, internal to this package (a
// private header of the quic_connection library): it owns the ngtcp2_conn
// and the GnuTLS session, turns ngtcp2's callbacks into StreamTable updates
// and observer calls, and carries out every QuicConnection operation.
// QuicConnection's header states the contract (lifecycle, closing and
// draining, path MTU black holes, streams); this class keeps it, so
// quic_connection.h names no ngtcp2 type and QuicConnection only forwards.
//
// Threading and ownership: as QuicConnection's.
#pragma once

#include <ngtcp2/ngtcp2.h>
#include <ngtcp2/ngtcp2_crypto.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "transport/base/connection_id.h"
#include "transport/base/network_path.h"
#include "transport/base/time.h"
#include "transport/quic/connection/close_cause.h"
#include "transport/quic/connection/closing_period.h"
#include "transport/quic/connection/connection_lifecycle.h"
#include "transport/quic/connection/connection_results.h"
#include "transport/quic/connection/path_mtu_fallback.h"
#include "transport/quic/connection/quic_connection.h"
#include "transport/quic/connection/stream_receive_window.h"
#include "transport/quic/connection/stream_table.h"
#include "transport/routing/cid_generator.h"
#include "transport/tls/gnutls_session.h"

namespace p2pquic {

class Ngtcp2Connection {
 public:
  using Context = QuicConnection::Context;

  explicit Ngtcp2Connection(const Context& context);
  ~Ngtcp2Connection();
  Ngtcp2Connection(const Ngtcp2Connection&) = delete;
  Ngtcp2Connection& operator=(const Ngtcp2Connection&) = delete;

  // The client registers its own first CID (sequence 0) through the
  // observer; kCidRefused if it would not take one.
  // `token` (may be empty) goes in the client's Initials.
  CreateResult InitClient(const NetworkPath& path, std::span<const uint8_t> token, Timestamp now);
  CreateResult InitServer(const NetworkPath& path, const ServerHandshakeInfo& info,
                          const ConnectionId& local_cid, Timestamp now);

  // QuicConnection's operations, with its contracts.
  ReadResult Read(std::span<const uint8_t> datagram, const NetworkPath& path, Timestamp now);
  size_t Write(Timestamp now, DatagramSink& sink);
  Timestamp Expiry() const;
  ConnectionState HandleExpiry(Timestamp now);
  MigrateResult Migrate(const SocketAddress& new_local, MigrationMode mode, Timestamp now);
  NetworkPath path() const;
  bool PeerDisallowsMigration() const;
  MigrateResult MigrationBlocker(Timestamp now) const;
  void Close(uint64_t app_error_code, Timestamp now);
  NewTokenResult SubmitNewToken(std::span<const uint8_t> token);

  StreamOpenResult OpenStream(int64_t* stream_id);
  StreamWriteResult WriteStream(int64_t stream_id, std::span<const uint8_t> data, bool fin,
                                size_t* accepted);
  StreamShutdownResult ShutdownStream(int64_t stream_id);
  StreamAbortResult ResetStream(int64_t stream_id, uint64_t app_error_code);
  StreamAbortResult StopSending(int64_t stream_id, uint64_t app_error_code);
  StreamConsumeResult ConsumeStream(int64_t stream_id, size_t bytes);
  size_t StreamSendSpace(int64_t stream_id) const;

  ConnectionState state() const { return life_.state(); }
  bool is_server() const { return is_server_; }
  std::optional<CloseCause> close_cause() const { return life_.close_cause(); }
  const std::string& close_reason() const { return life_.close_reason(); }
  const ClosingPeriod& closing_period() const { return closing_; }
  ConnectionId original_dcid() const;
  bool peer_certificate_rejected() const { return tls_ && tls_->peer_rejected(); }
  std::string negotiated_alpn() const { return tls_ ? tls_->SelectedAlpn() : std::string(); }
  PathMtuMode path_mtu_mode() const { return pmtu_.mode(); }
  uint64_t pmtu_black_holes() const { return pmtu_.black_holes(); }
  const StreamTable& streams() const { return streams_; }

 private:
  CreateResult Init(bool server, const NetworkPath& path, const ServerHandshakeInfo* info,
                    const ConnectionId& local_cid, std::span<const uint8_t> token, Timestamp now);
  void FillSettings(ngtcp2_settings* settings, Timestamp now) const;
  void FillTransportParams(ngtcp2_transport_params* params) const;
  static void FillCallbacks(ngtcp2_callbacks* callbacks, bool server);
  StatelessResetToken TokenFor(const ConnectionId& cid) const;
  // Whether the peer gave us a DCID we have not used yet (needed for a new
  // path, RFC 9000 §9.5).
  bool HasSpareDcid(Timestamp now) const;

  // The largest datagram Write may produce now.
  size_t MaxDatagramSize() const;
  // After a timer: hands PathMtuFallback the path's probed size and PTO
  // count, and reports a black hole it detects.
  void UpdatePathMtu(Timestamp now);
  // Builds, sends and saves the CONNECTION_CLOSE (ClosingPhase::kCloseToSend).
  size_t WriteClose(Timestamp now, DatagramSink& sink);
  // Re-sends the saved CONNECTION_CLOSE if a datagram earned an answer.
  size_t WriteClosingAnswer(DatagramSink& sink);
  void Fail(int liberr, const char* where, Timestamp now);
  // ConnectionLifecycle::EnterClosingPeriod with ngtcp2's current PTO.
  void EnterClosingPeriod(ConnectionState period, CloseCause cause, std::string reason,
                          Timestamp now);
  // "closed by the peer with code N" / "... with transport error 0xN".
  std::string PeerCloseReason() const;
  // After a Read: OnStreamWritable for each stream that pushed back and has
  // room again (acknowledgements freed bytes or the windows grew).
  void NotifyWritableStreams();

  // ngtcp2 callbacks (user_data is the Ngtcp2Connection).
  static ngtcp2_conn* GetConn(ngtcp2_crypto_conn_ref* ref);
  static void OnRand(uint8_t* dest, size_t len, const ngtcp2_rand_ctx* ctx);
  static int OnGetNewConnectionId(ngtcp2_conn*, ngtcp2_cid* cid, uint8_t* token, size_t len,
                                  void* user_data);
  static int OnRemoveConnectionId(ngtcp2_conn*, const ngtcp2_cid* cid, void* user_data);
  static int OnHandshakeCompleted(ngtcp2_conn*, void* user_data);
  static int OnHandshakeConfirmed(ngtcp2_conn*, void* user_data);
  static int OnStreamOpen(ngtcp2_conn*, int64_t stream_id, void* user_data);
  static int OnRecvStreamData(ngtcp2_conn*, uint32_t flags, int64_t stream_id, uint64_t offset,
                              const uint8_t* data, size_t len, void* user_data, void*);
  static int OnAckedStreamData(ngtcp2_conn*, int64_t stream_id, uint64_t offset, uint64_t len,
                               void* user_data, void*);
  static int OnExtendMaxStreamData(ngtcp2_conn*, int64_t stream_id, uint64_t, void* user_data,
                                   void*);
  static int OnStreamReset(ngtcp2_conn*, int64_t stream_id, uint64_t, uint64_t code,
                           void* user_data, void*);
  static int OnStreamClose(ngtcp2_conn*, uint32_t flags, int64_t stream_id, uint64_t code,
                           void* user_data, void*);
  static int OnPathValidation(ngtcp2_conn*, uint32_t flags, const ngtcp2_path* path,
                              ngtcp2_path_validation_result result, void* user_data);
  static int OnDcidStatus(ngtcp2_conn*, int type, uint64_t sequence, const ngtcp2_cid* cid,
                          const uint8_t* token, void* user_data);
  static int OnRecvNewToken(ngtcp2_conn*, const ngtcp2_vec* token, void* user_data);
  static int OnStatelessReset(ngtcp2_conn*, const ngtcp2_pkt_stateless_reset* reset,
                              void* user_data);
  static void OnQlogWrite(void* user_data, uint32_t flags, const void* data, size_t length);
  static int OnTlsSecret(gnutls_session_t session, const char* label, const gnutls_datum_t* secret);

  // ngtcp2's GnuTLS glue finds the connection through this; first member.
  ngtcp2_crypto_conn_ref conn_ref_;
  Context context_;
  CidGenerator cid_generator_;
  // Why get_new_connection_id last failed, for the close reason.
  std::optional<CidDrawResult> cid_failure_;
  ngtcp2_conn* conn_ = nullptr;
  std::unique_ptr<GnutlsSession> tls_;
  bool is_server_ = false;
  // A server's original_dcid(): the client's first DCID, also after a Retry.
  ConnectionId server_original_dcid_;
  bool handshake_confirmed_ = false;
  ConnectionLifecycle life_;        // State, the first end kept, the closing deadline.
  uint64_t next_cid_sequence_ = 1;  // 0 is the CID the connection starts with.
  StreamTable streams_;
  // Each stream's receive window, ours to grow (stream_receive_window.h says
  // why ngtcp2 does not); made at its first ConsumeStream, dropped when it
  // closes.
  std::map<int64_t, StreamReceiveWindow> receive_windows_;
  // The latest time Read, Write or HandleExpiry was given: ConsumeStream's
  // clock (it has none of its own; the application consumes in between).
  Timestamp last_now_{};
  std::vector<int64_t> writable_scratch_;  // NotifyWritableStreams' list, kept for reuse.
  ngtcp2_connection_close_error close_error_;
  ClosingPeriod closing_;  // kClosing only.
  // The largest datagram ngtcp2 accepted: did a full-size reply ever come?
  size_t largest_datagram_read_ = 0;
  PathMtuFallback pmtu_;
};

}  // namespace p2pquic
