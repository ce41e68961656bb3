// Encoding and one-shot decoding of multiformats unsigned varints (see
// uvarint_decoder.h for the format), and the length-prefixed framing built on
// them: <uvarint length><length bytes>.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "transport/protocols/uvarint_decoder.h"

namespace p2pquic::protocols {

// Appends the minimal encoding of `value` to `out`. kValueTooLarge (nothing
// appended) when `value` is above kMaxUvarintValue.
UvarintStatus AppendUvarint(uint64_t value, std::vector<uint8_t>& out);

// Bytes AppendUvarint writes for `value` (values above kMaxUvarintValue: the
// 10 bytes they would need, which no decoder here accepts).
size_t UvarintSize(uint64_t value);

struct UvarintParse {
  UvarintStatus status = UvarintStatus::kTruncated;
  uint64_t value = 0;  // Set when status is kOk.
  size_t size = 0;     // Bytes the varint took, when status is kOk.
};

// Decodes the varint at the start of `in`. kTruncated when `in` ends first.
UvarintParse ParseUvarint(std::span<const uint8_t> in);

// Appends <uvarint payload.size()><payload> to `out`.
void AppendLengthPrefixed(std::span<const uint8_t> payload, std::vector<uint8_t>& out);

}  // namespace p2pquic::protocols
