// TransferApp: the scenario workload on one simulated host. It is the
// host's EndpointDelegate: it records each connection's fate, sends the
// bytes the timeline asks for, and hashes what arrives.
//
// Wire format of a workload stream: an 8-byte big-endian stream tag (the
// scenario's stream index), then the payload. The payload is a pure
// function of (tag, offset), so a receiver knows what it should have got
// and both ends hash the same bytes.
//
// Contract: single-threaded, on the simulator's thread; Attach before the
// endpoint starts. Backpressure is honoured: bytes the stream cannot take
// now are sent from OnStreamWritable.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "transport/clock.h"
#include "transport/quic/endpoint.h"

namespace p2pquic::scenarios {

// FNV-1a, 64 bit, over a byte stream fed in pieces.
class StreamHash {
 public:
  void Update(std::span<const uint8_t> bytes);
  uint64_t value() const { return value_; }

 private:
  uint64_t value_ = 14695981039346656037ULL;
};

// What one stream carried, from one end's point of view.
struct StreamRecord {
  uint64_t tag = 0;
  uint64_t payload_bytes = 0;  // Sent (accepted by the stream) or received.
  uint64_t hash = 0;           // Of the payload bytes.
  bool fin = false;            // FIN sent (all bytes accepted) or received.
  bool reset = false;
};

struct ConnectionRecord {
  bool inbound = false;
  bool established = false;
  bool closed = false;
  // When closed: how (ConnectionEnd), and when (virtual time).
  std::string close_reason;
  CloseCause close_cause = CloseCause::kLocalClose;
  Timestamp closed_at;
  // The peer's address when the connection was created.
  SocketAddress peer;
  // The client's first DCID (ConnectionEnd::original_dcid); known once the
  // handshake completed or the connection closed, else ask the endpoint.
  ConnectionId original_dcid;
};

enum class SendStatus : uint8_t { kQueued, kUnknownConnection, kNotEstablished, kStreamError };
const char* ToString(SendStatus status);

class TransferApp final : public EndpointDelegate {
 public:
  // The payload byte at `offset` of the stream tagged `tag`.
  static uint8_t PayloadByte(uint64_t tag, uint64_t offset);

  // Each connection's peer is checked by its own libp2p certificate
  // verifier (the production one) at `clock`'s wall time.
  explicit TransferApp(const Clock& clock);
  ~TransferApp() override;
  void Attach(Endpoint* endpoint) { endpoint_ = endpoint; }
  // The endpoint is about to be destroyed (its host restarts): every open
  // connection ends with `reason`, and the app sends nothing more. Records
  // stay readable.
  void Detach(const std::string& reason);
  // Called when a connection's handshake completes (after the record says
  // so); it may open streams and send.
  std::function<void(ConnectionHandle)> on_established;

  // Opens a stream on `connection` tagged `tag`; the tag goes out first.
  SendStatus OpenStream(ConnectionHandle connection, uint64_t tag, int64_t* stream_id);
  // Queues `bytes` more payload bytes on the stream, then FIN if asked.
  SendStatus Send(ConnectionHandle connection, int64_t stream_id, uint64_t bytes, bool fin);

  const ConnectionRecord* Connection(ConnectionHandle connection) const;
  // This host's end of an inbound connection whose client's first Initial
  // had DCID `original_dcid`: the only such end, or (two clients drew the
  // same DCID) the one created for a peer at `peer`. Null if none or still
  // ambiguous.
  const ConnectionRecord* FindInbound(const ConnectionId& original_dcid,
                                      const SocketAddress& peer) const;
  // Streams this host sent on, and streams it received, by tag.
  const std::map<uint64_t, StreamRecord>& sent() const { return sent_; }
  const std::map<uint64_t, StreamRecord>& received() const { return received_; }

  // EndpointDelegate.
  ConnectionParts OnConnectionCreated(ConnectionHandle handle, bool inbound,
                                      const NetworkPath& path) override;
  void OnConnectionClosed(ConnectionHandle handle, const ConnectionEnd& end) override;

 private:
  class Observer;
  struct Outgoing {
    uint64_t tag = 0;
    uint8_t header[8];
    size_t header_sent = 0;
    uint64_t queued = 0;  // Payload bytes asked for so far.
    bool fin_wanted = false;
  };
  struct Incoming {
    uint8_t header[8];
    size_t header_received = 0;
    uint64_t tag = 0;
  };
  struct PerConnection;

  PerConnection* Find(ConnectionHandle handle);
  // Pushes as much queued data as the stream takes; flushes the endpoint.
  void Pump(PerConnection& connection, int64_t stream_id);
  void OnData(PerConnection& connection, int64_t stream_id, std::span<const uint8_t> data,
              bool fin);

  const Clock& clock_;
  Endpoint* endpoint_ = nullptr;
  std::map<uint32_t, std::unique_ptr<PerConnection>> connections_;  // By handle index.
  std::map<uint64_t, StreamRecord> sent_;
  std::map<uint64_t, StreamRecord> received_;
};

}  // namespace p2pquic::scenarios
