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
// OnPathMtuBlackHole) and counts it (pmtu_black_holes()); PathMtuFallback
// keeps this rule. The cap stays for
// QuicConfig::pmtu_raise_interval, then lifts: ngtcp2 0.12.1 cannot restart
// PMTUD on the same path, so its own full-size packets are the probe, and a
// black hole still there is detected again. A long outage looks the same
// (every packet lost) and also falls back; the cost is smaller datagrams
// until the raise.
//
// Threading: single-threaded. Ownership: the observer, verifier and Random
// must outlive the connection.
#pragma once

#include <array>
#include <cstdint>
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
#include "transport/quic/connection/connection_observer.h"
#include "transport/quic/connection/connection_results.h"
#include "transport/quic/connection/connection_trace.h"
#include "transport/quic/connection/path_mtu_fallback.h"
#include "transport/quic/connection/quic_config.h"
#include "transport/routing/cid_minter.h"
#include "transport/runtime/datagram_socket.h"
#include "transport/runtime/random.h"
#include "transport/tls/gnutls_credentials.h"
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

// QUIC version 1 (RFC 9000 §15), the version a client speaks.
inline constexpr uint32_t kQuicVersion1 = 0x00000001;

// What the server endpoint learned from a client's first Initial.
struct ServerHandshakeInfo {
  ConnectionId client_dcid;  // The DCID of this Initial.
  ConnectionId client_scid;  // Our DCID from now on.
  uint32_t version = kQuicVersion1;
  // Set when this Initial followed our Retry (its Retry token checked
  // out): the DCID of the Initial we retried, which the token carried. The
  // transport parameters then state it as original_destination_connection_id
  // and client_dcid (the Retry's SCID) as retry_source_connection_id (RFC
  // 9000 §7.3); absent, client_dcid is the original DCID.
  std::optional<ConnectionId> retried_dcid;
  // The token that validated the client's address (a Retry or NEW_TOKEN
  // token the endpoint checked), or empty. ngtcp2 then lifts the
  // anti-amplification limit at once (RFC 9000 §8.1).
  std::vector<uint8_t> validated_token;
};

class Ngtcp2Connection;

class QuicConnection {
 public:
  // QUIC's smallest datagram size (RFC 9000 §14) and the PTOs in a row that
  // mean a black hole: PathMtuFallback's, which keeps that rule.
  static constexpr size_t kBaseDatagramSize = PathMtuFallback::kBaseDatagramSize;
  static constexpr size_t kBlackHolePtos = PathMtuFallback::kBlackHolePtos;

  struct Context {
    const QuicConfig* config;
    const GnutlsCredentials* credentials;  // Shared by the endpoint's sessions.
    PeerCertificateVerifier* verifier;
    CidObserver* cids;
    ConnectionObserver* observer;
    Random* random;
    const ResetSecret* reset_secret;
    ConnectionTrace* trace = nullptr;  // Optional: qlog and TLS secrets.
    // What the CIDs this connection issues look like; null: random bytes of
    // config->local_cid_length (whose length it must have otherwise).
    const CidMinter* cid_minter = nullptr;
  };

  // A client connection towards `path.remote`. Its first CID (sequence 0)
  // is registered through the observer before anything is sent; with
  // QuicConfig::local_cid_length 0 it is empty and nothing is registered
  // (RFC 9000 §5.1: the caller routes the peer's packets by 4-tuple).
  // `token` (optional) goes in the client's Initials: a NEW_TOKEN token
  // the server gave an earlier connection (RFC 9000 §8.1.3).
  static CreateResult CreateClient(const Context& context, const NetworkPath& path, Timestamp now,
                                   std::unique_ptr<QuicConnection>* out,
                                   std::span<const uint8_t> token = {});
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
  // Server: queues a NEW_TOKEN frame carrying `token` (RFC 9000 §8.1.3),
  // sent by the next Write; the client keeps it for its next connection.
  NewTokenResult SubmitNewToken(std::span<const uint8_t> token);

  // Streams (bidirectional; libp2p needs no other kind).
  StreamOpenResult OpenStream(int64_t* stream_id);
  // Buffers up to the stream's free send space (StreamSendSpace);
  // `*accepted` says how much. A short write asks for OnStreamWritable,
  // which comes once acknowledgements (or grown windows) make room. With
  // `fin`, the write side ends once all accepted bytes are sent (fin only
  // takes effect if every byte was accepted).
  StreamWriteResult WriteStream(int64_t stream_id, std::span<const uint8_t> data, bool fin,
                                size_t* accepted);
  StreamShutdownResult ShutdownStream(int64_t stream_id);  // FIN after what is buffered.
  // RESET_STREAM: our direction ends without the rest of its bytes.
  StreamAbortResult ResetStream(int64_t stream_id, uint64_t app_error_code);
  // STOP_SENDING: we read no more of the peer's direction.
  StreamAbortResult StopSending(int64_t stream_id, uint64_t app_error_code);
  // The application processed `bytes` of received data: grant the peer as
  // much new flow-control credit (the receive side's backpressure).
  StreamConsumeResult ConsumeStream(int64_t stream_id, size_t bytes);
  // How many bytes WriteStream would take now: room under the stream's
  // send-buffer limit and the connection's (SendBufferBudget).
  size_t StreamSendSpace(int64_t stream_id) const;

  ConnectionState state() const;
  bool is_server() const;
  // How the connection ended; nullopt while it has not (kHandshaking,
  // kEstablished). Set when it starts closing or draining, never changed.
  std::optional<CloseCause> close_cause() const;
  // Why the connection closed. A client's handshake timeout without a
  // single datagram of 1200 bytes or more from the peer says so
  // ("handshake timeout: no datagram of 1200 bytes or more arrived from the
  // peer ..."): an unreachable peer, or a path whose MTU is below QUIC's
  // 1200 bytes.
  const std::string& close_reason() const;
  // The closing period's saved CONNECTION_CLOSE and its answers (meaningful
  // in kClosing and after).
  const ClosingPeriod& closing_period() const;
  // The DCID of the client's first Initial (RFC 9000 §7.2), on either side:
  // the one name both ends share for the connection (qlog's ODCID).
  ConnectionId original_dcid() const;
  bool peer_certificate_rejected() const;
  std::string negotiated_alpn() const;
  PathMtuMode path_mtu_mode() const;
  // Path MTU black holes detected so far.
  uint64_t pmtu_black_holes() const;
  size_t open_streams() const;
  size_t open_outbound_streams() const;

 private:
  explicit QuicConnection(std::unique_ptr<Ngtcp2Connection> impl);

  // Everything ngtcp2 and GnuTLS: the connection's engine, in an internal
  // header (ngtcp2_connection.h), so no user of this header sees either
  // library's types. This class only forwards to it.
  std::unique_ptr<Ngtcp2Connection> impl_;
};

}  // namespace p2pquic
