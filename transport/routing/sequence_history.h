// SequenceHistory: which CID sequence numbers a connection has ever
// registered, so a retired one can never come back (through a late
// IssueCid or a ConfirmFallback). Constant size: everything below `floor()`
// counts as used; above it a 64-wide bitmap. Registering a sequence 64 or
// more above the floor slides the floor up, so far older sequences (long
// retired, RFC 9000 §5.1.2 keeps only a few live) count as used.
#pragma once

#include <cstdint>

namespace p2pquic {

class SequenceHistory {
 public:
  static constexpr uint64_t kWindow = 64;

  bool Used(uint64_t sequence) const;
  void MarkUsed(uint64_t sequence);
  // Declares every sequence below `new_floor` used. Never lowers the floor.
  void RaiseFloor(uint64_t new_floor);
  uint64_t floor() const { return floor_; }

 private:
  uint64_t floor_ = 0;
  uint64_t bits_ = 0;  // Bit i: floor_ + i was registered.
};

}  // namespace p2pquic
