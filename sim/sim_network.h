// SimNetwork: hosts' UDP sockets joined by simulated links, in virtual
// time. Every fault (loss, duplication, corruption, jitter) is drawn from
// the one Random the network is given, so a seed decides a run.
//
// SimSocket is the DatagramSocket seam bound to this network: the
// transport runs over it unchanged. Each delivered datagram is its own
// burst (the burst-end handler runs after it).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "sim/event_queue.h"
#include "transport/datagram_socket.h"
#include "transport/random.h"

namespace p2pquic::sim {

struct LinkConditions {
  Duration delay = std::chrono::milliseconds(10);  // One way.
  Duration jitter = Duration::zero();              // Uniform extra delay; reorders.
  double loss = 0;                                 // Probability per datagram.
  double duplicate = 0;
  double corrupt = 0;  // One byte flipped.
};

struct NetworkStats {
  uint64_t sent = 0;
  uint64_t delivered = 0;
  uint64_t lost = 0;
  uint64_t duplicated = 0;
  uint64_t corrupted = 0;
  uint64_t unroutable = 0;  // No socket at the destination.
};

class SimSocket;

class SimNetwork {
 public:
  SimNetwork(EventQueue& queue, Random& random) : queue_(queue), random_(random) {}

  // Conditions for datagrams from `from` to `to` (host addresses, any port);
  // unset pairs use the default.
  void SetDefaultConditions(const LinkConditions& conditions) { default_ = conditions; }
  void SetConditions(const SocketAddress& from, const SocketAddress& to,
                     const LinkConditions& conditions);

  // A socket bound at `local`; null if the address is taken.
  std::unique_ptr<SimSocket> Bind(const SocketAddress& local);

  const NetworkStats& stats() const { return stats_; }
  // FNV-1a over every delivered datagram's time, addresses and bytes: equal
  // digests mean equal runs.
  uint64_t digest() const { return digest_; }

 private:
  friend class SimSocket;
  void Transmit(const SocketAddress& from, const SocketAddress& to,
                std::span<const uint8_t> payload);
  void Deliver(const SocketAddress& from, const SocketAddress& to, std::vector<uint8_t> bytes);
  const LinkConditions& ConditionsFor(const SocketAddress& from, const SocketAddress& to) const;
  double Uniform();
  void Mix(uint64_t value);

  EventQueue& queue_;
  Random& random_;
  LinkConditions default_;
  std::map<std::pair<std::vector<uint8_t>, std::vector<uint8_t>>, LinkConditions> links_;
  std::map<std::pair<std::vector<uint8_t>, uint16_t>, SimSocket*> sockets_;  // (ip, port)
  NetworkStats stats_;
  uint64_t digest_ = 1469598103934665603ULL;
};

class SimSocket final : public DatagramSocket {
 public:
  ~SimSocket() override;
  SendResult SendTo(const SocketAddress& remote, std::span<const uint8_t> payload) override;
  void SetReceiveHandler(ReceiveHandler handler) override { handler_ = std::move(handler); }
  void SetBurstEndHandler(BurstEndHandler handler) override { burst_end_ = std::move(handler); }
  SocketAddress LocalAddress() const override { return local_; }
  RebindResult Rebind(const SocketAddress& new_local) override;

 private:
  friend class SimNetwork;
  SimSocket(SimNetwork& network, const SocketAddress& local) : network_(network), local_(local) {}
  void Receive(const ReceivedDatagram& datagram);

  SimNetwork& network_;
  SocketAddress local_;
  ReceiveHandler handler_;
  BurstEndHandler burst_end_;
};

}  // namespace p2pquic::sim
