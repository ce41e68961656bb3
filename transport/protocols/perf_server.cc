#include "transport/protocols/perf_server.h"

#include <algorithm>

namespace p2pquic::protocols {
namespace {

constexpr int kBitsPerByte = 8;

}  // namespace

const char* ToString(PerfServerState state) {
  switch (state) {
    case PerfServerState::kReadingHeader:
      return "reading header";
    case PerfServerState::kReceiving:
      return "receiving";
    case PerfServerState::kSending:
      return "sending";
    case PerfServerState::kDone:
      return "done";
    case PerfServerState::kFailed:
      return "failed";
  }
  return "unknown";
}

PerfServer::PerfServer(uint64_t max_send_bytes) : max_send_bytes_(max_send_bytes) {}

PerfResult PerfServer::Feed(std::span<const uint8_t> in) {
  if (failure_ != PerfResult::kOk) return failure_;
  if (input_finished_) return in.empty() ? PerfResult::kOk : Fail(PerfResult::kUnexpectedData);
  in = in.subspan(ReadHeader(in));
  if (header_bytes_ == kPerfHeaderBytes && requested_bytes_ > max_send_bytes_) {
    return Fail(PerfResult::kRequestTooLarge);
  }
  received_bytes_ += in.size();
  return PerfResult::kOk;
}

PerfResult PerfServer::FinishInput() {
  if (failure_ != PerfResult::kOk || input_finished_) return failure_;
  if (header_bytes_ < kPerfHeaderBytes) return Fail(PerfResult::kShortHeader);
  input_finished_ = true;
  output_ = PerfOutput::BodyOnly(requested_bytes_);
  return PerfResult::kOk;
}

std::span<const uint8_t> PerfServer::NextChunk() const {
  if (failure_ != PerfResult::kOk) return {};
  return output_.NextChunk();
}

PerfResult PerfServer::Advance(size_t bytes) {
  if (failure_ != PerfResult::kOk) return failure_;
  return output_.Advance(bytes);
}

PerfServerState PerfServer::state() const {
  if (failure_ != PerfResult::kOk) return PerfServerState::kFailed;
  if (header_bytes_ < kPerfHeaderBytes) return PerfServerState::kReadingHeader;
  if (!input_finished_) return PerfServerState::kReceiving;
  return output_.Done() ? PerfServerState::kDone : PerfServerState::kSending;
}

size_t PerfServer::ReadHeader(std::span<const uint8_t> in) {
  const size_t take = std::min(in.size(), kPerfHeaderBytes - header_bytes_);
  for (size_t i = 0; i < take; ++i) {
    ++header_bytes_;
    requested_bytes_ = (requested_bytes_ << kBitsPerByte) | in[i];
  }
  return take;
}

PerfResult PerfServer::Fail(PerfResult result) {
  failure_ = result;
  return result;
}

}  // namespace p2pquic::protocols
