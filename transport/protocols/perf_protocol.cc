#include "transport/protocols/perf_protocol.h"

namespace p2pquic::protocols {

const char* ToString(PerfResult result) {
  switch (result) {
    case PerfResult::kOk:
      return "ok";
    case PerfResult::kShortHeader:
      return "stream ended before the 8-byte perf header";
    case PerfResult::kUnexpectedData:
      return "unexpected extra data";
    case PerfResult::kByteCountMismatch:
      return "server sent fewer bytes than requested";
    case PerfResult::kRequestTooLarge:
      return "requested more bytes than this server sends";
    case PerfResult::kAdvanceTooFar:
      return "advanced past the chunk offered";
  }
  return "unknown";
}

}  // namespace p2pquic::protocols
