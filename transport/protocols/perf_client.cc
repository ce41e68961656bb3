#include "transport/protocols/perf_client.h"

namespace p2pquic::protocols {

const char* ToString(PerfClientState state) {
  switch (state) {
    case PerfClientState::kUploading:
      return "uploading";
    case PerfClientState::kDownloading:
      return "downloading";
    case PerfClientState::kDone:
      return "done";
    case PerfClientState::kFailed:
      return "failed";
  }
  return "unknown";
}

PerfClient::PerfClient(uint64_t upload_bytes, uint64_t download_bytes)
    : download_bytes_(download_bytes),
      output_(PerfOutput::WithHeader(download_bytes, upload_bytes)) {}

std::span<const uint8_t> PerfClient::NextChunk() const {
  if (failure_ != PerfResult::kOk) return {};
  return output_.NextChunk();
}

PerfResult PerfClient::Advance(size_t bytes) {
  if (failure_ != PerfResult::kOk) return failure_;
  return output_.Advance(bytes);
}

PerfResult PerfClient::Feed(std::span<const uint8_t> in) {
  if (failure_ != PerfResult::kOk) return failure_;
  if (in.empty()) return PerfResult::kOk;
  if (input_finished_ || in.size() > download_bytes_ - downloaded_bytes_) {
    return Fail(PerfResult::kUnexpectedData);
  }
  downloaded_bytes_ += in.size();
  return PerfResult::kOk;
}

PerfResult PerfClient::FinishInput() {
  if (failure_ != PerfResult::kOk || input_finished_) return failure_;
  input_finished_ = true;
  if (downloaded_bytes_ != download_bytes_) return Fail(PerfResult::kByteCountMismatch);
  return PerfResult::kOk;
}

PerfClientState PerfClient::state() const {
  if (failure_ != PerfResult::kOk) return PerfClientState::kFailed;
  if (!output_.Done()) return PerfClientState::kUploading;
  return input_finished_ ? PerfClientState::kDone : PerfClientState::kDownloading;
}

PerfResult PerfClient::Fail(PerfResult result) {
  failure_ = result;
  return result;
}

}  // namespace p2pquic::protocols
