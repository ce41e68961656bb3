// MultistreamReader: splits a byte stream into multistream-select messages
// (<uvarint length><text>'\n'), enforcing kMaxMultistreamMessageBytes and the
// trailing newline.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "transport/protocols/length_prefixed_reader.h"
#include "transport/protocols/multistream_step.h"

namespace p2pquic::protocols {

enum class MultistreamReadStatus : uint8_t {
  kNeedMore,  // All input consumed, no complete message yet.
  kMessage,   // text() holds the next message.
  kError,     // error() says why; final.
};

const char* ToString(MultistreamReadStatus status);

class MultistreamReader {
 public:
  MultistreamReader();

  // Consumes bytes from the front of `in` (advancing it) up to the end of the
  // next complete message; later bytes stay in `in`.
  MultistreamReadStatus Next(std::span<const uint8_t>& in);

  // The message just read, without its newline; valid until the next call.
  std::string_view text() const;
  MultistreamError error() const { return error_; }

 private:
  MultistreamReadStatus Fail(MultistreamError error);

  LengthPrefixedReader frames_;
  MultistreamError error_ = MultistreamError::kNone;
};

}  // namespace p2pquic::protocols
