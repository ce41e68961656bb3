// JsonFieldReader: reads the fields of one JSON object of a scenario file,
// checking each value's type and range and reporting the first problem to
// an ErrorSink with the value's JSON path. Every reader does nothing once
// the sink holds an error, so callers read field after field and check
// ErrorSink::failed() only where a later step needs an earlier value.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/format/error_sink.h"
#include "transport/base/socket_address.h"
#include "transport/base/time.h"

namespace p2pquic::scenarios {

enum class Presence : uint8_t {
  kRequired,  // A missing field is an error.
  kOptional,  // A missing field leaves the output unchanged (its default).
};

// Inclusive bounds of an unsigned integer field.
struct UintRange {
  uint64_t min = 0;
  uint64_t max = UINT64_MAX;
};

// [a-z0-9-]{1,kMaxNameLength}: names of scenarios, hosts, connections, streams.
bool IsValidName(const nlohmann::json& value);
// What an invalid name should have been, for error messages.
std::string NameRule();

// The value as JSON text (a string in quotes), cut when long.
std::string QuoteJson(const nlohmann::json& value);
// A short description of a JSON value for error messages: `string "abc"`,
// `number 1.5`, `object`... Long values are cut.
std::string DescribeJson(const nlohmann::json& value);
// Why `value` is not text as JsonFieldReader::Text reads it (a string,
// non-empty, one line, at most `max_length` bytes); empty when it is. For
// text that is not an object's field, e.g. an array's element.
std::string TextProblem(const nlohmann::json& value, size_t max_length);

class JsonFieldReader {
 public:
  // `object` (which must outlive the reader) is the value at `path`. A value
  // that is not an object is reported at once; the readers then do nothing.
  JsonFieldReader(const nlohmann::json& object, std::string path, ErrorSink& errors);

  const std::string& path() const { return path_; }
  std::string PathOf(std::string_view field) const;
  bool failed() const { return errors_.failed(); }
  // Reports `reason` at the field's path.
  void Fail(std::string_view field, std::string reason);

  // Reports the first field (in key order) not in `allowed`, naming them.
  void AllowOnly(const std::vector<std::string_view>& allowed);
  // The field's value, or null when it is absent or reading has failed.
  const nlohmann::json* Find(std::string_view field) const;

  // A string that IsValidName.
  void Name(std::string_view field, std::string* out, Presence presence);
  // Non-empty, one line (no control characters), at most `max_length` bytes.
  void Text(std::string_view field, size_t max_length, std::string* out, Presence presence);
  void Bool(std::string_view field, bool* out, Presence presence);
  void Uint(std::string_view field, UintRange range, uint64_t* out, Presence presence);
  // An integer number of milliseconds in `range_ms`.
  void Millis(std::string_view field, UintRange range_ms, Duration* out, Presence presence);
  // A number in [0, 1].
  void Fraction(std::string_view field, double* out, Presence presence);
  // "ip:port" or "[ipv6]:port", port not 0.
  void Address(std::string_view field, SocketAddress* out, Presence presence);
  // A string naming one of the `count` values of Enum (dense from 0, spelled
  // by ToString), looked up with `from_string`; `what` names the field's
  // role in the error ("unknown action \"migrat\"; expected one of ...").
  template <typename Enum>
  void EnumName(std::string_view field, const char* what,
                std::optional<Enum> (*from_string)(std::string_view), int count, Enum* out,
                Presence presence) {
    const nlohmann::json* value =
        GetTyped(field, presence, nlohmann::json::value_t::string, "a string");
    if (value == nullptr) return;
    if (const std::optional<Enum> parsed = from_string(value->get_ref<const std::string&>())) {
      *out = *parsed;
      return;
    }
    std::string names;
    for (int i = 0; i < count; ++i) {
      names += (i == 0 ? "" : ", ") + std::string(ToString(static_cast<Enum>(i)));
    }
    Fail(field,
         "unknown " + std::string(what) + " " + QuoteJson(*value) + "; expected one of " + names);
  }

  // The field's value if it is an object / array; null (and an error when
  // present with another type or required and missing) otherwise.
  const nlohmann::json* Object(std::string_view field, Presence presence);
  const nlohmann::json* Array(std::string_view field, Presence presence);

 private:
  // The field's value, reporting a missing required field; null if absent.
  const nlohmann::json* Get(std::string_view field, Presence presence);
  // The field's value if present and of `type`; reports a wrong type.
  const nlohmann::json* GetTyped(std::string_view field, Presence presence,
                                 nlohmann::json::value_t type, const char* expected);
  // Checks that `value` is a non-negative integer within `range`.
  bool CheckUint(std::string_view field, const nlohmann::json& value, UintRange range);

  const nlohmann::json& object_;
  std::string path_;
  ErrorSink& errors_;
};

}  // namespace p2pquic::scenarios
