#include "sim/fifo_serializer.h"

#include <algorithm>

namespace p2pquic::sim {
namespace {

constexpr uint64_t kBitsPerByte = 8;
constexpr uint64_t kNanosPerSecond = 1'000'000'000;

}  // namespace

Duration FifoSerializer::SerializationTime(size_t bytes, uint64_t bandwidth_bps) {
  // bytes <= kMaxUdpPayload, so bits * 1e9 stays far below 2^64.
  const uint64_t bit_nanos = uint64_t{bytes} * kBitsPerByte * kNanosPerSecond;
  return Duration((bit_nanos + bandwidth_bps - 1) / bandwidth_bps);
}

void FifoSerializer::Drain(Timestamp now) {
  while (!queue_.empty() && queue_.front().departure <= now) {
    queued_bytes_ -= queue_.front().bytes;
    queue_.pop_front();
  }
}

Admission FifoSerializer::Admit(Timestamp now, size_t bytes, uint64_t bandwidth_bps,
                                size_t queue_bytes, Timestamp* departure) {
  Drain(now);
  if (bandwidth_bps == 0) {
    *departure = now;
    return Admission::kAdmitted;
  }
  if (queued_bytes_ + bytes > queue_bytes) {
    ++tail_drops_;
    return Admission::kQueueFull;
  }
  busy_until_ = std::max(now, busy_until_) + SerializationTime(bytes, bandwidth_bps);
  queue_.push_back({busy_until_, bytes});
  queued_bytes_ += bytes;
  *departure = busy_until_;
  return Admission::kAdmitted;
}

std::string FifoSerializer::CheckInvariants() const {
  size_t sum = 0;
  for (size_t i = 0; i < queue_.size(); ++i) {
    sum += queue_[i].bytes;
    if (i > 0 && queue_[i].departure < queue_[i - 1].departure) return "departures out of order";
  }
  if (sum != queued_bytes_) return "queued bytes differ from the queued datagrams";
  if (!queue_.empty() && queue_.back().departure != busy_until_) {
    return "the last departure is not busy_until";
  }
  return {};
}

}  // namespace p2pquic::sim
