// Data-driven: every file in bad_scenarios/ is refused with the path and
// reason bad_scenarios/expected_errors.tsv lists for it, and every file there
// is listed (a new bad file cannot be forgotten). Also: unreadable files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "scenarios/format/scenario_parser.h"

namespace p2pquic::scenarios {
namespace {

// Relative to the test's working directory, the workspace's runfiles root.
constexpr const char* kDirectory = "tests/scenarios/bad_scenarios";
constexpr const char* kManifest = "expected_errors.tsv";

struct ExpectedError {
  std::string path;
  std::string reason;
};

std::map<std::string, ExpectedError> ReadManifest() {
  std::map<std::string, ExpectedError> expected;
  std::ifstream in(std::string(kDirectory) + "/" + kManifest);
  EXPECT_TRUE(in.good()) << "cannot read the manifest";
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string file;
    ExpectedError error;
    std::getline(fields, file, '\t');
    std::getline(fields, error.path, '\t');
    std::getline(fields, error.reason);
    EXPECT_FALSE(error.reason.empty()) << "malformed manifest line: " << line;
    expected[file] = error;
  }
  return expected;
}

TEST(BadScenarioFilesTest, EachFileIsRefusedWithItsListedPathAndReason) {
  const std::map<std::string, ExpectedError> expected = ReadManifest();
  std::set<std::string> seen;
  for (const auto& entry : std::filesystem::directory_iterator(kDirectory)) {
    const std::string file = entry.path().filename().string();
    if (file == kManifest) continue;
    seen.insert(file);
    const auto listed = expected.find(file);
    if (listed == expected.end()) {
      ADD_FAILURE() << file << " is not listed in " << kManifest;
      continue;
    }
    Scenario scenario;
    ParseError error;
    EXPECT_NE(LoadScenarioFile(entry.path().string(), &scenario, &error), ParseStatus::kOk) << file;
    EXPECT_EQ(error.json_path, listed->second.path) << file << ": " << error.reason;
    EXPECT_NE(error.reason.find(listed->second.reason), std::string::npos)
        << file << "\nreason: " << error.reason << "\nwanted: " << listed->second.reason;
  }
  for (const auto& [file, error] : expected) {
    EXPECT_TRUE(seen.contains(file)) << kManifest << " lists missing file " << file;
  }
  EXPECT_GE(seen.size(), 10u);
}

TEST(BadScenarioFilesTest, AMissingFileIsUnreadableAndNamed) {
  Scenario scenario;
  ParseError error;
  const std::string path = std::string(kDirectory) + "/no-such-file.json";
  EXPECT_EQ(LoadScenarioFile(path, &scenario, &error), ParseStatus::kUnreadableFile);
  EXPECT_EQ(error.json_path, path);
  EXPECT_EQ(error.reason, "cannot open: No such file or directory");
}

TEST(BadScenarioFilesTest, ADirectoryIsUnreadable) {
  Scenario scenario;
  ParseError error;
  EXPECT_EQ(LoadScenarioFile(kDirectory, &scenario, &error), ParseStatus::kUnreadableFile);
  EXPECT_EQ(error.json_path, kDirectory);
  EXPECT_NE(error.reason.find("Is a directory"), std::string::npos) << error.reason;
}

}  // namespace
}  // namespace p2pquic::scenarios
