// CidTable: the CIDs this endpoint issued, each mapped to its owner and
// lifecycle state. All keys have the endpoint's local CID length. When that
// length is at most 8 bytes (the default) the key is stored as one 64-bit
// word, so a slot is 16 bytes instead of 29: half the memory and half the
// cache lines per lookup of a table keyed by whole ConnectionIds.
//
// Contract: Find() of a CID of another length finds nothing. Entries are
// values; pointers returned by Find() are invalidated by Insert and Erase.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <cstring>

#include "transport/routing/connection_handle.h"
#include "transport/base/connection_id.h"

namespace p2pquic {

// Owner and state in 8 bytes of alignment 1 (no padding in a slot).
class CidEntry {
 public:
  static constexpr uint32_t kGenerationMask = (1u << 24) - 1;

  CidEntry(ConnectionHandle owner, CidState state) {
    const uint64_t packed = uint64_t{owner.index} |
                            (uint64_t{owner.generation & kGenerationMask} << 32) |
                            (uint64_t{static_cast<uint8_t>(state)} << 56);
    std::memcpy(bytes_, &packed, sizeof(bytes_));
  }
  ConnectionHandle owner() const {
    uint64_t packed;
    std::memcpy(&packed, bytes_, sizeof(packed));
    return {static_cast<uint32_t>(packed), static_cast<uint32_t>(packed >> 32) & kGenerationMask};
  }
  CidState state() const { return static_cast<CidState>(bytes_[7]); }
  void set_state(CidState state) { bytes_[7] = static_cast<uint8_t>(state); }

 private:
  uint8_t bytes_[8];
};

class CidTable {
 public:
  explicit CidTable(size_t cid_length) : cid_length_(cid_length) {}

  [[gnu::always_inline]] CidEntry* Find(const ConnectionId& cid) {
    if (cid.size() != cid_length_) return nullptr;
    if (Compact()) {
      auto it = compact_.find(Word(cid));
      return it == compact_.end() ? nullptr : &it->second;
    }
    auto it = full_.find(cid);
    return it == full_.end() ? nullptr : &it->second;
  }
  const CidEntry* Find(const ConnectionId& cid) const {
    return const_cast<CidTable*>(this)->Find(cid);
  }

  // Adds `cid` (which must have the table's length); false if present.
  bool Insert(const ConnectionId& cid, CidEntry entry) {
    return Compact() ? compact_.emplace(Word(cid), entry).second : full_.emplace(cid, entry).second;
  }

  void Erase(const ConnectionId& cid) {
    if (Compact()) {
      compact_.erase(Word(cid));
    } else {
      full_.erase(cid);
    }
  }

  size_t size() const { return Compact() ? compact_.size() : full_.size(); }

  // Calls fn(const CidEntry&) for every entry.
  template <typename Fn>
  void ForEach(Fn fn) const {
    if (Compact()) {
      for (const auto& [key, entry] : compact_) fn(entry);
    } else {
      for (const auto& [key, entry] : full_) fn(entry);
    }
  }

 private:
  bool Compact() const { return cid_length_ <= 8; }
  static uint64_t Word(const ConnectionId& cid) {
    uint64_t w0, w1;
    uint32_t w2;
    cid.Words(&w0, &w1, &w2);
    return w0;  // Bytes past the length are zero: the first word is the CID.
  }

  size_t cid_length_;
  absl::flat_hash_map<uint64_t, CidEntry> compact_;
  absl::flat_hash_map<ConnectionId, CidEntry, LocalCidHash> full_;
};

}  // namespace p2pquic
