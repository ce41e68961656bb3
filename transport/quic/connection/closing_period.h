// ClosingPeriod: what a connection that closed itself keeps for its closing
// period (RFC 9000 §10.2.1): the datagram that carried its CONNECTION_CLOSE,
// re-sent in answer to datagrams the peer still sends. A peer whose one
// CONNECTION_CLOSE was lost then learns of the close from the answer to its
// next packet instead of holding the connection until its idle timeout.
//
// Rate limit (RFC 9000 §10.2.1: an endpoint SHOULD limit the rate at which it
// generates packets in the closing state, waiting "for a sufficient number of
// packets to be received or enough time to pass"): exponential backoff in
// time. The first datagram is answered at once; after each answer the next
// one waits twice as long as the last wait (kFirstAnswerGap, then 2x, 4x,
// ...), and answers earned by one burst of reads leave as one datagram. So t
// of closing period holds at most log2(t / kFirstAnswerGap) + 2 answers,
// however much the peer (or someone replaying its packets) sends.
//
// Why time and not a count of datagrams (quic-go answers the 1st, 2nd, 4th,
// 8th, ...; ngtcp2 0.12.1's example server answers every one, "TODO do
// exponential backoff"): right after a close the peer's packets already in
// flight arrive as a burst, which spends the count's cheap answers within a
// millisecond; if those are lost with the close, the peer's later, sparse
// packets (PTO probes, keep-alive PINGs) arrive as the 9th or 10th and go
// unanswered for the rest of the period, and the peer waits for its idle
// timeout after all (library scenario close-lost-mid-transfer). By time, a
// probe that comes after a quiet spell is answered.
//
// An answer goes back to where the datagram that earned it came from (quic-go
// does the same), so a peer whose NAT moved it after our close still hears it.
//
// Contract: single-threaded, owned by its QuicConnection; the phases only
// mean something while the connection is in its closing state.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <vector>

#include "transport/base/network_path.h"
#include "transport/base/time.h"

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
  kRateLimited,   // Too soon after the last answer (backoff).
  kNothingSaved,  // kCloseToSend (it goes out anyway) or kSilent.
};

class ClosingPeriod {
 public:
  // The wait after the first answer: RFC 9002's timer granularity, below
  // which a wait means nothing to a peer's timers either.
  static constexpr Duration kFirstAnswerGap = std::chrono::milliseconds(1);
  // Each wait is this many times the previous one.
  static constexpr int kAnswerBackoffFactor = 2;

  ClosingPhase phase() const { return phase_; }
  // The CONNECTION_CLOSE datagram, as it was first sent: kCloseToSend -> kSaved.
  void Save(std::span<const uint8_t> datagram);
  // ngtcp2 had nothing to send: kCloseToSend -> kSilent.
  void SaveNothing();
  // A datagram attributed to the connection arrived on `arrival` (our local
  // address, the peer's address) at `now`, during the closing period.
  ClosingAnswer OnDatagram(const NetworkPath& arrival, Timestamp now);
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
  Timestamp next_answer_at_ = Timestamp::min();  // The first datagram is answered.
  Duration gap_ = kFirstAnswerGap;               // The wait after the next answer.
  uint64_t received_ = 0;
  uint64_t answers_ = 0;
};

}  // namespace p2pquic
