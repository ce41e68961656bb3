#include "transport/quic/connection/stream_table.h"

#include <algorithm>

namespace p2pquic {

const char* ToString(SendState state) {
  switch (state) {
    case SendState::kSend:
      return "send";
    case SendState::kFinQueued:
      return "fin queued";
    case SendState::kDataSent:
      return "data sent";
    case SendState::kResetSent:
      return "reset sent";
  }
  return "unknown";
}

StreamTable::StreamTable(const QuicConfig& config) : config_(config), budget_(config) {}

StreamTable::Stream* StreamTable::Find(int64_t id) {
  auto it = streams_.find(id);
  return it == streams_.end() ? nullptr : &it->second;
}

const StreamTable::Stream* StreamTable::Find(int64_t id) const {
  auto it = streams_.find(id);
  return it == streams_.end() ? nullptr : &it->second;
}

void StreamTable::Add(int64_t id, StreamOrigin origin) {
  const bool added = streams_.try_emplace(id, Stream{origin, SendState::kSend, {}}).second;
  if (added && origin == StreamOrigin::kLocal) ++outbound_;
}

bool StreamTable::Remove(int64_t id) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return false;
  budget_.Release(it->second.send.buffered());
  if (it->second.origin == StreamOrigin::kLocal) --outbound_;
  streams_.erase(it);
  flow_blocked_.erase(id);
  waiting_for_space_.erase(id);
  return true;
}

std::optional<SendState> StreamTable::send_state(int64_t id) const {
  const Stream* stream = Find(id);
  if (stream == nullptr) return std::nullopt;
  return stream->send_state;
}

size_t StreamTable::Space(int64_t id, uint64_t congestion_window, uint64_t credit_left) const {
  const Stream* stream = Find(id);
  if (stream == nullptr) return 0;
  // The peer's credit ends at sent + what is left of it; everything from
  // the acknowledged offset to there may be in flight.
  const uint64_t credit_end = stream->send.sent() + credit_left;
  return budget_.Space(stream->send.buffered(),
                       {congestion_window, credit_end - stream->send.acked()});
}

StreamWriteResult StreamTable::Write(int64_t id, std::span<const uint8_t> data, bool fin,
                                     size_t space, size_t* accepted) {
  *accepted = 0;
  Stream* stream = Find(id);
  if (stream == nullptr) return StreamWriteResult::kUnknownStream;
  if (stream->send_state != SendState::kSend) return StreamWriteResult::kWriteClosed;
  *accepted = std::min(data.size(), space);
  stream->send.Append(data.first(*accepted));
  budget_.Add(*accepted);
  if (*accepted < data.size()) {
    waiting_for_space_.insert(id);
  } else if (fin) {
    stream->send_state = SendState::kFinQueued;
  }
  return StreamWriteResult::kOk;
}

StreamShutdownResult StreamTable::Finish(int64_t id) {
  Stream* stream = Find(id);
  if (stream == nullptr) return StreamShutdownResult::kUnknownStream;
  if (stream->send_state != SendState::kSend) return StreamShutdownResult::kWriteClosed;
  stream->send_state = SendState::kFinQueued;
  return StreamShutdownResult::kOk;
}

void StreamTable::MarkReset(int64_t id) {
  if (Stream* stream = Find(id)) stream->send_state = SendState::kResetSent;
}

int64_t StreamTable::NextToSend() const {
  auto ready = [this](int64_t id, const Stream& s) {
    switch (s.send_state) {
      case SendState::kSend:
        return s.send.unsent() > 0 && flow_blocked_.count(id) == 0;
      case SendState::kFinQueued:
        return flow_blocked_.count(id) == 0;  // The FIN at least is left.
      case SendState::kDataSent:
      case SendState::kResetSent:
        return false;
    }
    return false;
  };
  auto it = streams_.upper_bound(last_sent_);
  for (size_t visited = 0; visited < streams_.size(); ++visited, ++it) {
    if (it == streams_.end()) it = streams_.begin();
    if (ready(it->first, it->second)) return it->first;
  }
  return -1;
}

StreamTable::Pending StreamTable::Unsent(int64_t id) const {
  Pending pending;
  const Stream* stream = Find(id);
  if (stream == nullptr) return pending;
  pending.count = stream->send.UnsentPieces(pending.pieces);
  for (size_t i = 0; i < pending.count; ++i) pending.bytes += pending.pieces[i].size();
  // The FIN rides with the last bytes when all of them are offered.
  pending.fin_follows =
      stream->send_state == SendState::kFinQueued && pending.bytes == stream->send.unsent();
  return pending;
}

void StreamTable::OnSent(int64_t id, size_t bytes, bool fin_sent) {
  Stream* stream = Find(id);
  if (stream == nullptr) return;
  stream->send.MarkSent(bytes);
  if (fin_sent) stream->send_state = SendState::kDataSent;
  last_sent_ = id;
}

void StreamTable::OnAcked(int64_t id, uint64_t offset) {
  Stream* stream = Find(id);
  if (stream == nullptr) return;
  const size_t before = stream->send.buffered();
  stream->send.AckUpTo(offset);
  budget_.Release(before - stream->send.buffered());
}

void StreamTable::OnFlowBlocked(int64_t id) {
  if (Contains(id)) flow_blocked_.insert(id);
}

void StreamTable::OnCreditExtended(int64_t id) { flow_blocked_.erase(id); }

void StreamTable::OnPeerStopped(int64_t id) {
  if (Stream* stream = Find(id)) stream->send_state = SendState::kResetSent;
}

void StreamTable::WaitingForSpace(std::vector<int64_t>* out) const {
  out->assign(waiting_for_space_.begin(), waiting_for_space_.end());
}

std::string StreamTable::CheckInvariants() const {
  size_t buffered = 0;
  size_t local = 0;
  for (const auto& [id, stream] : streams_) {
    buffered += stream.send.buffered();
    if (stream.origin == StreamOrigin::kLocal) ++local;
    if (stream.send_state == SendState::kDataSent && stream.send.unsent() != 0) {
      return "stream " + std::to_string(id) + " sent its FIN with bytes unsent";
    }
  }
  if (buffered != budget_.total()) {
    return "budget holds " + std::to_string(budget_.total()) + " bytes, streams " +
           std::to_string(buffered);
  }
  if (local != outbound_) {
    return "outbound count " + std::to_string(outbound_) + ", local streams " +
           std::to_string(local);
  }
  if (outbound_ > config_.max_outbound_streams) return "more outbound streams than allowed";
  for (const std::set<int64_t>* ids : {&flow_blocked_, &waiting_for_space_}) {
    for (int64_t id : *ids) {
      if (!Contains(id)) return "stream " + std::to_string(id) + " listed but not in the table";
    }
  }
  return {};
}

}  // namespace p2pquic
