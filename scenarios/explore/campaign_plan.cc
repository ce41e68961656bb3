#include "scenarios/explore/campaign_plan.h"

#include <charconv>

namespace p2pquic::scenarios {

uint64_t CaseSeed(uint64_t base_seed, uint64_t index) {
  uint64_t z = base_seed + (index + 1) * 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::optional<ShardSpec> ShardSpec::Parse(const std::string& text, std::string* error) {
  const size_t slash = text.find('/');
  ShardSpec spec;
  auto number = [](const std::string& digits, uint64_t* out) {
    const char* end = digits.data() + digits.size();
    auto [ptr, ec] = std::from_chars(digits.data(), end, *out);
    return !digits.empty() && ec == std::errc() && ptr == end;
  };
  if (slash == std::string::npos || !number(text.substr(0, slash), &spec.index) ||
      !number(text.substr(slash + 1), &spec.count)) {
    *error = "--shard " + text + ": expected I/K, e.g. 0/4";
    return std::nullopt;
  }
  if (spec.count == 0 || spec.index >= spec.count) {
    *error = "--shard " + text + ": need 0 <= I < K";
    return std::nullopt;
  }
  return spec;
}

std::string ShardSpec::ToString() const {
  return std::to_string(index) + "/" + std::to_string(count);
}

uint64_t ShardSpec::CasesOf(uint64_t cases) const {
  return cases <= index ? 0 : (cases - index + count - 1) / count;
}

}  // namespace p2pquic::scenarios
