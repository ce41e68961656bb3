#include "transport/host/identify_service.h"

#include <memory>
#include <optional>

#include "transport/host/stream_abort_code.h"
#include "transport/multiaddr/multiaddr.h"
#include "transport/protocols/identify_codec.h"

namespace p2pquic {
namespace {

// The longest frame AppendIdentifyFrame produces: the largest message and
// its uvarint length prefix.
constexpr size_t kMaxLengthPrefixBytes = 10;
constexpr size_t kMaxIdentifyFrameBytes =
    protocols::kMaxIdentifyMessageBytes + kMaxLengthPrefixBytes;

}  // namespace

void IdentifyService::Register(Libp2pHost& host) {
  host.Handle(std::string(protocols::kIdentifyProtocolId),
              [&host] { return std::make_unique<IdentifyService>(host); });
}

IdentifyService::IdentifyService(const Libp2pHost& host)
    : host_(host), output_(kMaxIdentifyFrameBytes) {}

protocols::IdentifyMessage IdentifyService::Describe(const Libp2pHost& host,
                                                     ConnectionHandle connection) {
  protocols::IdentifyMessage message;
  message.public_key = host.identity().public_key().Encode();
  message.listen_addrs = {host.ListenAddress().WithoutPeerId().ToBytes()};
  if (const std::optional<SocketAddress> remote = host.RemoteAddressOf(connection)) {
    message.observed_addr = Multiaddr::QuicV1(*remote).ToBytes();
  }
  message.protocols = host.Protocols();
  message.protocol_version = host.options().protocol_version;
  message.agent_version = host.options().agent_version;
  return message;
}

void IdentifyService::OnOpen(Libp2pStream& stream) {
  std::vector<uint8_t> frame;
  const protocols::IdentifyResult encoded =
      protocols::AppendIdentifyFrame(Describe(host_, stream.connection()), frame);
  if (encoded != protocols::IdentifyResult::kOk ||
      output_.Write(stream, frame) != PendingWriteResult::kOk) {
    write_closed_ = true;
    stream.Reset(kStreamAbortCode);
    return;
  }
  MaybeCloseWrite(stream);
}

void IdentifyService::OnData(Libp2pStream&, std::span<const uint8_t>) {
  // The requester has nothing to say on this protocol; ignore it.
}

void IdentifyService::OnRemoteClosed(Libp2pStream&) {}

void IdentifyService::OnWritable(Libp2pStream& stream) {
  if (write_closed_) return;
  output_.Flush(stream);
  MaybeCloseWrite(stream);
}

void IdentifyService::OnReset(Libp2pStream& stream, uint64_t) {
  if (write_closed_) return;
  write_closed_ = true;
  stream.Reset(kStreamAbortCode);
}

void IdentifyService::OnNegotiationFailed(const std::string&) {
  // Inbound streams never fail negotiation after a handler exists.
}

void IdentifyService::MaybeCloseWrite(Libp2pStream& stream) {
  if (write_closed_ || !output_.empty()) return;
  write_closed_ = true;
  stream.CloseWrite();
}

}  // namespace p2pquic
