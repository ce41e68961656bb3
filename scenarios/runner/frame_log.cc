#include "scenarios/runner/frame_log.h"

namespace p2pquic::scenarios {
namespace {

// Whether `trace_name` is `host` itself or one of its workers ("host.wN").
bool OfHost(const std::string& trace_name, const std::string& host) {
  if (trace_name == host) return true;
  return trace_name.size() > host.size() + 2 && trace_name.compare(0, host.size(), host) == 0 &&
         trace_name.compare(host.size(), 2, ".w") == 0;
}

}  // namespace

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
    if (OfHost(std::get<0>(key), host) && dcid == original_dcid) ++n;
  }
  return n;
}

bool FrameLog::Matches(const FrameEntry& entry, const FrameFilter& filter) {
  return OfHost(entry.host, filter.host) && entry.direction == filter.direction &&
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
