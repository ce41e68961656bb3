// CaseFailure: one thing a run of a case broke, with its signature: the
// key the explorer de-duplicates failures by and the shrinker preserves.
// A signature names what broke, not where: "oracle:routing",
// "property:stream-intact:transfer", "expectation:stream s1 intact",
// "action:migrate:<reason>", "run:setup-failed". It carries no time,
// address, seed or count (digits in reasons become "N"), so the same
// defect met in two cases has one signature; expectations keep the names
// of what they ask about, which shrinking never renames.
#pragma once

#include <string>
#include <vector>

namespace p2pquic::scenarios {

struct CaseFailure {
  std::string signature;
  std::string detail;  // For people: what exactly was seen.
};

// The text with every run of digits replaced by "N".
std::string WithoutNumbers(const std::string& text);

// The signature of a failed timeline action as the runner words it
// ("t=1.200s migrate: reason"): "action:migrate: reason", without numbers.
std::string FailedActionSignature(const std::string& failed);

// Whether `failures` has one with this signature.
bool HasSignature(const std::vector<CaseFailure>& failures, const std::string& signature);

}  // namespace p2pquic::scenarios
