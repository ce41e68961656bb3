#include "transport/multiaddr/multiaddr.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <cstdio>

#include "transport/identity/varint.h"

namespace p2pquic {
namespace {

// Multicodec names and codes (github.com/multiformats/multicodec).
struct Protocol {
  std::string_view name;
  uint64_t code;
};

constexpr Protocol kIp4{"ip4", 0x04};
constexpr Protocol kIp6{"ip6", 0x29};
constexpr Protocol kUdp{"udp", 0x0111};
constexpr Protocol kQuic{"quic", 0x01cc};  // QUIC draft-29: refused.
constexpr Protocol kQuicV1{"quic-v1", 0x01cd};
constexpr Protocol kP2p{"p2p", 0x01a5};
constexpr std::string_view kP2pLegacyName = "ipfs";  // Old spelling of /p2p, read only.
constexpr Protocol kKnown[] = {kIp4, kIp6, kUdp, kQuic, kQuicV1, kP2p};

constexpr size_t kIp4Bytes = 4;
constexpr size_t kIp6Bytes = 16;
constexpr size_t kPortBytes = 2;
constexpr size_t kMaxPortDigits = 5;
constexpr uint32_t kMaxPort = 65535;

const Protocol* ByName(std::string_view name) {
  for (const Protocol& protocol : kKnown) {
    if (protocol.name == name) return &protocol;
  }
  return nullptr;
}

const Protocol* ByCode(uint64_t code) {
  for (const Protocol& protocol : kKnown) {
    if (protocol.code == code) return &protocol;
  }
  return nullptr;
}

MultiaddrError Error(MultiaddrStatus status, std::string_view detail = {}) {
  return MultiaddrError{status, std::string(detail), PeerIdStatus::kOk};
}

std::string Hex(uint64_t value) {
  char text[2 + 16 + 1];
  std::snprintf(text, sizeof(text), "0x%llx", static_cast<unsigned long long>(value));
  return text;
}

std::string Hex(std::span<const uint8_t> bytes) {
  std::string text;
  char pair[3];
  for (uint8_t byte : bytes) {
    std::snprintf(pair, sizeof(pair), "%02x", byte);
    text += pair;
  }
  return text;
}

// A component where another was expected: named after the expectation when
// we know the protocol, else "unknown protocol".
MultiaddrError Misplaced(std::string_view name, MultiaddrStatus if_known) {
  return ByName(name) != nullptr || name == kP2pLegacyName
             ? Error(if_known, name)
             : Error(MultiaddrStatus::kUnknownProtocol, name);
}

MultiaddrError MisplacedCode(uint64_t code, MultiaddrStatus if_known) {
  const Protocol* protocol = ByCode(code);
  return protocol != nullptr ? Error(if_known, protocol->name)
                             : Error(MultiaddrStatus::kUnknownProtocolCode, Hex(code));
}

// --- Text form -------------------------------------------------------------

enum class Step : uint8_t { kEnd, kComponent, kEmptyComponent };

// The '/'-separated components after the leading '/'.
class Components {
 public:
  explicit Components(std::string_view path) : rest_(path), more_(!path.empty()) {}

  Step Next(std::string_view* component) {
    if (!more_) return Step::kEnd;
    const size_t slash = rest_.find('/');
    *component = rest_.substr(0, slash);
    more_ = slash != std::string_view::npos;
    rest_ = more_ ? rest_.substr(slash + 1) : std::string_view();
    return component->empty() ? Step::kEmptyComponent : Step::kComponent;
  }

 private:
  std::string_view rest_;
  bool more_;
};

MultiaddrError NextValue(Components& parts, std::string_view protocol, std::string_view* value) {
  if (parts.Next(value) != Step::kComponent) return Error(MultiaddrStatus::kMissingValue, protocol);
  return {};
}

MultiaddrError ParseIp(Components& parts, std::string_view name, SocketAddress* address) {
  std::string_view value;
  MultiaddrError error = NextValue(parts, name, &value);
  if (!error.ok()) return error;
  const std::string text(value);
  const bool v4 = name == kIp4.name;
  std::array<uint8_t, kIp6Bytes> bytes{};
  if (inet_pton(v4 ? AF_INET : AF_INET6, text.c_str(), bytes.data()) != 1) {
    return Error(v4 ? MultiaddrStatus::kBadIp4 : MultiaddrStatus::kBadIp6, value);
  }
  *address = v4 ? SocketAddress::Ipv4({bytes[0], bytes[1], bytes[2], bytes[3]}, 0)
                : SocketAddress::Ipv6(bytes, 0);
  return {};
}

MultiaddrError ParsePort(std::string_view value, uint16_t* port) {
  if (value.find_first_not_of("0123456789") != std::string_view::npos) {
    return Error(MultiaddrStatus::kBadPort, value);
  }
  const size_t significant = value.find_first_not_of('0');
  const std::string_view digits =
      significant == std::string_view::npos ? std::string_view("0") : value.substr(significant);
  uint32_t number = 0;
  for (char digit : digits.substr(0, kMaxPortDigits + 1)) number = number * 10 + (digit - '0');
  if (digits.size() > kMaxPortDigits || number > kMaxPort) {
    return Error(MultiaddrStatus::kPortOutOfRange, value);
  }
  *port = static_cast<uint16_t>(number);
  return {};
}

MultiaddrError ParseUdp(Components& parts, uint16_t* port) {
  std::string_view name;
  const Step step = parts.Next(&name);
  if (step == Step::kEnd) return Error(MultiaddrStatus::kMissingUdp);
  if (step == Step::kEmptyComponent) return Error(MultiaddrStatus::kEmptyComponent);
  if (name != kUdp.name) return Misplaced(name, MultiaddrStatus::kMissingUdp);
  std::string_view value;
  const MultiaddrError error = NextValue(parts, name, &value);
  return error.ok() ? ParsePort(value, port) : error;
}

MultiaddrError ParseQuicV1(Components& parts) {
  std::string_view name;
  const Step step = parts.Next(&name);
  if (step == Step::kEnd) return Error(MultiaddrStatus::kMissingQuicV1);
  if (step == Step::kEmptyComponent) return Error(MultiaddrStatus::kEmptyComponent);
  if (name == kQuic.name) return Error(MultiaddrStatus::kQuicDraft29Unsupported);
  if (name != kQuicV1.name) return Misplaced(name, MultiaddrStatus::kMissingQuicV1);
  return {};
}

// The optional /p2p/<id>, then nothing.
MultiaddrError ParseTail(Components& parts, std::optional<PeerId>* peer) {
  std::string_view name;
  Step step = parts.Next(&name);
  if (step == Step::kComponent && (name == kP2p.name || name == kP2pLegacyName)) {
    std::string_view value;
    const MultiaddrError error = NextValue(parts, kP2p.name, &value);
    if (!error.ok()) return error;
    PeerId id;
    const PeerIdStatus status = PeerId::Parse(value, &id);
    if (status != PeerIdStatus::kOk) {
      return MultiaddrError{MultiaddrStatus::kBadPeerId, std::string(value), status};
    }
    *peer = std::move(id);
    step = parts.Next(&name);
  }
  if (step == Step::kEnd) return {};
  if (step == Step::kEmptyComponent) return Error(MultiaddrStatus::kEmptyComponent);
  return Misplaced(name, MultiaddrStatus::kUnexpectedComponent);
}

MultiaddrError ParseComponents(Components& parts, SocketAddress* address,
                               std::optional<PeerId>* peer) {
  std::string_view name;
  const Step step = parts.Next(&name);
  if (step == Step::kEnd) return Error(MultiaddrStatus::kExpectedIp);
  if (step == Step::kEmptyComponent) return Error(MultiaddrStatus::kEmptyComponent);
  if (name != kIp4.name && name != kIp6.name) return Misplaced(name, MultiaddrStatus::kExpectedIp);
  MultiaddrError error = ParseIp(parts, name, address);
  uint16_t port = 0;
  if (error.ok()) error = ParseUdp(parts, &port);
  if (error.ok()) error = ParseQuicV1(parts);
  if (error.ok()) error = ParseTail(parts, peer);
  if (error.ok()) *address = address->WithPort(port);
  return error;
}

// --- Binary form -----------------------------------------------------------

class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> bytes) : rest_(bytes) {}

  bool AtEnd() const { return rest_.empty(); }
  size_t remaining() const { return rest_.size(); }

  bool Varint(uint64_t* value) {
    size_t used = 0;
    if (Varint::Read(rest_, value, &used) != VarintStatus::kOk) return false;
    rest_ = rest_.subspan(used);
    return true;
  }

  bool Take(size_t count, std::span<const uint8_t>* out) {
    if (rest_.size() < count) return false;
    *out = rest_.first(count);
    rest_ = rest_.subspan(count);
    return true;
  }

 private:
  std::span<const uint8_t> rest_;
};

MultiaddrError ReadIp(ByteReader& reader, SocketAddress* address) {
  uint64_t code = 0;
  if (!reader.Varint(&code)) return Error(MultiaddrStatus::kBadVarint);
  if (code != kIp4.code && code != kIp6.code) {
    return MisplacedCode(code, MultiaddrStatus::kExpectedIp);
  }
  const bool v4 = code == kIp4.code;
  std::span<const uint8_t> value;
  if (!reader.Take(v4 ? kIp4Bytes : kIp6Bytes, &value)) {
    return Error(MultiaddrStatus::kTruncated, v4 ? kIp4.name : kIp6.name);
  }
  std::array<uint8_t, kIp6Bytes> bytes{};
  std::copy(value.begin(), value.end(), bytes.begin());
  *address = v4 ? SocketAddress::Ipv4({bytes[0], bytes[1], bytes[2], bytes[3]}, 0)
                : SocketAddress::Ipv6(bytes, 0);
  return {};
}

MultiaddrError ReadUdp(ByteReader& reader, uint16_t* port) {
  uint64_t code = 0;
  if (reader.AtEnd()) return Error(MultiaddrStatus::kMissingUdp);
  if (!reader.Varint(&code)) return Error(MultiaddrStatus::kBadVarint);
  if (code != kUdp.code) return MisplacedCode(code, MultiaddrStatus::kMissingUdp);
  std::span<const uint8_t> value;
  if (!reader.Take(kPortBytes, &value)) return Error(MultiaddrStatus::kTruncated, kUdp.name);
  *port = static_cast<uint16_t>((value[0] << 8) | value[1]);
  return {};
}

MultiaddrError ReadQuicV1(ByteReader& reader) {
  uint64_t code = 0;
  if (reader.AtEnd()) return Error(MultiaddrStatus::kMissingQuicV1);
  if (!reader.Varint(&code)) return Error(MultiaddrStatus::kBadVarint);
  if (code == kQuic.code) return Error(MultiaddrStatus::kQuicDraft29Unsupported);
  if (code != kQuicV1.code) return MisplacedCode(code, MultiaddrStatus::kMissingQuicV1);
  return {};
}

// The optional /p2p component; anything else after /quic-v1 is trailing.
MultiaddrError ReadTail(ByteReader& reader, std::optional<PeerId>* peer) {
  if (reader.AtEnd()) return {};
  const size_t tail = reader.remaining();
  uint64_t code = 0;
  if (!reader.Varint(&code) || code != kP2p.code) {
    return Error(MultiaddrStatus::kTrailingBytes, std::to_string(tail));
  }
  uint64_t length = 0;
  std::span<const uint8_t> multihash;
  if (!reader.Varint(&length)) return Error(MultiaddrStatus::kBadVarint);
  if (!reader.Take(length, &multihash)) return Error(MultiaddrStatus::kTruncated, kP2p.name);
  PeerId id;
  const PeerIdStatus status = PeerId::FromBytes(multihash, &id);
  if (status != PeerIdStatus::kOk) {
    return MultiaddrError{MultiaddrStatus::kBadPeerId, Hex(multihash), status};
  }
  if (!reader.AtEnd()) {
    return Error(MultiaddrStatus::kTrailingBytes, std::to_string(reader.remaining()));
  }
  *peer = std::move(id);
  return {};
}

}  // namespace

Multiaddr Multiaddr::QuicV1(const SocketAddress& address, std::optional<PeerId> peer) {
  Multiaddr multiaddr;
  if (address.family() == AddressFamily::kUnspecified) return multiaddr;
  multiaddr.address_ = address;
  if (peer.has_value() && !peer->empty()) multiaddr.peer_ = std::move(peer);
  return multiaddr;
}

MultiaddrError Multiaddr::Parse(std::string_view text, Multiaddr* out) {
  if (text.empty()) return Error(MultiaddrStatus::kEmpty);
  if (text.size() > kMaxMultiaddrTextLength) return Error(MultiaddrStatus::kTooLong);
  if (text.front() != '/') return Error(MultiaddrStatus::kMissingLeadingSlash);
  std::string_view path = text.substr(1);
  if (path.ends_with('/')) path.remove_suffix(1);  // One trailing '/' is tolerated.
  Components parts(path);
  Multiaddr parsed;
  const MultiaddrError error = ParseComponents(parts, &parsed.address_, &parsed.peer_);
  if (error.ok()) *out = std::move(parsed);
  return error;
}

MultiaddrError Multiaddr::FromBytes(std::span<const uint8_t> bytes, Multiaddr* out) {
  if (bytes.empty()) return Error(MultiaddrStatus::kEmpty);
  if (bytes.size() > kMaxMultiaddrBytes) return Error(MultiaddrStatus::kTooLong);
  ByteReader reader(bytes);
  Multiaddr parsed;
  uint16_t port = 0;
  MultiaddrError error = ReadIp(reader, &parsed.address_);
  if (error.ok()) error = ReadUdp(reader, &port);
  if (error.ok()) error = ReadQuicV1(reader);
  if (error.ok()) error = ReadTail(reader, &parsed.peer_);
  if (!error.ok()) return error;
  parsed.address_ = parsed.address_.WithPort(port);
  *out = std::move(parsed);
  return error;
}

std::string Multiaddr::ToString() const {
  if (empty()) return "";
  const bool v4 = address_.family() == AddressFamily::kIpv4;
  char host[INET6_ADDRSTRLEN] = {};
  inet_ntop(v4 ? AF_INET : AF_INET6, address_.address_bytes().data(), host, sizeof(host));
  std::string text = "/" + std::string(v4 ? kIp4.name : kIp6.name) + "/" + host + "/" +
                     std::string(kUdp.name) + "/" + std::to_string(address_.port()) + "/" +
                     std::string(kQuicV1.name);
  if (peer_.has_value()) text += "/" + std::string(kP2p.name) + "/" + peer_->ToString();
  return text;
}

std::vector<uint8_t> Multiaddr::ToBytes() const {
  std::vector<uint8_t> bytes;
  if (empty()) return bytes;
  const bool v4 = address_.family() == AddressFamily::kIpv4;
  Varint::Append(v4 ? kIp4.code : kIp6.code, &bytes);
  const auto host = address_.address_bytes();
  bytes.insert(bytes.end(), host.begin(), host.end());
  Varint::Append(kUdp.code, &bytes);
  bytes.push_back(static_cast<uint8_t>(address_.port() >> 8));
  bytes.push_back(static_cast<uint8_t>(address_.port() & 0xff));
  Varint::Append(kQuicV1.code, &bytes);
  if (peer_.has_value()) {
    Varint::Append(kP2p.code, &bytes);
    Varint::Append(peer_->bytes().size(), &bytes);
    bytes.insert(bytes.end(), peer_->bytes().begin(), peer_->bytes().end());
  }
  return bytes;
}

Multiaddr Multiaddr::WithPeerId(const PeerId& peer) const { return QuicV1(address_, peer); }

Multiaddr Multiaddr::WithoutPeerId() const { return QuicV1(address_); }

}  // namespace p2pquic
