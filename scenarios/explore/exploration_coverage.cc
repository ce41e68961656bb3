#include "scenarios/explore/exploration_coverage.h"

#include "sim/datagram_event.h"

namespace p2pquic::scenarios {
namespace {

constexpr char kRouting[] = "routing";
constexpr char kOracleChecks[] = "oracle_checks";
constexpr char kFrames[] = "frames";
constexpr char kFates[] = "datagram_fates";
constexpr char kEnds[] = "connection_ends";
constexpr char kStreams[] = "stream_results";
constexpr char kFeatures[] = "features";

std::vector<std::string> AllNames(const std::string& section,
                                  const std::vector<std::string>& all_features) {
  std::vector<std::string> names;
  if (section == kRouting) {
    for (int i = 0; i < kRouteOutcomeCount; ++i) {
      names.push_back(ToString(static_cast<RouteOutcome>(i)));
    }
  } else if (section == kOracleChecks) {
    for (int i = 0; i < kOracleCheckCount; ++i) {
      names.push_back(ToString(static_cast<OracleCheck>(i)));
    }
  } else if (section == kFrames) {
    for (const char* direction : {"sent:", "received:"}) {
      for (int i = 0; i < kFrameTypeCount; ++i) {
        names.push_back(direction + std::string(ToString(static_cast<FrameType>(i))));
      }
    }
  } else if (section == kFates) {
    for (size_t i = 0; i < sim::kDatagramFateCount; ++i) {
      names.push_back(sim::ToString(static_cast<sim::DatagramFate>(i)));
    }
  } else if (section == kEnds) {
    for (int i = 0; i < kCloseCauseCount; ++i) {
      names.push_back(ToString(static_cast<CloseCause>(i)));
    }
    names.push_back(ToString(EndState::kLostWithHost));
  } else if (section == kFeatures) {
    names = all_features;
  }
  return names;
}

}  // namespace

void ExplorationCoverage::Count(const std::string& section, const std::string& name, uint64_t n) {
  if (n != 0) sections_[section][name] += n;
}

void ExplorationCoverage::AddCase(const CaseVerdict& verdict,
                                  const std::vector<std::string>& features) {
  for (const std::string& feature : features) Count(kFeatures, feature, 1);
  for (size_t i = 0; i < sim::kDatagramFateCount; ++i) {
    Count(kFates, sim::ToString(static_cast<sim::DatagramFate>(i)), verdict.wire.fates()[i]);
  }
  const RunOutcomes& outcomes = verdict.report.outcomes;
  for (const HostOutcomeRecord& host : outcomes.hosts) {
    for (int i = 0; i < kRouteOutcomeCount; ++i) {
      Count(kRouting, ToString(static_cast<RouteOutcome>(i)), host.routes[i]);
    }
  }
  for (int i = 0; i < kOracleCheckCount; ++i) {
    Count(kOracleChecks, ToString(static_cast<OracleCheck>(i)), outcomes.oracle_checks[i]);
  }
  for (int i = 0; i < kFrameTypeCount; ++i) {
    const std::string type = ToString(static_cast<FrameType>(i));
    Count(kFrames, "sent:" + type, outcomes.frames_sent[i]);
    Count(kFrames, "received:" + type, outcomes.frames_received[i]);
  }
  for (const ConnectionOutcomeRecord& c : outcomes.connections) {
    for (const EndOutcome& end : c.ends) {
      if (end.state == EndState::kEnded) Count(kEnds, ToString(end.cause), 1);
      if (end.state == EndState::kLostWithHost) Count(kEnds, ToString(end.state), 1);
    }
  }
  for (const StreamOutcomeRecord& s : outcomes.streams) {
    const bool transfer = s.kind == Action::kOpenStream;
    Count(kStreams,
          std::string(transfer ? "transfer" : ToString(s.kind)) + ":" +
              (transfer ? ToString(s.transfer) : ToString(s.protocol)),
          1);
  }
}

void ExplorationCoverage::Merge(const ExplorationCoverage& other) {
  for (const auto& [section, counts] : other.sections_) {
    for (const auto& [name, n] : counts) Count(section, name, n);
  }
}

std::map<std::string, std::vector<std::string>> ExplorationCoverage::NotReached(
    const std::vector<std::string>& all_features) const {
  std::map<std::string, std::vector<std::string>> missing;
  for (const char* section : {kRouting, kOracleChecks, kFrames, kFates, kEnds, kFeatures}) {
    const auto it = sections_.find(section);
    for (const std::string& name : AllNames(section, all_features)) {
      if (it == sections_.end() || !it->second.count(name)) missing[section].push_back(name);
    }
  }
  return missing;
}

nlohmann::json ExplorationCoverage::ToJson() const {
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [section, counts] : sections_) json[section] = counts;
  return json;
}

bool ExplorationCoverage::FromJson(const nlohmann::json& json, ExplorationCoverage* out,
                                   std::string* error) {
  if (!json.is_object()) {
    *error = "coverage: not an object";
    return false;
  }
  for (const auto& [section, counts] : json.items()) {
    if (!counts.is_object()) {
      *error = "coverage." + section + ": not an object";
      return false;
    }
    for (const auto& [name, n] : counts.items()) {
      if (!n.is_number_unsigned()) {
        *error = "coverage." + section + "." + name + ": not a count";
        return false;
      }
      out->Count(section, name, n.get<uint64_t>());
    }
  }
  return true;
}

}  // namespace p2pquic::scenarios
