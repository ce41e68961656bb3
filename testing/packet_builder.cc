#include "testing/packet_builder.h"

#include <algorithm>

namespace p2pquic::testing {
namespace {

void Append(std::vector<uint8_t>& out, const ConnectionId& cid) {
  out.insert(out.end(), cid.bytes().begin(), cid.bytes().end());
}

}  // namespace

std::vector<uint8_t> ShortHeaderPacket(const ConnectionId& dcid, size_t payload_size) {
  std::vector<uint8_t> out = {0x41};
  Append(out, dcid);
  for (size_t i = 0; i < payload_size; ++i) out.push_back(static_cast<uint8_t>(0xa0 + i));
  return out;
}

std::vector<uint8_t> StatelessResetPacket(const StatelessResetToken& token, size_t size) {
  std::vector<uint8_t> out(size, 0x5a);
  out[0] = 0x43;
  std::copy(token.begin(), token.end(), out.end() - kStatelessResetTokenLength);
  return out;
}

std::vector<uint8_t> LongHeaderPacket(LongType type, const ConnectionId& dcid,
                                      const ConnectionId& scid, size_t datagram_size,
                                      uint32_t version) {
  std::vector<uint8_t> out = {static_cast<uint8_t>(0xc0 | (static_cast<uint8_t>(type) << 4))};
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<uint8_t>(version >> shift));
  out.push_back(static_cast<uint8_t>(dcid.size()));
  Append(out, dcid);
  out.push_back(static_cast<uint8_t>(scid.size()));
  Append(out, scid);
  if (type == LongType::kInitial) out.push_back(0);  // Token length.
  out.resize(std::max(datagram_size, out.size() + 4), 0);
  return out;
}

ConnectionId MakeCid(uint64_t value, size_t length) {
  uint8_t bytes[kMaxConnectionIdLength] = {};
  for (size_t i = 0; i < length && i < 8; ++i) {
    bytes[length - 1 - i] = static_cast<uint8_t>(value >> (8 * i));
  }
  ConnectionId cid;
  ConnectionId::FromBytes({bytes, length}, &cid);
  return cid;
}

}  // namespace p2pquic::testing
