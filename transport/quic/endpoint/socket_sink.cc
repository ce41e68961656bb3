#include "transport/quic/endpoint/socket_sink.h"

#include <algorithm>

#include "transport/quic/endpoint/endpoint.h"

namespace p2pquic {
namespace {

// One GSO send carries at most 64 segments and must stay below the 64 KiB
// IP datagram limit.
constexpr size_t kMaxBatchSegments = 64;
constexpr size_t kMaxBatchBytes = 64000;

}  // namespace

const char* ToString(WriteState state) {
  switch (state) {
    case WriteState::kWritable:
      return "writable";
    case WriteState::kBlocked:
      return "blocked";
  }
  return "unknown";
}

SocketSink::SocketSink(DatagramSocket& socket, size_t max_held, EndpointStats& stats,
                       EndpointTracer* const& tracer)
    : socket_(socket), max_held_(max_held), stats_(stats), tracer_(tracer) {}

SendResult SocketSink::Send(const NetworkPath& path, std::span<const uint8_t> datagram) {
  if (tracer_ != nullptr) tracer_->OnDatagramSent(path, datagram);
  if (state_ == WriteState::kWritable && count_ > 0 && !Continues(path, datagram.size())) {
    Flush();
  }
  if (state_ == WriteState::kBlocked) {
    HoldBack(path, datagram);
    return SendResult::kWouldBlock;
  }
  Collect(path, datagram);
  return SendResult::kSent;
}

bool SocketSink::Continues(const NetworkPath& path, size_t size) const {
  return path == path_ && size <= segment_ && !last_short_ && count_ < kMaxBatchSegments &&
         batch_.size() + size <= kMaxBatchBytes;
}

void SocketSink::Collect(const NetworkPath& path, std::span<const uint8_t> datagram) {
  if (count_ == 0) {
    path_ = path;
    segment_ = datagram.size();
  }
  batch_.insert(batch_.end(), datagram.begin(), datagram.end());
  ++count_;
  last_short_ = datagram.size() < segment_;
}

void SocketSink::Flush() {
  size_t offset = 0;  // Bytes of the batch dealt with.
  size_t left = count_;
  while (left > 0) {
    const std::span<const uint8_t> rest(batch_.data() + offset, batch_.size() - offset);
    size_t sent = 0;
    const SendResult result = socket_.SendSegments(path_.remote, rest, segment_, &sent);
    if (result == SendResult::kSent) sent = left;
    const size_t sent_bytes = std::min(sent * segment_, rest.size());
    stats_.datagrams_sent += sent;
    stats_.bytes_sent += sent_bytes;
    offset += sent_bytes;
    left -= sent;
    if (result == SendResult::kSent) break;
    if (result == SendResult::kWouldBlock) {
      // Backpressure, not loss: keep the rest and wait for writable.
      ++stats_.sends_blocked;
      state_ = WriteState::kBlocked;
      HoldFront(offset);
      break;
    }
    // Refused for good: that datagram is lost (loss recovery resends it);
    // the others may still go.
    ++stats_.send_failures;
    offset += std::min(segment_, batch_.size() - offset);
    --left;
  }
  batch_.clear();
  count_ = 0;
  last_short_ = false;
}

WriteState SocketSink::Resume() {
  state_ = WriteState::kWritable;
  resuming_ = true;
  while (!held_.empty()) {
    const Held& next = held_.front();
    if (count_ > 0 && !Continues(next.path, next.bytes.size())) {
      Flush();
      if (state_ == WriteState::kBlocked) break;
    }
    Collect(next.path, next.bytes);
    held_.pop_front();
  }
  if (state_ == WriteState::kWritable) Flush();
  resuming_ = false;
  return state_;
}

void SocketSink::HoldBack(const NetworkPath& path, std::span<const uint8_t> datagram) {
  ++stats_.datagrams_held;
  held_.push_back({path, {datagram.begin(), datagram.end()}});
  Trim();
}

void SocketSink::HoldFront(size_t offset) {
  std::vector<Held> rest;
  while (offset < batch_.size()) {
    const size_t size = std::min(segment_, batch_.size() - offset);
    rest.push_back({path_, {batch_.begin() + offset, batch_.begin() + offset + size}});
    offset += size;
  }
  // Inside Resume these were counted when first held.
  if (!resuming_) stats_.datagrams_held += rest.size();
  held_.insert(held_.begin(), std::make_move_iterator(rest.begin()),
               std::make_move_iterator(rest.end()));
  Trim();
}

void SocketSink::Trim() {
  while (held_.size() > max_held_) {
    held_.pop_back();
    ++stats_.held_dropped;
  }
}

}  // namespace p2pquic
