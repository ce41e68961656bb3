// RecordingSocket: a DatagramSocket that takes everything and keeps it: each
// datagram it was given (a GSO batch split into its segments) and how many
// send calls gave them. It never blocks, receives nothing and cannot rebind.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "transport/runtime/datagram_socket.h"

namespace p2pquic::testing {

class RecordingSocket final : public DatagramSocket {
 public:
  SendResult SendTo(const SocketAddress&, std::span<const uint8_t> payload) override {
    ++calls;
    sent.emplace_back(payload.begin(), payload.end());
    return SendResult::kSent;
  }
  SendResult SendSegments(const SocketAddress&, std::span<const uint8_t> payload,
                          size_t segment_size, size_t* unsent) override {
    ++calls;
    for (size_t offset = 0; offset < payload.size(); offset += segment_size) {
      const auto segment = payload.subspan(offset, std::min(segment_size, payload.size() - offset));
      sent.emplace_back(segment.begin(), segment.end());
    }
    *unsent = 0;
    return SendResult::kSent;
  }
  void SetReceiveHandler(ReceiveHandler) override {}
  void SetBurstEndHandler(BurstEndHandler) override {}
  void SetWritableHandler(WritableHandler) override {}
  SocketAddress LocalAddress() const override { return SocketAddress::Loopback4(1); }
  RebindResult Rebind(const SocketAddress&) override { return RebindResult::kError; }

  int calls = 0;                           // SendTo and SendSegments calls.
  std::vector<std::vector<uint8_t>> sent;  // Every datagram, in order.
};

}  // namespace p2pquic::testing
