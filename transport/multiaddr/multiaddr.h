// Multiaddr: a libp2p QUIC address, `/ip4|ip6/<addr>/udp/<port>/quic-v1`
// optionally followed by `/p2p/<peer-id>`, in text and binary (multicodec)
// form. Only this shape exists here: parsing anything else fails with an
// error naming the bad component, and /quic (QUIC draft-29) is refused as
// unsupported. Every non-empty Multiaddr is well formed, so formatting and
// accessors cannot fail. Parsing takes untrusted input and never crashes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "transport/identity/peer_id.h"
#include "transport/multiaddr/multiaddr_error.h"
#include "transport/base/socket_address.h"

namespace p2pquic {

// Far beyond the longest valid address (IPv6 with a CID peer ID, ~160
// characters / ~70 bytes); bounds the work spent on garbage.
inline constexpr size_t kMaxMultiaddrTextLength = 1024;
inline constexpr size_t kMaxMultiaddrBytes = 256;

class Multiaddr {
 public:
  Multiaddr() = default;  // Empty: formats as "" and has no address.

  // The multiaddr of a QUIC v1 endpoint; empty if `address` is unspecified.
  static Multiaddr QuicV1(const SocketAddress& address, std::optional<PeerId> peer = std::nullopt);

  // On error `out` is unchanged.
  static MultiaddrError Parse(std::string_view text, Multiaddr* out);
  static MultiaddrError FromBytes(std::span<const uint8_t> bytes, Multiaddr* out);

  bool empty() const { return address_.family() == AddressFamily::kUnspecified; }
  // Text form; the peer ID in base58btc, IPv6 in RFC 5952 form.
  std::string ToString() const;
  // Binary form: varint protocol codes, each followed by its value.
  std::vector<uint8_t> ToBytes() const;

  const SocketAddress& socket_address() const { return address_; }
  const std::optional<PeerId>& peer_id() const { return peer_; }

  // The same address ending in /p2p/<peer> (replacing any peer ID), or without one.
  Multiaddr WithPeerId(const PeerId& peer) const;
  Multiaddr WithoutPeerId() const;

  friend bool operator==(const Multiaddr&, const Multiaddr&) = default;

 private:
  SocketAddress address_;
  std::optional<PeerId> peer_;
};

}  // namespace p2pquic
