#include "testing/blocking_socket.h"

namespace p2pquic::testing {

BlockingSocket::~BlockingSocket() {
  if (owed_ == Owed::kScheduled) clock_.Cancel(call_);
}

void BlockingSocket::BlockAfter(size_t datagrams) {
  mode_ = Mode::kCountdown;
  allowance_ = datagrams;
}

void BlockingSocket::Unblock() {
  mode_ = Mode::kOpen;
  if (owed_ != Owed::kWritableCall) return;
  owed_ = Owed::kScheduled;
  call_ = clock_.ScheduleAt(clock_.Now(), [this] {
    owed_ = Owed::kNothing;
    ++writable_calls_;
    if (writable_) {
      const WritableHandler call = writable_;  // It may replace itself.
      call();
    }
  });
}

SendResult BlockingSocket::SendTo(const SocketAddress& remote, std::span<const uint8_t> payload) {
  if (mode_ == Mode::kCountdown) {
    if (allowance_ == 0) {
      refused_.emplace_back(payload.begin(), payload.end());
      if (owed_ == Owed::kNothing) owed_ = Owed::kWritableCall;
      return SendResult::kWouldBlock;
    }
    --allowance_;
  }
  const SendResult result = inner_.SendTo(remote, payload);
  if (result == SendResult::kSent) passed_.emplace_back(payload.begin(), payload.end());
  return result;
}

void BlockingSocket::SetReceiveHandler(ReceiveHandler handler) {
  inner_.SetReceiveHandler(std::move(handler));
}

void BlockingSocket::SetBurstEndHandler(BurstEndHandler handler) {
  inner_.SetBurstEndHandler(std::move(handler));
}

}  // namespace p2pquic::testing
