// RunOptions: what a caller may ask of one RunScenario call beyond the
// scenario itself (seed override, trace, qlog, key log, wire observer,
// metrics, frame recording, the event bound), and kRunStart, the virtual
// instant every run starts at. Plain values: the runner's parts read them,
// none changes them.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "sim/network_observer.h"
#include "transport/base/time.h"

namespace p2pquic::scenarios {

// Virtual time at which every run starts (a pcap's time zero).
inline constexpr Timestamp kRunStart = Timestamp(std::chrono::seconds(1));

// When a run reads the CID-relevant frames out of every connection's qlog
// (FrameLog; the cid-sequence oracle and the frame expectations use them).
// Reading them makes ngtcp2 format a qlog for every packet.
enum class FrameRecording : uint8_t {
  kWhenWanted,  // When a trace is written or an expectation counts or orders frames.
  kAlways,      // Every run, so the cid-sequence oracle checks every NEW_CONNECTION_ID.
};

struct RunOptions {
  // Bound on discrete events: a run that never settles stops and fails.
  static constexpr uint64_t kDefaultMaxEvents = 50'000'000;

  std::optional<uint64_t> seed;          // Overrides the file's seed.
  std::ostream* trace = nullptr;         // JSON lines (trace_writer.h).
  std::string qlog_dir;                  // One .sqlog per connection.
  std::ostream* keylog = nullptr;        // NSS key log for the pcap.
  sim::NetworkObserver* wire = nullptr;  // E.g. a sim::PcapWriter.
  bool metrics = false;                  // Fill RunReport::metrics_text.
  FrameRecording frames = FrameRecording::kWhenWanted;
  uint64_t max_events = kDefaultMaxEvents;
};

}  // namespace p2pquic::scenarios
