// StreamTable: the open streams of one connection and what the connection
// decides for each: its send state, its send buffer, whether the peer's flow
// control holds it back, whether its writer waits for room, and which one
// sends next. It also owns the connection's SendBufferBudget (the sum of
// every stream's buffered bytes) and counts the streams we opened. ngtcp2
// keeps the rest of a stream (flow control, retransmission, the receive
// side); QuicConnection translates between the two, so this class knows
// nothing of ngtcp2 and is tested on its own.
//
// Send state (RFC 9000 §3.1), as far as the connection decides on it:
//
//   kSend --Finish, or Write with fin taking every byte--> kFinQueued
//   kSend, kFinQueued --OnSent with the FIN--> kDataSent
//   kSend, kFinQueued, kDataSent --MarkReset--> kResetSent
//   kSend, kFinQueued --OnPeerStopped--> kResetSent
//
// RFC 9000's Ready is kSend here (ngtcp2 opens the stream when it is
// created), and its DataRecvd/ResetRecvd are not tracked: ngtcp2 retransmits
// until the peer acknowledges, then closes the stream, and Remove drops it
// from the table. kFinQueued is RFC 9000's Send with the application done
// writing: the FIN rides with the last buffered bytes. The receive side
// (RFC 9000 §3.2) is not tracked either: ngtcp2 holds it and the connection
// hands data, FIN and reset to its observer as they come; nothing here
// decides on it.
//
// Invariants (CheckInvariants): the budget's total is the sum of every
// stream's buffered bytes; the outbound count is the number of streams of
// StreamOrigin::kLocal and at most max_outbound_streams; a stream in
// kDataSent has no unsent bytes; the flow-blocked and space-waiting sets name
// only streams in the table.
//
// Threading: single-threaded, owned by one QuicConnection.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "transport/quic/connection/connection_results.h"
#include "transport/quic/connection/quic_config.h"
#include "transport/quic/connection/send_buffer_budget.h"
#include "transport/quic/connection/stream_send_buffer.h"

namespace p2pquic {

enum class SendState : uint8_t { kSend, kFinQueued, kDataSent, kResetSent };
const char* ToString(SendState state);

// Who opened a stream: ours count against max_outbound_streams.
enum class StreamOrigin : uint8_t { kLocal, kPeer };

class StreamTable {
 public:
  // Most pieces of one stream offered to one packet.
  static constexpr size_t kMaxPieces = 16;

  // What one stream has to send now (Unsent).
  struct Pending {
    std::array<std::span<const uint8_t>, kMaxPieces> pieces;
    size_t count = 0;
    size_t bytes = 0;          // The pieces' total.
    bool fin_follows = false;  // kFinQueued and every unsent byte offered: FIN with them.
  };

  // `config` must outlive the table.
  explicit StreamTable(const QuicConfig& config);

  // A new stream in kSend. Adding an id already present changes nothing.
  void Add(int64_t id, StreamOrigin origin);
  // The stream closed (ngtcp2's stream_close): its buffered bytes leave the
  // budget (nothing is left to resend). False if it was not in the table.
  bool Remove(int64_t id);
  bool Contains(int64_t id) const { return streams_.count(id) != 0; }
  // nullopt for a stream not in the table.
  std::optional<SendState> send_state(int64_t id) const;
  // Whether another stream of ours may open under max_outbound_streams.
  bool CanOpenOutbound() const { return outbound_ < config_.max_outbound_streams; }

  // How many bytes the stream may take now: its room under its own limit
  // (which follows `congestion_window` and the peer's remaining credit for
  // it, `credit_left`) and under the connection's (SendBufferBudget).
  // 0 for a stream not in the table.
  size_t Space(int64_t id, uint64_t congestion_window, uint64_t credit_left) const;
  // Buffers the first `space` bytes of `data` at most (`*accepted` says
  // how many). A short write puts the stream on the waiting list
  // (WaitingForSpace); with `fin` and every byte taken, kSend -> kFinQueued.
  StreamWriteResult Write(int64_t id, std::span<const uint8_t> data, bool fin, size_t space,
                          size_t* accepted);
  // The FIN goes after the buffered bytes: kSend -> kFinQueued.
  StreamShutdownResult Finish(int64_t id);
  // We reset the write side (RESET_STREAM went to ngtcp2): -> kResetSent.
  void MarkReset(int64_t id);

  // Round-robin after the last stream that sent: the next stream in kSend
  // or kFinQueued, not flow-blocked, with unsent bytes or a FIN to send;
  // -1 if none.
  int64_t NextToSend() const;
  // What `id` has to send (see Pending); empty for a stream not in the table.
  Pending Unsent(int64_t id) const;
  // ngtcp2 took `bytes` of what Unsent offered, and the FIN if `fin_sent`
  // (-> kDataSent); the stream becomes the round-robin position.
  void OnSent(int64_t id, size_t bytes, bool fin_sent);
  // The peer acknowledged everything below `offset`: the bytes leave the
  // buffer and the budget.
  void OnAcked(int64_t id, uint64_t offset);
  // The peer's flow control stopped the stream (ngtcp2:
  // STREAM_DATA_BLOCKED); NextToSend skips it until OnCreditExtended.
  void OnFlowBlocked(int64_t id);
  void OnCreditExtended(int64_t id);
  // The peer's STOP_SENDING shut our direction (ngtcp2 answered it with
  // RESET_STREAM): -> kResetSent.
  void OnPeerStopped(int64_t id);

  // The streams whose last write was short, in id order: each waits for
  // OnStreamWritable. A snapshot: the caller notifies observers that may
  // change the table while it walks the list.
  void WaitingForSpace(std::vector<int64_t>* out) const;
  bool IsWaitingForSpace(int64_t id) const { return waiting_for_space_.count(id) != 0; }
  void StopWaitingForSpace(int64_t id) { waiting_for_space_.erase(id); }

  size_t size() const { return streams_.size(); }
  size_t outbound() const { return outbound_; }
  // Every stream's buffered bytes together.
  size_t buffered() const { return budget_.total(); }

  // Empty if the invariants above hold, else the first that does not.
  std::string CheckInvariants() const;

 private:
  struct Stream {
    StreamOrigin origin;
    SendState send_state = SendState::kSend;
    StreamSendBuffer send;
  };

  Stream* Find(int64_t id);
  const Stream* Find(int64_t id) const;

  const QuicConfig& config_;
  std::map<int64_t, Stream> streams_;
  SendBufferBudget budget_;
  // Held back by the peer's flow control (NextToSend skips them).
  std::set<int64_t> flow_blocked_;
  // Their last write was short: they wait for room (WaitingForSpace).
  std::set<int64_t> waiting_for_space_;
  size_t outbound_ = 0;     // Streams of StreamOrigin::kLocal in the table.
  int64_t last_sent_ = -1;  // Round-robin position.
};

}  // namespace p2pquic
