#include "scenarios/format/parse_error.h"

namespace p2pquic::scenarios {

const char* ToString(ParseStatus status) {
  switch (status) {
    case ParseStatus::kOk:
      return "ok";
    case ParseStatus::kUnreadableFile:
      return "unreadable file";
    case ParseStatus::kInvalidJson:
      return "invalid JSON";
    case ParseStatus::kInvalidScenario:
      return "invalid scenario";
  }
  return "unknown";
}

}  // namespace p2pquic::scenarios
