#include "transport/quic/connection/connection_lifecycle.h"

#include <utility>

namespace p2pquic {

bool ConnectionLifecycle::Ending() const {
  return state_ == ConnectionState::kClosing || state_ == ConnectionState::kDraining ||
         state_ == ConnectionState::kClosed;
}

void ConnectionLifecycle::KeepFirstEnd(CloseCause cause, std::string reason) {
  if (close_cause_) return;
  close_cause_ = cause;
  close_reason_ = std::move(reason);
}

void ConnectionLifecycle::EnterClosingPeriod(ConnectionState period, CloseCause cause,
                                             std::string reason, Timestamp now, Duration pto) {
  state_ = period;
  KeepFirstEnd(cause, std::move(reason));
  closing_deadline_ = now + kClosingPeriodPtos * pto;
}

void ConnectionLifecycle::EndSilently(CloseCause cause, std::string reason) {
  state_ = ConnectionState::kClosed;
  KeepFirstEnd(cause, std::move(reason));
}

ConnectionState ConnectionLifecycle::OnTimer(Timestamp now) {
  if ((state_ == ConnectionState::kClosing || state_ == ConnectionState::kDraining) &&
      now >= closing_deadline_) {
    state_ = ConnectionState::kClosed;
  }
  return state_;
}

}  // namespace p2pquic
