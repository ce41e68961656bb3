// ClosingPeriod: what a connection that closed itself keeps for its closing
// period (RFC 9000 §10.2.1): the datagram that carried its CONNECTION_CLOSE,
// re-sent in answer to datagrams the peer still sends. A peer whose one
// CONNECTION_CLOSE was lost then learns of the close from the answer to its
// next packet instead of holding the connection until its idle timeout.
//
// Rate limit (RFC 9000 §10.2.1: an endpoint SHOULD limit the rate at which it
// generates packets in the closing state): exponential backoff in datagrams
// received. The 1st, 2nd, 4th, 8th, ... datagram after the CONNECTION_CLOSE
// earns an answer (kAnswerBackoffFactor), as quic-go does; ngtcp2 0.12.1's
// example server keeps the packet the same way but answers every datagram
// ("TODO do exponential backoff"). n datagrams earn at most log2(n) + 1
// answers, and answers earned by one burst of reads leave as one datagram.
//
// An answer goes back to where the datagram that earned it came from (quic-go
// does the same), so a peer whose NAT moved it after our close still hears it.
//
// Contract: single-threaded, owned by its QuicConnection; the phases only
// mean something while the connection is in its closing state.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "transport/quic/network_path.h"

namespace p2pquic {

enum class ClosingPhase : uint8_t {
  // The connection decided to close; its next Write builds and sends the
  // CONNECTION_CLOSE, then calls Save or SaveNothing.
  kCloseToSend,
  // ngtcp2 built no CONNECTION_CLOSE (no keys to protect one yet): nothing
  // to answer with, datagrams go unanswered.
  kSilent,
  // The CONNECTION_CLOSE went out and is kept; no answer is due.
  kSaved,
  // A datagram earned an answer: TakeAnswer hands out the saved datagram.
  kAnswerDue,
};
const char* ToString(ClosingPhase phase);

// What one datagram received in the closing period earned.
enum class ClosingAnswer : uint8_t {
  kAnswer,        // The saved CONNECTION_CLOSE goes out with the next Write.
  kRateLimited,   // Not this one (backoff): the next power of two will be.
  kNothingSaved,  // kCloseToSend (it goes out anyway) or kSilent.
};

class ClosingPeriod {
 public:
  // Answer the 1st, 2nd, 4th, 8th, ... datagram: each answer waits for this
  // many times as many datagrams as the previous one.
  static constexpr uint64_t kAnswerBackoffFactor = 2;

  ClosingPhase phase() const { return phase_; }
  // The CONNECTION_CLOSE datagram, as it was first sent: kCloseToSend -> kSaved.
  void Save(std::span<const uint8_t> datagram);
  // ngtcp2 had nothing to send: kCloseToSend -> kSilent.
  void SaveNothing();
  // A datagram attributed to the connection arrived on `arrival` (our local
  // address, the peer's address) during the closing period.
  ClosingAnswer OnDatagram(const NetworkPath& arrival);
  // If an answer is due: sets `*path` (to send on) and `*datagram` (the saved
  // bytes, valid until the next Save), counts it as sent, and returns true
  // (kAnswerDue -> kSaved). Otherwise returns false.
  bool TakeAnswer(NetworkPath* path, std::span<const uint8_t>* datagram);

  // Datagrams received since the CONNECTION_CLOSE was saved, and answers
  // handed out for them.
  uint64_t datagrams_received() const { return received_; }
  uint64_t answers_sent() const { return answers_; }

 private:
  ClosingPhase phase_ = ClosingPhase::kCloseToSend;
  std::vector<uint8_t> saved_;
  NetworkPath answer_path_;
  uint64_t received_ = 0;
  uint64_t next_answer_at_ = 1;  // The count of received datagrams that earns the next answer.
  uint64_t answers_ = 0;
};

}  // namespace p2pquic
