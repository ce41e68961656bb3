#include "scenarios/format/json_document.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "scenarios/format/scenario_parser.h"

namespace p2pquic::scenarios {
namespace {

using Json = nlohmann::json;

// A first pass over the text that builds nothing: it tracks where it is (for
// paths), the keys seen in each open object and the depth. A separate pass
// avoids nlohmann's callback parser, which rescans a container for discarded
// values at every object end (quadratic in a long timeline).
class StrictnessChecker final : public nlohmann::json_sax<Json> {
 public:
  const ParseError& error() const { return error_; }

  bool null() override { return Element(); }
  bool boolean(bool) override { return Element(); }
  bool number_integer(number_integer_t) override { return Element(); }
  bool number_unsigned(number_unsigned_t) override { return Element(); }
  bool number_float(number_float_t, const string_t&) override { return Element(); }
  bool string(string_t&) override { return Element(); }
  bool binary(binary_t&) override { return Element(); }

  bool start_object(std::size_t) override { return Open(/*is_array=*/false); }
  bool start_array(std::size_t) override { return Open(/*is_array=*/true); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }

  bool key(string_t& name) override {
    Frame& object = frames_.back();
    object.key = name;
    if (object.keys.insert(name).second) return true;
    return Refuse(Path() + "." + name, "duplicate key");
  }

  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& e) override {
    // nlohmann counts bytes from 1 (n + 1 is the end of input); offsets count from 0.
    const size_t offset = position == 0 ? 0 : position - 1;
    return Refuse("$", "not valid JSON at byte offset " + std::to_string(offset) + ": " + e.what());
  }

 private:
  struct Frame {
    bool is_array = false;
    size_t next_index = 0;
    std::string segment;  // How the parent reaches this container: "$", ".key" or "[3]".
    std::string key;      // The key whose value comes next (objects).
    std::set<std::string> keys;
  };

  // A scalar, or the start of a container: advances the parent array.
  bool Element() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().next_index;
    return true;
  }

  bool Open(bool is_array) {
    Frame frame;
    frame.is_array = is_array;
    frame.segment = ChildSegment();
    Element();
    frames_.push_back(std::move(frame));
    if (frames_.size() <= static_cast<size_t>(kMaxJsonDepth)) return true;
    return Refuse(Path(), "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  }

  bool Close() {
    frames_.pop_back();
    return true;
  }

  std::string ChildSegment() const {
    if (frames_.empty()) return "$";
    const Frame& parent = frames_.back();
    if (parent.is_array) return "[" + std::to_string(parent.next_index) + "]";
    return "." + parent.key;
  }

  std::string Path() const {
    std::string path;
    for (const Frame& frame : frames_) path += frame.segment;
    return path.empty() ? "$" : path;
  }

  bool Refuse(std::string path, std::string reason) {
    error_ = ParseError{std::move(path), std::move(reason)};
    return false;  // Stops the parse.
  }

  std::vector<Frame> frames_;
  ParseError error_;
};

}  // namespace

ParseStatus ParseJsonDocument(std::string_view text, Json* out, ParseError* error) {
  if (text.size() > kMaxScenarioBytes) {
    *error = ParseError{"$", "larger than " + std::to_string(kMaxScenarioBytes) + " bytes (" +
                                 std::to_string(text.size()) + ")"};
    return ParseStatus::kInvalidJson;
  }
  StrictnessChecker checker;
  try {
    if (!Json::sax_parse(text.begin(), text.end(), &checker)) {
      *error = checker.error();
      return ParseStatus::kInvalidJson;
    }
    *out = Json::parse(text.begin(), text.end());
  } catch (const std::exception& e) {
    // Unreachable after a clean first pass, but nothing may escape.
    *error = ParseError{"$", std::string("not valid JSON: ") + e.what()};
    return ParseStatus::kInvalidJson;
  }
  return ParseStatus::kOk;
}

}  // namespace p2pquic::scenarios
