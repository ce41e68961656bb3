// BlockingSocket: a DatagramSocket test double in front of a real one (a
// SimSocket, a loopback socket) that says kWouldBlock on command, as a full
// kernel send buffer does, and keeps the seam's writable promise: after a
// refused send, Unblock() schedules exactly one writable call through the
// Clock (so never from inside a send).
//
// It keeps a copy of every datagram it refused and of every one it passed
// on, so a test can check that what was refused went out later, byte for
// byte. Receiving, LocalAddress and Rebind are the inner socket's.
//
// The inner socket and the clock must outlive it; destroying it with a
// writable call scheduled is safe (the call is cancelled).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "transport/runtime/clock.h"
#include "transport/runtime/datagram_socket.h"

namespace p2pquic::testing {

class BlockingSocket final : public DatagramSocket {
 public:
  BlockingSocket(DatagramSocket& inner, Clock& clock) : inner_(inner), clock_(clock) {}
  ~BlockingSocket() override;
  BlockingSocket(const BlockingSocket&) = delete;
  BlockingSocket& operator=(const BlockingSocket&) = delete;

  // Refuses every send from now on (kWouldBlock, nothing sent).
  void Block() { BlockAfter(0); }
  // Passes `datagrams` more on, then refuses: a GSO batch cut in the middle.
  void BlockAfter(size_t datagrams);
  // Takes sends again. If a send was refused since the last writable call,
  // schedules the one writable call owed, at the clock's now.
  void Unblock();

  SendResult SendTo(const SocketAddress& remote, std::span<const uint8_t> payload) override;
  void SetReceiveHandler(ReceiveHandler handler) override;
  void SetBurstEndHandler(BurstEndHandler handler) override;
  void SetWritableHandler(WritableHandler handler) override { writable_ = std::move(handler); }
  SocketAddress LocalAddress() const override { return inner_.LocalAddress(); }
  RebindResult Rebind(const SocketAddress& new_local) override { return inner_.Rebind(new_local); }

  const std::vector<std::vector<uint8_t>>& refused() const { return refused_; }
  const std::vector<std::vector<uint8_t>>& passed() const { return passed_; }
  size_t writable_calls() const { return writable_calls_; }
  // Whether the owner installed a writable handler (and has not removed it).
  bool has_writable_handler() const { return static_cast<bool>(writable_); }

 private:
  enum class Mode : uint8_t { kOpen, kCountdown };
  enum class Owed : uint8_t { kNothing, kWritableCall, kScheduled };

  DatagramSocket& inner_;
  Clock& clock_;
  Mode mode_ = Mode::kOpen;
  size_t allowance_ = 0;  // kCountdown: datagrams still passed on.
  Owed owed_ = Owed::kNothing;
  TimerId call_;
  WritableHandler writable_;
  size_t writable_calls_ = 0;
  std::vector<std::vector<uint8_t>> refused_;
  std::vector<std::vector<uint8_t>> passed_;
};

}  // namespace p2pquic::testing
