#include "scenarios/runner/frame_log.h"

namespace p2pquic::scenarios {

void FrameLog::Add(FrameEntry entry) {
  entry.ordinal = entries_.size();
  entries_.push_back(std::move(entry));
}

void FrameLog::SetOriginalDcid(const std::string& host, ConnectionHandle connection,
                               const std::string& original_dcid) {
  original_dcids_[{host, connection.index, connection.generation}] = original_dcid;
}

std::optional<std::string> FrameLog::OriginalDcid(const std::string& host,
                                                  ConnectionHandle connection) const {
  const auto it = original_dcids_.find({host, connection.index, connection.generation});
  if (it == original_dcids_.end()) return std::nullopt;
  return it->second;
}

size_t FrameLog::MatchingConnections(const std::string& host,
                                     const std::string& original_dcid) const {
  size_t n = 0;
  for (const auto& [key, dcid] : original_dcids_) {
    if (std::get<0>(key) == host && dcid == original_dcid) ++n;
  }
  return n;
}

bool FrameLog::Matches(const FrameEntry& entry, const FrameFilter& filter) {
  return entry.host == filter.host && entry.direction == filter.direction &&
         entry.frame.type == filter.type &&
         (!filter.original_dcid || entry.original_dcid == *filter.original_dcid) &&
         (!filter.sequence || !HasSequence(filter.type) ||
          entry.frame.sequence == *filter.sequence);
}

uint64_t FrameLog::Count(const FrameFilter& filter) const {
  uint64_t n = 0;
  for (const FrameEntry& entry : entries_) {
    if (Matches(entry, filter)) ++n;
  }
  return n;
}

const FrameEntry* FrameLog::First(const FrameFilter& filter) const {
  for (const FrameEntry& entry : entries_) {
    if (Matches(entry, filter)) return &entry;
  }
  return nullptr;
}

}  // namespace p2pquic::scenarios
