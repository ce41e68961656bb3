#include "transport/quic/endpoint/connection_driver.h"

#include <utility>

#include "transport/quic/endpoint/endpoint.h"

namespace p2pquic {
namespace {

// RFC 9002 §6.1.2's timer granularity. ngtcp2 can report an expiry that is
// already due but that it will not act on yet (a retired CID's removal waits
// for the pacer, which only yields within a millisecond of its slot); a
// timer re-armed at the same instant would spin, so it waits this long.
constexpr Duration kTimerGranularity = std::chrono::milliseconds(1);

}  // namespace

ConnectionDriver::ConnectionDriver(Clock& clock, SocketSink& sink, EndpointStats& stats,
                                   Owner& owner)
    : clock_(clock), sink_(sink), stats_(stats), owner_(owner) {}

ReadResult ConnectionDriver::Read(Driven& driven, std::span<const uint8_t> payload,
                                  const NetworkPath& path) {
  driven.call_ = Call::kInside;
  const ReadResult result = driven.quic->Read(payload, path, clock_.Now());
  driven.call_ = Call::kOutside;
  // Answer the whole burst at once (one ACK for many packets): OnBurstEnd.
  if (driven.burst_ == Burst::kUntouched) {
    driven.burst_ = Burst::kRead;
    touched_.push_back(driven.handle());
  }
  return result;
}

void ConnectionDriver::ServiceNow(Driven& driven) {
  if (driven.call_ == Call::kOutside) Service(driven);
}

void ConnectionDriver::Service(Driven& driven) {
  // While the socket is full, ngtcp2 keeps what it would write (nothing is
  // produced only to be held); the writable signal services this connection.
  if (sink_.state() == WriteState::kWritable) {
    ScopedFlush flush(flush_nesting_, sink_);
    driven.call_ = Call::kInside;
    const uint64_t resent = driven.quic->closing_period().answers_sent();
    driven.quic->Write(clock_.Now(), sink_);
    stats_.connection_closes_resent += driven.quic->closing_period().answers_sent() - resent;
    driven.call_ = Call::kOutside;
  }
  if (driven.quic->state() == ConnectionState::kClosed) {
    owner_.RemoveClosed(driven.handle());  // Destroys `driven`.
    return;
  }
  if (sink_.state() == WriteState::kBlocked) QueueForWritable(driven);
  ArmTimer(driven);
}

void ConnectionDriver::OnBurstEnd() {
  std::vector<ConnectionHandle> touched;
  touched.swap(touched_);
  for (ConnectionHandle handle : touched) {
    Driven* driven = owner_.FindDriven(handle);
    if (driven != nullptr && driven->burst_ == Burst::kRead) {
      driven->burst_ = Burst::kUntouched;
      Service(*driven);
    }
  }
}

void ConnectionDriver::OnWritable() {
  if (sink_.Resume() == WriteState::kBlocked) return;  // Full again: the next signal.
  std::vector<ConnectionHandle> waiting;
  waiting.swap(waiting_);
  size_t next = 0;
  for (; next < waiting.size() && sink_.state() == WriteState::kWritable; ++next) {
    Driven* driven = owner_.FindDriven(waiting[next]);
    if (driven == nullptr || driven->wait_ == Wait::kNone) continue;
    driven->wait_ = Wait::kNone;
    ServiceNow(*driven);
  }
  // Full again: those not serviced go first next time (they stay kForWritable).
  waiting_.insert(waiting_.begin(), waiting.begin() + static_cast<std::ptrdiff_t>(next),
                  waiting.end());
}

void ConnectionDriver::QueueForWritable(Driven& driven) {
  if (driven.wait_ == Wait::kForWritable) return;
  driven.wait_ = Wait::kForWritable;
  waiting_.push_back(driven.handle());
}

void ConnectionDriver::Forget(Driven& driven) { clock_.Cancel(driven.timer_); }

void ConnectionDriver::ArmTimer(Driven& driven) {
  Timestamp deadline = driven.quic->Expiry();
  if (deadline <= driven.fired_at_) deadline = driven.fired_at_ + kTimerGranularity;
  if (deadline == driven.armed_) return;
  clock_.Cancel(driven.timer_);
  driven.armed_ = deadline;
  if (deadline == Timestamp::max()) return;
  const ConnectionHandle handle = driven.handle();
  driven.timer_ = clock_.ScheduleAt(deadline, [this, handle] { OnTimer(handle); });
}

void ConnectionDriver::OnTimer(ConnectionHandle handle) {
  Driven* due = owner_.FindDriven(handle);
  if (due == nullptr) return;
  due->armed_ = Timestamp::max();
  due->fired_at_ = clock_.Now();
  due->call_ = Call::kInside;
  due->quic->HandleExpiry(clock_.Now());
  due->call_ = Call::kOutside;
  Service(*due);
}

}  // namespace p2pquic
