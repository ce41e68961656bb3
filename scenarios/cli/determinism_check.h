// CheckDeterminismInSubprocesses: replays a scenario file twice, each in a
// fresh process of this same binary (`replay FILE --json`), and compares
// the two digests. Separate processes are the strongest form of the claim a
// bug report relies on: nothing left over in memory can make them agree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace p2pquic::scenarios {

struct DeterminismResult {
  std::string first;  // Digest of each run, hex.
  std::string second;
  bool same = false;
};

// False (with `error`) if a run could not be started or printed no digest.
bool CheckDeterminismInSubprocesses(const std::string& file, std::optional<uint64_t> seed,
                                    DeterminismResult* result, std::string* error);

}  // namespace p2pquic::scenarios
