#include "transport/protocols/perf_output.h"

#include <algorithm>

namespace p2pquic::protocols {
namespace {

constexpr std::array<uint8_t, kMaxPerfChunkBytes> kZeros{};
constexpr int kBitsPerByte = 8;

}  // namespace

PerfOutput PerfOutput::WithHeader(uint64_t header_value, uint64_t body_bytes) {
  PerfOutput output = BodyOnly(body_bytes);
  for (size_t i = 0; i < kPerfHeaderBytes; ++i) {
    const int shift = kBitsPerByte * static_cast<int>(kPerfHeaderBytes - 1 - i);
    output.header_[i] = static_cast<uint8_t>(header_value >> shift);
  }
  output.header_bytes_ = kPerfHeaderBytes;
  return output;
}

PerfOutput PerfOutput::BodyOnly(uint64_t body_bytes) {
  PerfOutput output;
  output.body_remaining_ = body_bytes;
  return output;
}

std::span<const uint8_t> PerfOutput::NextChunk() const {
  if (header_sent_ < header_bytes_) {
    return std::span<const uint8_t>(header_).subspan(header_sent_, header_bytes_ - header_sent_);
  }
  const uint64_t size = std::min<uint64_t>(body_remaining_, kMaxPerfChunkBytes);
  return std::span<const uint8_t>(kZeros).first(static_cast<size_t>(size));
}

PerfResult PerfOutput::Advance(size_t bytes) {
  if (bytes > NextChunk().size()) return PerfResult::kAdvanceTooFar;
  if (header_sent_ < header_bytes_) {
    header_sent_ += bytes;
  } else {
    body_remaining_ -= bytes;
    body_sent_ += bytes;
  }
  return PerfResult::kOk;
}

}  // namespace p2pquic::protocols
