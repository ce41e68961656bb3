// ExplorationCoverage: what a campaign's cases reached, counted by name in
// sections, so a report shows what it exercised and what it never did:
//   routing          datagrams by RouteOutcome, every host
//   oracle_checks    oracle checks by OracleCheck
//   frames           traced frames, "sent:<type>" / "received:<type>"
//   datagram_fates   datagrams by sim::DatagramFate (the link faults met)
//   connection_ends  connection ends by CloseCause (and lost_with_host)
//   stream_results   streams by kind and result ("transfer:intact", ...)
//   features         cases using each scenario feature (ScenarioFeatures)
// Every section has a fixed list of names it can hold (the feature list is
// the generator's); NotReached lists those still at zero.
//
// Contract: plain value; Merge adds counts; ToJson/FromJson round-trip.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scenarios/explore/case_checker.h"

namespace p2pquic::scenarios {

class ExplorationCoverage {
 public:
  using Section = std::map<std::string, uint64_t>;

  // `features`: the names ScenarioFeatures gives the case's scenario.
  void AddCase(const CaseVerdict& verdict, const std::vector<std::string>& features);
  void Merge(const ExplorationCoverage& other);

  // Section name -> the names of it never counted. `all_features` is the
  // full feature list.
  std::map<std::string, std::vector<std::string>> NotReached(
      const std::vector<std::string>& all_features) const;

  nlohmann::json ToJson() const;
  // False (with `error` naming the field) if `json` is not what ToJson writes.
  static bool FromJson(const nlohmann::json& json, ExplorationCoverage* out, std::string* error);

  const std::map<std::string, Section>& sections() const { return sections_; }

 private:
  void Count(const std::string& section, const std::string& name, uint64_t n);

  std::map<std::string, Section> sections_;
};

}  // namespace p2pquic::scenarios
