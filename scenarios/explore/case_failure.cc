#include "scenarios/explore/case_failure.h"

#include <algorithm>
#include <cctype>

namespace p2pquic::scenarios {

std::string WithoutNumbers(const std::string& text) {
  std::string out;
  bool in_number = false;
  for (char c : text) {
    const bool digit = std::isdigit(static_cast<unsigned char>(c)) != 0;
    if (digit && !in_number) out += 'N';
    if (!digit) out += c;
    in_number = digit;
  }
  return out;
}

std::string FailedActionSignature(const std::string& failed) {
  const size_t space = failed.find(' ');
  return "action:" + WithoutNumbers(space == std::string::npos ? failed : failed.substr(space + 1));
}

bool HasSignature(const std::vector<CaseFailure>& failures, const std::string& signature) {
  return std::any_of(failures.begin(), failures.end(),
                     [&](const CaseFailure& f) { return f.signature == signature; });
}

}  // namespace p2pquic::scenarios
