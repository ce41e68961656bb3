#include "scenarios/transfer_app.h"

#include <algorithm>
#include <array>

#include "transport/tls/libp2p_certificate_verifier.h"

namespace p2pquic::scenarios {
namespace {

constexpr size_t kTagBytes = 8;
constexpr size_t kChunkBytes = 16 << 10;  // Payload generated per WriteStream.

uint64_t SplitMix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t PayloadWord(uint64_t tag, uint64_t word_index) {
  return SplitMix(tag * 0x100000001b3ULL + word_index);
}

// PayloadByte for a whole range, one SplitMix per 8 bytes (the per-byte
// form was most of a busy simulation's time, sim_bench).
void FillPayload(uint64_t tag, uint64_t offset, std::span<uint8_t> out) {
  size_t i = 0;
  while (i < out.size()) {
    const uint64_t word = PayloadWord(tag, (offset + i) / 8);
    for (size_t b = (offset + i) % 8; b < 8 && i < out.size(); ++b, ++i) {
      out[i] = static_cast<uint8_t>(word >> (8 * b));
    }
  }
}

}  // namespace

void StreamHash::Update(std::span<const uint8_t> bytes) {
  for (uint8_t b : bytes) {
    value_ ^= b;
    value_ *= 1099511628211ULL;
  }
}

const char* ToString(SendStatus status) {
  switch (status) {
    case SendStatus::kQueued:
      return "queued";
    case SendStatus::kUnknownConnection:
      return "no such connection (closed or never dialed)";
    case SendStatus::kNotEstablished:
      return "the connection is not established";
    case SendStatus::kStreamError:
      return "the stream refused the data";
  }
  return "unknown";
}

uint8_t TransferApp::PayloadByte(uint64_t tag, uint64_t offset) {
  return static_cast<uint8_t>(PayloadWord(tag, offset / 8) >> (8 * (offset % 8)));
}

// Per connection: its record, the observer the endpoint calls, and the
// streams' progress.
struct TransferApp::PerConnection {
  explicit PerConnection(const Clock& clock) : verifier(clock) {}
  ConnectionHandle handle;
  Libp2pCertificateVerifier verifier;
  ConnectionRecord record;
  std::unique_ptr<Observer> observer;
  std::map<int64_t, Outgoing> outgoing;
  std::map<int64_t, Incoming> incoming;
  std::map<int64_t, StreamHash> sent_hash, received_hash;
};

class TransferApp::Observer final : public ConnectionObserver {
 public:
  Observer(TransferApp& app, PerConnection& connection) : app_(app), connection_(connection) {}
  void OnHandshakeCompleted() override {
    connection_.record.established = true;
    if (const QuicConnection* quic = app_.endpoint_->Find(connection_.handle)) {
      connection_.record.original_dcid = quic->original_dcid();
    }
    if (app_.on_established) app_.on_established(connection_.handle);
  }
  void OnStreamOpened(int64_t) override {}
  void OnStreamData(int64_t id, std::span<const uint8_t> data, bool fin) override {
    app_.OnData(connection_, id, data, fin);
  }
  void OnStreamWritable(int64_t id) override { app_.Pump(connection_, id); }
  void OnStreamReset(int64_t id, uint64_t) override {
    auto it = connection_.incoming.find(id);
    if (it != connection_.incoming.end()) app_.received_[it->second.tag].reset = true;
  }
  void OnStreamWriteStopped(int64_t id) override {
    auto it = connection_.outgoing.find(id);
    if (it != connection_.outgoing.end()) app_.sent_[it->second.tag].reset = true;
  }
  void OnStreamClosed(int64_t, uint64_t) override {}

 private:
  TransferApp& app_;
  PerConnection& connection_;
};

TransferApp::TransferApp(const Clock& clock) : clock_(clock) {}
TransferApp::~TransferApp() = default;

EndpointDelegate::ConnectionParts TransferApp::OnConnectionCreated(ConnectionHandle handle,
                                                                   bool inbound,
                                                                   const NetworkPath& path) {
  auto& slot = connections_[handle.index];
  slot = std::make_unique<PerConnection>(clock_);
  slot->handle = handle;
  slot->record.inbound = inbound;
  slot->record.peer = path.remote;
  slot->observer = std::make_unique<Observer>(*this, *slot);
  return {slot->observer.get(), &slot->verifier};
}

void TransferApp::OnConnectionClosed(ConnectionHandle handle, const ConnectionEnd& end) {
  if (PerConnection* connection = Find(handle)) {
    connection->record.closed = true;
    connection->record.close_reason = end.reason;
    connection->record.close_cause = end.cause;
    connection->record.closed_at = clock_.Now();
    connection->record.original_dcid = end.original_dcid;
  }
}

void TransferApp::Detach(const std::string& reason) {
  for (auto& [index, connection] : connections_) {
    if (connection->record.closed) continue;
    connection->record.closed = true;
    connection->record.close_reason = reason;
  }
  endpoint_ = nullptr;
}

TransferApp::PerConnection* TransferApp::Find(ConnectionHandle handle) {
  if (endpoint_ == nullptr) return nullptr;  // Detached: nothing is live.
  auto it = connections_.find(handle.index);
  return it == connections_.end() || it->second->handle != handle ? nullptr : it->second.get();
}

const ConnectionRecord* TransferApp::Connection(ConnectionHandle handle) const {
  auto it = connections_.find(handle.index);
  return it == connections_.end() || it->second->handle != handle ? nullptr : &it->second->record;
}

const ConnectionRecord* TransferApp::FindInbound(const ConnectionId& original_dcid,
                                                 const SocketAddress& peer) const {
  std::vector<const ConnectionRecord*> matches;
  for (const auto& [index, connection] : connections_) {
    const ConnectionRecord& record = connection->record;
    if (!record.inbound) continue;
    ConnectionId dcid = record.original_dcid;
    if (dcid.empty()) {
      if (const QuicConnection* quic = endpoint_->Find(connection->handle)) {
        dcid = quic->original_dcid();
      }
    }
    if (dcid == original_dcid) matches.push_back(&record);
  }
  if (matches.size() == 1) return matches.front();
  const ConnectionRecord* found = nullptr;
  for (const ConnectionRecord* record : matches) {
    if (record->peer != peer) continue;
    if (found != nullptr) return nullptr;  // Same DCID from the same address: ambiguous.
    found = record;
  }
  return found;
}

SendStatus TransferApp::OpenStream(ConnectionHandle handle, uint64_t tag, int64_t* stream_id) {
  PerConnection* connection = Find(handle);
  QuicConnection* quic = connection == nullptr ? nullptr : endpoint_->Find(handle);
  if (quic == nullptr) return SendStatus::kUnknownConnection;
  if (!connection->record.established) return SendStatus::kNotEstablished;
  if (quic->OpenStream(stream_id) != StreamResult::kOk) return SendStatus::kStreamError;
  Outgoing& out = connection->outgoing[*stream_id];
  out.tag = tag;
  for (size_t i = 0; i < kTagBytes; ++i) out.header[i] = static_cast<uint8_t>(tag >> (56 - 8 * i));
  sent_[tag].tag = tag;
  Pump(*connection, *stream_id);
  return SendStatus::kQueued;
}

SendStatus TransferApp::Send(ConnectionHandle handle, int64_t stream_id, uint64_t bytes, bool fin) {
  PerConnection* connection = Find(handle);
  if (connection == nullptr || endpoint_->Find(handle) == nullptr) {
    return SendStatus::kUnknownConnection;
  }
  auto it = connection->outgoing.find(stream_id);
  if (it == connection->outgoing.end() || it->second.fin_wanted) return SendStatus::kStreamError;
  it->second.queued += bytes;
  it->second.fin_wanted = fin;
  Pump(*connection, stream_id);
  return SendStatus::kQueued;
}

void TransferApp::Pump(PerConnection& connection, int64_t stream_id) {
  QuicConnection* quic = endpoint_->Find(connection.handle);
  auto it = connection.outgoing.find(stream_id);
  if (quic == nullptr || it == connection.outgoing.end()) return;
  Outgoing& out = it->second;
  StreamRecord& record = sent_[out.tag];
  if (record.fin || record.reset) return;
  size_t accepted = 0;
  if (out.header_sent < kTagBytes) {
    quic->WriteStream(stream_id, std::span(out.header).subspan(out.header_sent), false, &accepted);
    out.header_sent += accepted;
    if (out.header_sent < kTagBytes) return;  // OnStreamWritable resumes.
  }
  std::array<uint8_t, kChunkBytes> chunk;
  while (record.payload_bytes < out.queued) {
    // At most the free space (bytes made and thrown away cost a busy run
    // most of its time), but never zero: a short write is what asks the
    // connection for OnStreamWritable.
    const size_t space = std::max<size_t>(quic->StreamSendSpace(stream_id), 1);
    const size_t size = static_cast<size_t>(
        std::min<uint64_t>({kChunkBytes, out.queued - record.payload_bytes, space}));
    FillPayload(out.tag, record.payload_bytes, std::span(chunk).first(size));
    if (quic->WriteStream(stream_id, std::span(chunk).first(size), false, &accepted) !=
        StreamResult::kOk) {
      return;
    }
    connection.sent_hash[stream_id].Update(std::span(chunk).first(accepted));
    record.payload_bytes += accepted;
    record.hash = connection.sent_hash[stream_id].value();
    if (accepted < size) return;
  }
  if (out.fin_wanted && quic->ShutdownStream(stream_id) == StreamResult::kOk) record.fin = true;
  endpoint_->Flush(connection.handle);
}

void TransferApp::OnData(PerConnection& connection, int64_t stream_id,
                         std::span<const uint8_t> data, bool fin) {
  if (QuicConnection* quic = endpoint_->Find(connection.handle)) {
    quic->ConsumeStream(stream_id, data.size());
  }
  Incoming& in = connection.incoming[stream_id];
  while (in.header_received < kTagBytes && !data.empty()) {
    in.header[in.header_received++] = data.front();
    data = data.subspan(1);
    if (in.header_received == kTagBytes) {
      for (uint8_t b : in.header) in.tag = (in.tag << 8) | b;
      received_[in.tag].tag = in.tag;
    }
  }
  if (in.header_received < kTagBytes) return;
  StreamRecord& record = received_[in.tag];
  StreamHash& hash = connection.received_hash[stream_id];
  hash.Update(data);
  record.payload_bytes += data.size();
  record.hash = hash.value();
  if (fin) record.fin = true;
}

}  // namespace p2pquic::scenarios
