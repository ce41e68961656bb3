// The scenario library: the *.json files of a directory (by default the
// scenarios/library shipped with p2pquic-sim), listed one line each.
#pragma once

#include <string>
#include <vector>

namespace p2pquic::scenarios {

struct LibraryEntry {
  std::string file;
  std::string name;
  std::string description;
};

// Where the library is: $P2PQUIC_SCENARIOS if set, else scenarios/library
// in the binary's runfiles (bazel run), else ./scenarios/library.
std::string DefaultLibraryDir();

// Every scenario file in `dir`, sorted by name. An invalid file is listed
// with its parse error as the description (a library must not hide one).
bool ListLibrary(const std::string& dir, std::vector<LibraryEntry>* entries, std::string* error);

}  // namespace p2pquic::scenarios
