// QuicConnection: one QUIC connection (ngtcp2_conn + GnuTLS session), sans
// I/O. The owner hands it datagrams and the time, asks it for datagrams to
// send and for its next deadline; everything it learns it reports through a
// ConnectionObserver. It never reads a clock, touches a socket or draws
// randomness except from the Random it is given.
//
// Lifecycle: kHandshaking -> kEstablished -> (kClosing | kDraining) -> kClosed.
// Once closed, only destruction is left; the owner removes its CIDs. The
// first way the connection ends (close_cause(), close_reason()) is the one it
// keeps: nothing that happens in the closing or draining period overwrites it.
// In the closing period (we closed) datagrams are not processed but answered
// with the saved CONNECTION_CLOSE, rate-limited (ClosingPeriod); in the
// draining period (the peer closed or reset) nothing is sent at all.
//
// Path MTU black holes (RFC 8899 §4.3, RFC 9000 §14.3): ngtcp2 0.12.1's
// PMTUD only ever raises a path's datagram size. When the path later drops
// datagrams of that size, every packet and every PTO probe is lost and the
// connection stalls until its idle timeout. So when kBlackHolePtos PTOs in
// a row expire while datagrams go out above QUIC's 1200-byte base size, the
// connection caps the datagrams it writes at the base size (ngtcp2 never
// writes past the buffer it is given), reports it (CidObserver::
// OnPathMtuBlackHole) and counts it (pmtu_black_holes()). The cap stays for
// QuicConfig::pmtu_raise_interval, then lifts: ngtcp2 0.12.1 cannot restart
// PMTUD on the same path, so its own full-size packets are the probe, and a
// black hole still there is detected again. A long outage looks the same
// (every packet lost) and also falls back; the cost is smaller datagrams
// until the raise.
//
// Threading: single-threaded. Ownership: the observer, verifier and Random
// must outlive the connection.
#pragma once

#include <ngtcp2/ngtcp2.h>
#include <ngtcp2/ngtcp2_crypto.h>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "transport/base/connection_id.h"
#include "transport/runtime/datagram_socket.h"
#include "transport/routing/cid_generator.h"
#include "transport/quic/connection/close_cause.h"
#include "transport/quic/connection/closing_period.h"
#include "transport/quic/connection/connection_observer.h"
#include "transport/quic/connection/connection_trace.h"
#include "transport/base/network_path.h"
#include "transport/quic/connection/quic_config.h"
#include "transport/quic/connection/send_buffer_budget.h"
#include "transport/quic/connection/stream_send_buffer.h"
#include "transport/runtime/random.h"
#include "transport/base/time.h"
#include "transport/tls/gnutls_credentials.h"
#include "transport/tls/gnutls_session.h"
#include "transport/tls/peer_certificate_verifier.h"

namespace p2pquic {

// Where a connection's outgoing datagrams go. Send takes the datagram
// whatever it returns; kWouldBlock says the socket is full (the sink keeps
// the datagram for later): Write stops producing more until it is called
// again.
class DatagramSink {
 public:
  virtual ~DatagramSink() = default;
  virtual SendResult Send(const NetworkPath& path, std::span<const uint8_t> datagram) = 0;
};

// The secret stateless reset tokens are derived from (RFC 9000 §10.3.2):
// one per endpoint, so a token can be recomputed for any CID after a crash.
using ResetSecret = std::array<uint8_t, 32>;

enum class ConnectionState : uint8_t { kHandshaking, kEstablished, kClosing, kDraining, kClosed };
const char* ToString(ConnectionState state);

enum class CreateResult : uint8_t { kOk, kTlsSetupFailed, kQuicSetupFailed, kCidRefused };
const char* ToString(CreateResult result);

enum class ReadResult : uint8_t {
  // A short-header (1-RTT) packet in it decrypted: the peer sent it, from
  // whatever address it came (only this may confirm an address-fallback
  // route: the registry's contract). Initial keys are public, so nothing less proves it.
  kAuthenticated,
  // Taken without error, but it proves nothing about its sender: a handshake
  // (long header) datagram, or a short-header one that ngtcp2 buffered until
  // its keys arrive, discarded as undecryptable, or ignored (unknown path).
  kUnauthenticated,
  kDropped,   // Not for this connection, or we drain: ignored, counted.
  kClosing,   // We closed: not processed; may earn the saved CONNECTION_CLOSE.
  kDraining,  // The peer closed the connection (CONNECTION_CLOSE); it drains now.
  kClosed,    // A fatal error: the connection closed (see close_reason()).
  // A stateless reset from the peer (RFC 9000 §10.3.1): the peer lost the
  // connection, so it is closed at once, with no draining period (nothing
  // is left to drain) and close_reason() "stateless reset".
  kReset,
};
const char* ToString(ReadResult result);

enum class MigrateResult : uint8_t {
  kOk,            // Path validation started; the new path is used once it succeeds.
  kNotClient,     // Only a client migrates (RFC 9000 §9).
  kNotConfirmed,  // The handshake is not confirmed yet (RFC 9000 §9).
  kNoSpareCid,    // The peer left us no unused CID for the new path.
  kSameAddress,   // Already there.
  kNotConnected,  // Closing, draining or closed.
  // The peer sent disable_active_migration (RFC 9000 §18.2): we must not
  // move. js-libp2p's and rust-libp2p's QUIC servers do.
  kPeerDisallows,
  kError,
  // Endpoint::Migrate only.
  kRebindFailed,   // The socket could not move to the new address.
  kServesInbound,  // The endpoint has inbound connections: a server does not move.
  // Endpoint::Migrate only: a connection is not confirmed yet or has no
  // spare CID of the peer's: nothing moved; the endpoint moves once the
  // peer's packets (HANDSHAKE_DONE, NEW_CONNECTION_ID) remove the blocker.
  kDeferred,
};
const char* ToString(MigrateResult result);

// kProbeFirst keeps using the old path until the new one is validated (the
// old address still works); kImmediate switches at once and validates the
// new path while using it (the old address is gone).
enum class MigrationMode : uint8_t { kProbeFirst, kImmediate };

enum class StreamResult : uint8_t {
  kOk,
  kUnknownStream,  // Never opened, or already closed.
  kBlocked,        // The peer's stream limit: try after more credit.
  kLocalLimit,     // Our own max_outbound_streams: close one first.
  kShutWrite,      // The write side is already finished or reset.
  kNotConnected,   // Handshake not completed, or the connection closed.
  kError,
};
const char* ToString(StreamResult result);

// What the server endpoint learned from a client's first Initial.
struct ServerHandshakeInfo {
  ConnectionId client_dcid;  // The client-chosen DCID (original_dcid).
  ConnectionId client_scid;  // Our DCID from now on.
  uint32_t version = NGTCP2_PROTO_VER_V1;
};

// Whether the connection writes datagrams at the size PMTUD reached, or at
// the base size after a black hole.
enum class PathMtuMode : uint8_t { kProbed, kBaseFallback };
const char* ToString(PathMtuMode mode);

class QuicConnection {
 public:
  // QUIC's smallest datagram size, which every path must carry (RFC 9000
  // §14): the base size a black hole falls back to.
  static constexpr size_t kBaseDatagramSize = NGTCP2_MAX_UDP_PAYLOAD_SIZE;
  // PTOs in a row, above the base size, that mean a black hole: RFC 8899's
  // MAX_PROBES (3). Fewer would mistake a tail loss and its lost probe for one.
  static constexpr size_t kBlackHolePtos = 3;

  struct Context {
    const QuicConfig* config;
    const GnutlsCredentials* credentials;  // Shared by the endpoint's sessions.
    PeerCertificateVerifier* verifier;
    CidObserver* cids;
    ConnectionObserver* observer;
    Random* random;
    const ResetSecret* reset_secret;
    ConnectionTrace* trace = nullptr;  // Optional: qlog and TLS secrets.
  };

  // A client connection towards `path.remote`. Its first CID (sequence 0)
  // is registered through the observer before anything is sent.
  static CreateResult CreateClient(const Context& context, const NetworkPath& path, Timestamp now,
                                   std::unique_ptr<QuicConnection>* out);
  // A server connection for a client's first Initial; `local_cid` is the
  // (already registered) sequence-0 CID the endpoint chose.
  static CreateResult CreateServer(const Context& context, const NetworkPath& path,
                                   const ServerHandshakeInfo& info, const ConnectionId& local_cid,
                                   Timestamp now, std::unique_ptr<QuicConnection>* out);
  ~QuicConnection();
  QuicConnection(const QuicConnection&) = delete;
  QuicConnection& operator=(const QuicConnection&) = delete;

  ReadResult Read(std::span<const uint8_t> datagram, const NetworkPath& path, Timestamp now);
  // Sends what is pending (handshake, ACKs, stream data, close; in the
  // closing period, a due answer) through `sink`, until nothing is left, the
  // pass limit, or the sink says kWouldBlock; returns the number of
  // datagrams written.
  size_t Write(Timestamp now, DatagramSink& sink);
  // When HandleExpiry must run next (loss recovery, ACK delay, idle, ...).
  Timestamp Expiry() const;
  // Runs due timers; afterwards call Write. Returns the state after it.
  ConnectionState HandleExpiry(Timestamp now);
  // Client active migration (RFC 9000 §9) to the path from `new_local` to
  // the same peer, with a fresh DCID of the peer's, validated by
  // PATH_CHALLENGE/PATH_RESPONSE (CidObserver::OnPathValidation reports
  // the outcome). The caller must already receive on `new_local`.
  MigrateResult Migrate(const SocketAddress& new_local, MigrationMode mode, Timestamp now);
  // The path the connection currently sends on.
  NetworkPath path() const;
  // Whether the peer's transport parameters forbid active migration
  // (disable_active_migration); false until they have arrived.
  bool PeerDisallowsMigration() const;
  // kOk if Migrate could start now, else why not (everything Migrate checks,
  // the peer's spare CIDs included: kNoSpareCid until a NEW_CONNECTION_ID
  // gives us one): lets an owner decide before it moves its socket.
  MigrateResult MigrationBlocker(Timestamp now) const;
  // Closes with an application error code; the CONNECTION_CLOSE is sent by
  // the next Write. Does nothing once the connection is closing, draining or
  // closed (the first end is the one it keeps).
  void Close(uint64_t app_error_code, Timestamp now);

  // Streams (bidirectional; libp2p needs no other kind).
  StreamResult OpenStream(int64_t* stream_id);
  // Buffers up to the stream's free send space (StreamSendSpace);
  // `*accepted` says how much. A short write asks for OnStreamWritable,
  // which comes once acknowledgements (or grown windows) make room. With
  // `fin`, the write side ends once all accepted bytes are sent (fin only
  // takes effect if every byte was accepted).
  StreamResult WriteStream(int64_t stream_id, std::span<const uint8_t> data, bool fin,
                           size_t* accepted);
  StreamResult ShutdownStream(int64_t stream_id);  // FIN after what is buffered.
  StreamResult ResetStream(int64_t stream_id, uint64_t app_error_code);
  StreamResult StopSending(int64_t stream_id, uint64_t app_error_code);
  // The application processed `bytes` of received data: grant the peer as
  // much new flow-control credit (the receive side's backpressure).
  StreamResult ConsumeStream(int64_t stream_id, size_t bytes);
  // How many bytes WriteStream would take now: room under the stream's
  // send-buffer limit and the connection's (SendBufferBudget).
  size_t StreamSendSpace(int64_t stream_id) const;

  ConnectionState state() const { return state_; }
  bool is_server() const { return is_server_; }
  // How the connection ended; nullopt while it has not (kHandshaking,
  // kEstablished). Set when it starts closing or draining, never changed.
  std::optional<CloseCause> close_cause() const { return close_cause_; }
  // Why the connection closed. A client's handshake timeout without a
  // single datagram of 1200 bytes or more from the peer says so
  // ("handshake timeout: no datagram of 1200 bytes or more arrived from the
  // peer ..."): an unreachable peer, or a path whose MTU is below QUIC's
  // 1200 bytes.
  const std::string& close_reason() const { return close_reason_; }
  // The closing period's saved CONNECTION_CLOSE and its answers (meaningful
  // in kClosing and after).
  const ClosingPeriod& closing_period() const { return closing_; }
  // The DCID of the client's first Initial (RFC 9000 §7.2), on either side:
  // the one name both ends share for the connection (qlog's ODCID).
  ConnectionId original_dcid() const;
  bool peer_certificate_rejected() const { return tls_ && tls_->peer_rejected(); }
  std::string negotiated_alpn() const { return tls_ ? tls_->SelectedAlpn() : std::string(); }
  PathMtuMode path_mtu_mode() const { return path_mtu_mode_; }
  // Path MTU black holes detected so far.
  uint64_t pmtu_black_holes() const { return pmtu_black_holes_; }
  size_t open_streams() const { return streams_.size(); }
  size_t open_outbound_streams() const { return outbound_streams_; }

 private:
  struct Stream {
    StreamSendBuffer send;
    bool fin_requested = false;  // FIN after the buffered bytes.
    bool fin_sent = false;
    bool write_closed = false;    // FIN sent or stream reset.
    bool blocked = false;         // Flow control: wait for extend_max_stream_data.
    bool wants_writable = false;  // WriteStream was short: tell the observer on space.
  };

  explicit QuicConnection(const Context& context);
  CreateResult Init(bool server, const NetworkPath& path, const ServerHandshakeInfo* info,
                    const ConnectionId& local_cid, Timestamp now);
  void FillSettings(ngtcp2_settings* settings, Timestamp now) const;
  void FillTransportParams(ngtcp2_transport_params* params) const;
  static void FillCallbacks(ngtcp2_callbacks* callbacks, bool server);
  StatelessResetToken TokenFor(const ConnectionId& cid) const;
  // Whether the peer gave us a DCID we have not used yet (needed for a new
  // path, RFC 9000 §9.5).
  bool HasSpareDcid(Timestamp now) const;

  // Write helpers.
  int64_t NextStreamToSend();
  // The largest datagram Write may produce now.
  size_t MaxDatagramSize() const;
  // After a timer: a black hole starts the fallback; a due raise ends it.
  void UpdatePathMtu(Timestamp now);
  // Builds, sends and saves the CONNECTION_CLOSE (ClosingPhase::kCloseToSend).
  size_t WriteClose(Timestamp now, DatagramSink& sink);
  // Re-sends the saved CONNECTION_CLOSE if a datagram earned an answer.
  size_t WriteClosingAnswer(DatagramSink& sink);
  void Fail(int liberr, const char* where, Timestamp now);
  // Starts the closing (we close) or draining (the peer did) period, 3 PTOs
  // long, keeping the first cause and reason.
  void EnterClosingPeriod(ConnectionState state, CloseCause cause, std::string reason,
                          Timestamp now);
  // Closed for good without a closing period (timeouts, dropped).
  void EndSilently(CloseCause cause, std::string reason);
  // "closed by the peer with code N" / "... with transport error 0xN".
  std::string PeerCloseReason() const;
  Stream* FindStream(int64_t stream_id);
  // What bounds the stream's bytes in flight now (for its send-buffer limit).
  SendBufferBudget::Windows WindowsOf(int64_t stream_id, const Stream& stream) const;
  size_t SendSpace(int64_t stream_id, const Stream& stream) const;
  // After a Read: OnStreamWritable for each stream that pushed back and has
  // room again (acknowledgements freed bytes or the windows grew).
  void NotifyWritableStreams();

  // ngtcp2 callbacks (user_data is the QuicConnection).
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
  bool handshake_confirmed_ = false;
  ConnectionState state_ = ConnectionState::kHandshaking;
  uint64_t next_cid_sequence_ = 1;  // 0 is the CID the connection starts with.
  std::map<int64_t, Stream> streams_;
  SendBufferBudget send_budget_;
  std::vector<int64_t> writable_scratch_;  // NotifyWritableStreams' list, kept for reuse.
  size_t outbound_streams_ = 0;            // Open streams we initiated.
  int64_t last_sent_stream_ = -1;          // Round-robin position.
  ngtcp2_connection_close_error close_error_;
  ClosingPeriod closing_;  // kClosing only.
  Timestamp closing_deadline_ = Timestamp::max();
  std::optional<CloseCause> close_cause_;
  std::string close_reason_;
  // The largest datagram ngtcp2 accepted: did a full-size reply ever come?
  size_t largest_datagram_read_ = 0;
  PathMtuMode path_mtu_mode_ = PathMtuMode::kProbed;
  Timestamp pmtu_raise_at_ = Timestamp::max();  // While kBaseFallback.
  uint64_t pmtu_black_holes_ = 0;
};

}  // namespace p2pquic
