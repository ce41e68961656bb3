// FloodAttack: plays the timeline's `flood` events. Each flood sends its
// datagrams at a fixed rate from spoofed sources (FloodSource, in turn)
// through SimNetwork::SendSpoofed, along the direction from the flood's
// attachment (one attacker host the network knows, with no address, so
// the default link conditions, no partition and no bottleneck apply to
// it unless the scenario names it, which it cannot) to the target; and it
// watches the network for what any host sends to a spoofed source,
// classifying each answer by its first packet's header (FloodTally).
//
// Determinism: a flood's k-th datagram (0-based) is sent at its start +
// k / rate (to the ns, rounded down), each send scheduling the next, so
// the queue orders them after every event already due at that instant.
// Payloads draw from a SeededRandom of their own (the run's seed mixed with
// the event's index), never from the network's Random; the network then
// draws for each datagram exactly as for a socket's send (sim_network.h).
// initial_replay payloads are one Initial captured once per target address
// in a private world (initial_capture.h), before the flood's first send.
//
// Contract: single-threaded, on the simulator's thread. The queue, network
// and tally outlive it; it registers itself as the network's observer for
// its life.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "scenarios/format/scenario.h"
#include "scenarios/runner/flood_tally.h"
#include "sim/event_queue.h"
#include "sim/network_observer.h"
#include "sim/sim_network.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::scenarios {

class FloodAttack final : public sim::NetworkObserver {
 public:
  FloodAttack(uint64_t seed, sim::EventQueue& queue, sim::SimNetwork& network, FloodTally& tally);
  ~FloodAttack() override;
  FloodAttack(const FloodAttack&) = delete;
  FloodAttack& operator=(const FloodAttack&) = delete;

  // Starts `flood` (the timeline's event `event_index`) now, against
  // `target`. False (with `error`) if its payload could not be made; then
  // nothing is sent.
  bool Start(const FloodAction& flood, size_t event_index, const SocketAddress& target,
             std::string* error);

  void OnDatagram(const sim::DatagramEvent& event) override;

 private:
  struct Running {
    FloodAction flood;
    SocketAddress target;
    Timestamp start;
    uint64_t total = 0;  // FloodDatagrams(flood).
    uint64_t next = 0;   // The next datagram's index.
    SeededRandom random;
    std::vector<uint8_t> initial;  // initial_replay only.
  };

  void SendNext(Running& running);
  std::vector<uint8_t> Payload(Running& running);

  const uint64_t seed_;
  sim::EventQueue& queue_;
  sim::SimNetwork& network_;
  FloodTally& tally_;
  sim::HostId attacker_;
  std::map<size_t, std::unique_ptr<Running>> running_;    // By timeline event index.
  std::map<std::string, std::vector<uint8_t>> captured_;  // Initial by target address.
};

// The kind of a datagram sent to a spoofed source, by its first byte and
// (long headers) version and type; never kAny.
FloodAnswer ClassifyAnswer(std::span<const uint8_t> datagram);

}  // namespace p2pquic::scenarios
