// HostWorkload: the scenario's bookkeeping on one life of one simulated
// Libp2pHost. It serves the transfer test protocol on the host, opens
// transfer streams for the timeline, and records every connection's fate
// and every transfer stream's bytes from this host's side. (Ping, identify
// and perf are the host's own services and clients; the runner opens them.)
//
// Contract: single-threaded, on the simulator's thread. Constructed before
// the host starts (it installs the host's connection callbacks and its
// transfer handler); the host must not outlive a Detach-less workload.
// After Detach (the host is about to be destroyed: a restart) the workload
// touches the host no more and its records stay readable.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "scenarios/runner/transfer_payload.h"
#include "scenarios/runner/transfer_sender.h"
#include "transport/host/libp2p_host.h"
#include "transport/runtime/clock.h"

namespace p2pquic::scenarios {

struct ConnectionRecord {
  ConnectionHandle handle;
  bool inbound = false;
  bool established = false;
  Timestamp established_at;  // When established (its handshake completed).
  // Outbound, after a Retry: the Retry's SCID, the DCID of the client's
  // next Initial and so the DCID the server's end was made for. The
  // server's end reports it as its original DCID (QuicConnection::
  // original_dcid gives ngtcp2's client_initial_dcid, which after a Retry
  // is this one, not the client's first DCID), so the listener's end is
  // found by this too (ConnectionEnds).
  ConnectionId retried_dcid;
  bool closed = false;
  // When closed: how (ConnectionEnd), and when (virtual time).
  std::string close_reason;
  CloseCause close_cause = CloseCause::kLocalClose;
  Timestamp closed_at;
  // Ended by Detach: the host went away (a restart) and sent nothing;
  // close_cause means nothing then.
  bool lost_with_host = false;
  // The peer's address when the connection was created.
  SocketAddress peer;
  // The client's first DCID (ConnectionEnd::original_dcid): the same on
  // both ends. Set once the handshake completed or the connection closed;
  // until then the live connection knows it (HostWorkload::OriginalDcid).
  ConnectionId original_dcid;
};

enum class SendStatus : uint8_t {
  kQueued,
  kUnknownConnection,  // Closed, or never dialed in this life.
  kNotEstablished,
  kStreamLimit,  // The peer allows no more streams now.
  kStreamError,  // The stream refused (gone, or ended).
};
const char* ToString(SendStatus status);

class HostWorkload {
 public:
  HostWorkload(Libp2pHost& host, const Clock& clock);
  ~HostWorkload();
  HostWorkload(const HostWorkload&) = delete;
  HostWorkload& operator=(const HostWorkload&) = delete;

  // The host is about to be destroyed (it restarts): every open connection
  // ends with `reason`; nothing more is sent. Records stay readable.
  void Detach(const std::string& reason);
  // A connection of this host (either direction) completed its handshake;
  // the record says so already. It may open streams from here.
  std::function<void(ConnectionHandle)> on_established;

  // Opens a transfer stream tagged `tag` on `connection`; the tag goes out
  // as soon as the protocol is agreed.
  SendStatus OpenTransfer(ConnectionHandle connection, uint64_t tag);
  // Queues `bytes` more payload bytes on the stream tagged `tag`, then FIN.
  SendStatus Send(uint64_t tag, uint64_t bytes, bool fin);
  // Resets the stream tagged `tag` both ways with `code`.
  SendStatus Reset(uint64_t tag, uint64_t code);

  const ConnectionRecord* Connection(ConnectionHandle connection) const;
  // `connection` (outbound) received a Retry whose SCID is `scid`.
  void OnRetry(ConnectionHandle connection, const ConnectionId& scid);
  // The original DCID of this host's end of `connection` (empty if unknown).
  ConnectionId OriginalDcidOf(ConnectionHandle connection) const {
    const ConnectionRecord* record = Connection(connection);
    return record == nullptr ? ConnectionId() : OriginalDcid(*record);
  }
  // This host's end of an inbound connection whose client's first Initial
  // had DCID `original_dcid`: the only such end, or (two clients drew the
  // same DCID) the one created for a peer at `peer`. Null if none or still
  // ambiguous. A state ngtcp2 discarded before the handshake (its first
  // Initial unusable: DiscardedBeforeHandshake) is found only when there is
  // no other: the client's retransmission made the end it talks to.
  const ConnectionRecord* FindInbound(const ConnectionId& original_dcid,
                                      const SocketAddress& peer) const;
  // Transfer streams this host sent on, and those it received, by tag.
  const std::map<uint64_t, StreamRecord>& sent() const { return sent_; }
  const std::map<uint64_t, StreamRecord>& received() const { return received_; }

 private:
  ConnectionRecord* Find(ConnectionHandle handle);
  static bool DiscardedBeforeHandshake(const ConnectionRecord& record);
  // The record's original DCID, else the live connection's.
  ConnectionId OriginalDcid(const ConnectionRecord& record) const;
  void OnCreated(ConnectionHandle handle, bool inbound, const NetworkPath& path);
  void OnReady(ConnectionHandle handle);
  void OnClosed(ConnectionHandle handle, const ConnectionEnd& end);

  Libp2pHost* host_;  // Null once detached.
  const Clock& clock_;
  // Every connection of this life, by its whole handle: a record outlives
  // its connection, whose index a later one reuses.
  std::map<std::pair<uint32_t, uint32_t>, ConnectionRecord> connections_;
  std::map<uint64_t, StreamRecord> sent_;
  std::map<uint64_t, StreamRecord> received_;
  std::map<uint64_t, TransferSender*> senders_;  // Live senders by tag (the host owns them).
};

}  // namespace p2pquic::scenarios
