#include "transport/routing/sequence_history.h"

namespace p2pquic {

bool SequenceHistory::Used(uint64_t sequence) const {
  if (sequence < floor_) return true;
  const uint64_t offset = sequence - floor_;
  return offset < kWindow && ((bits_ >> offset) & 1) != 0;
}

void SequenceHistory::MarkUsed(uint64_t sequence) {
  if (sequence < floor_) return;
  if (sequence - floor_ >= kWindow) RaiseFloor(sequence - (kWindow - 1));
  bits_ |= uint64_t{1} << (sequence - floor_);
}

void SequenceHistory::RaiseFloor(uint64_t new_floor) {
  if (new_floor <= floor_) return;
  const uint64_t shift = new_floor - floor_;
  bits_ = shift >= kWindow ? 0 : bits_ >> shift;
  floor_ = new_floor;
}

}  // namespace p2pquic
