#include "scenarios/runner/host_workload.h"

#include <memory>
#include <utility>
#include <vector>

#include "scenarios/runner/transfer_receiver.h"

namespace p2pquic::scenarios {
namespace {

std::pair<uint32_t, uint32_t> Key(ConnectionHandle handle) {
  return {handle.index, handle.generation};
}

}  // namespace

const char* ToString(SendStatus status) {
  switch (status) {
    case SendStatus::kQueued:
      return "queued";
    case SendStatus::kUnknownConnection:
      return "no such connection (closed or never dialed)";
    case SendStatus::kNotEstablished:
      return "the connection is not established";
    case SendStatus::kStreamLimit:
      return "the peer's stream limit is reached";
    case SendStatus::kStreamError:
      return "the stream refused the data";
  }
  return "unknown";
}

HostWorkload::HostWorkload(Libp2pHost& host, const Clock& clock) : host_(&host), clock_(clock) {
  host.Handle(std::string(kTransferProtocol), [this] {
    return std::make_unique<TransferReceiver>(
        [this](uint64_t tag) -> StreamRecord& { return received_[tag]; });
  });
  host.on_connection_created = [this](ConnectionHandle handle, bool inbound,
                                      const NetworkPath& path) {
    OnCreated(handle, inbound, path);
  };
  host.on_connection_ready = [this](ConnectionHandle handle, const std::string&) {
    OnReady(handle);
  };
  host.on_connection_closed = [this](ConnectionHandle handle, const ConnectionEnd& end) {
    OnClosed(handle, end);
  };
}

HostWorkload::~HostWorkload() {
  if (host_ != nullptr) Detach("the run ended");
}

void HostWorkload::Detach(const std::string& reason) {
  for (auto& [key, record] : connections_) {
    if (record.closed) continue;
    record.closed = true;
    record.lost_with_host = true;
    record.close_reason = reason;
    record.closed_at = clock_.Now();
  }
  // The host destroys the senders it owns; they must not call back.
  senders_.clear();
  host_->on_connection_created = nullptr;
  host_->on_connection_ready = nullptr;
  host_->on_connection_closed = nullptr;
  host_ = nullptr;
}

void HostWorkload::OnCreated(ConnectionHandle handle, bool inbound, const NetworkPath& path) {
  ConnectionRecord& record = connections_[Key(handle)];
  record.handle = handle;
  record.inbound = inbound;
  record.peer = path.remote;
}

void HostWorkload::OnReady(ConnectionHandle handle) {
  ConnectionRecord* record = Find(handle);
  if (record == nullptr) return;
  record->established = true;
  record->established_at = clock_.Now();
  record->original_dcid = OriginalDcid(*record);
  if (on_established) on_established(handle);
}

void HostWorkload::OnClosed(ConnectionHandle handle, const ConnectionEnd& end) {
  ConnectionRecord* record = Find(handle);
  if (record == nullptr) return;
  record->closed = true;
  record->close_reason = end.reason;
  record->close_cause = end.cause;
  record->closed_at = clock_.Now();
  if (!end.original_dcid.empty()) record->original_dcid = end.original_dcid;
}

ConnectionId HostWorkload::OriginalDcid(const ConnectionRecord& record) const {
  if (!record.original_dcid.empty() || host_ == nullptr) return record.original_dcid;
  const QuicConnection* quic = host_->endpoint().Find(record.handle);
  return quic == nullptr ? ConnectionId() : quic->original_dcid();
}

void HostWorkload::OnRetry(ConnectionHandle handle, const ConnectionId& scid) {
  ConnectionRecord* record = Find(handle);
  if (record != nullptr && !record->inbound) record->retried_dcid = scid;
}

ConnectionRecord* HostWorkload::Find(ConnectionHandle handle) {
  auto it = connections_.find(Key(handle));
  return it == connections_.end() ? nullptr : &it->second;
}

const ConnectionRecord* HostWorkload::Connection(ConnectionHandle handle) const {
  auto it = connections_.find(Key(handle));
  return it == connections_.end() ? nullptr : &it->second;
}

// ngtcp2 (NGTCP2_ERR_DROP_CONN) discards a server state that processed
// none of the client's CRYPTO data, e.g. made by a corrupted first Initial;
// it sent nothing, and the client's retransmitted Initial, same DCID from
// the same address, makes the connection the client talks to.
bool HostWorkload::DiscardedBeforeHandshake(const ConnectionRecord& record) {
  return record.closed && !record.lost_with_host && !record.established &&
         record.close_cause == CloseCause::kUnrecoverablePacket;
}

const ConnectionRecord* HostWorkload::FindInbound(const ConnectionId& original_dcid,
                                                  const SocketAddress& peer) const {
  std::vector<const ConnectionRecord*> matches;
  std::vector<const ConnectionRecord*> discarded;
  for (const auto& [key, record] : connections_) {
    if (!record.inbound || OriginalDcid(record) != original_dcid) continue;
    (DiscardedBeforeHandshake(record) ? discarded : matches).push_back(&record);
  }
  // A state ngtcp2 discarded is the end only when there is no other.
  if (matches.empty()) matches = std::move(discarded);
  if (matches.size() == 1) return matches.front();
  const ConnectionRecord* found = nullptr;
  for (const ConnectionRecord* record : matches) {
    if (record->peer != peer) continue;
    if (found != nullptr) return nullptr;  // Same DCID from the same address: ambiguous.
    found = record;
  }
  return found;
}

SendStatus HostWorkload::OpenTransfer(ConnectionHandle handle, uint64_t tag) {
  const ConnectionRecord* record = Find(handle);
  if (host_ == nullptr || record == nullptr || record->closed) {
    return SendStatus::kUnknownConnection;
  }
  if (!record->established) return SendStatus::kNotEstablished;
  auto sender =
      std::make_unique<TransferSender>(tag, sent_[tag], [this, tag] { senders_.erase(tag); });
  TransferSender* raw = sender.get();
  switch (host_->OpenStream(handle, {std::string(kTransferProtocol)}, std::move(sender))) {
    case OpenStreamResult::kOk:
      senders_[tag] = raw;
      return SendStatus::kQueued;
    case OpenStreamResult::kNotConnected:
      return SendStatus::kUnknownConnection;
    case OpenStreamResult::kStreamLimit:
      return SendStatus::kStreamLimit;
    case OpenStreamResult::kError:
      return SendStatus::kStreamError;
  }
  return SendStatus::kStreamError;
}

SendStatus HostWorkload::Send(uint64_t tag, uint64_t bytes, bool fin) {
  auto it = senders_.find(tag);
  if (it == senders_.end()) return SendStatus::kStreamError;
  it->second->Queue(bytes, fin);
  return SendStatus::kQueued;
}

SendStatus HostWorkload::Reset(uint64_t tag, uint64_t code) {
  auto it = senders_.find(tag);
  if (it == senders_.end()) return SendStatus::kStreamError;
  it->second->Reset(code);
  return SendStatus::kQueued;
}

}  // namespace p2pquic::scenarios
