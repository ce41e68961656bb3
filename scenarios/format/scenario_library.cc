#include "scenarios/format/scenario_library.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "scenarios/format/scenario_parser.h"

namespace p2pquic::scenarios {
namespace fs = std::filesystem;

std::string DefaultLibraryDir() {
  if (const char* dir = std::getenv("P2PQUIC_SCENARIOS")) return dir;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path runfiles = fs::path(exe.string() + ".runfiles") / "p2pquic/scenarios/library";
    if (fs::is_directory(runfiles, ec)) return runfiles.string();
  }
  if (const char* runfiles = std::getenv("RUNFILES_DIR")) {
    const fs::path library = fs::path(runfiles) / "p2pquic/scenarios/library";
    if (fs::is_directory(library, ec)) return library.string();
  }
  return "scenarios/library";
}

bool ListLibrary(const std::string& dir, std::vector<LibraryEntry>* entries, std::string* error) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    *error = "cannot read scenario directory " + dir + ": " + ec.message();
    return false;
  }
  for (const fs::directory_entry& file : it) {
    if (file.path().extension() != ".json") continue;
    Scenario scenario;
    ParseError parse;
    LibraryEntry entry;
    entry.file = file.path().string();
    if (LoadScenarioFile(entry.file, &scenario, &parse) == ParseStatus::kOk) {
      entry.name = scenario.name;
      entry.description = scenario.description;
    } else {
      entry.name = file.path().stem().string();
      entry.description = "INVALID: " + parse.json_path + ": " + parse.reason;
    }
    entries->push_back(std::move(entry));
  }
  std::sort(entries->begin(), entries->end(),
            [](const LibraryEntry& a, const LibraryEntry& b) { return a.name < b.name; });
  return true;
}

}  // namespace p2pquic::scenarios
