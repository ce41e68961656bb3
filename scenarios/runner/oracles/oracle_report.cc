#include "scenarios/runner/oracles/oracle_report.h"

#include <utility>

namespace p2pquic::scenarios {

void OracleReport::Report(const std::string& oracle, const std::string& host, Timestamp at,
                          std::string detail) {
  ++violation_count_;
  if (violations_.size() < kMaxKept) violations_.push_back({oracle, host, at, std::move(detail)});
}

}  // namespace p2pquic::scenarios
