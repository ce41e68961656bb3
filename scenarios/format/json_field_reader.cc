#include "scenarios/format/json_field_reader.h"

#include <algorithm>
#include <chrono>

#include "scenarios/format/scenario.h"

namespace p2pquic::scenarios {
namespace {

using Json = nlohmann::json;

// Error messages quote values up to this many bytes.
constexpr size_t kMaxQuotedValueBytes = 40;

std::string Dump(const Json& value) {
  // Input was validated as UTF-8; `replace` only guards hand-built values.
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string Cut(std::string text) {
  if (text.size() <= kMaxQuotedValueBytes) return text;
  size_t end = kMaxQuotedValueBytes;
  // Never split a UTF-8 sequence: back up to the start of a character.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "...";
}

bool IsNameChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

bool IsNameText(const std::string& text) {
  return !text.empty() && text.size() <= kMaxNameLength &&
         std::all_of(text.begin(), text.end(), IsNameChar);
}

bool IsOneLine(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

}  // namespace

bool IsValidName(const Json& value) {
  return value.is_string() && IsNameText(value.get_ref<const std::string&>());
}

std::string NameRule() { return "[a-z0-9-]{1," + std::to_string(kMaxNameLength) + "}"; }

std::string QuoteJson(const Json& value) { return Cut(Dump(value)); }

std::string DescribeJson(const Json& value) {
  if (value.is_object() || value.is_array() || value.is_null()) return value.type_name();
  return std::string(value.type_name()) + " " + QuoteJson(value);
}

std::string TextProblem(const Json& value, size_t max_length) {
  if (!value.is_string()) return "must be a string, got " + DescribeJson(value);
  const auto& text = value.get_ref<const std::string&>();
  if (text.empty()) return "must not be empty";
  if (text.size() > max_length) {
    return "must be at most " + std::to_string(max_length) + " bytes, got " +
           std::to_string(text.size());
  }
  if (!IsOneLine(text)) return "must be one line, without control characters";
  return "";
}

JsonFieldReader::JsonFieldReader(const Json& object, std::string path, ErrorSink& errors)
    : object_(object), path_(std::move(path)), errors_(errors) {
  if (!object_.is_object()) errors_.Fail(path_, "must be an object, got " + DescribeJson(object_));
}

std::string JsonFieldReader::PathOf(std::string_view field) const {
  return path_ + "." + std::string(field);
}

void JsonFieldReader::Fail(std::string_view field, std::string reason) {
  errors_.Fail(PathOf(field), std::move(reason));
}

void JsonFieldReader::AllowOnly(const std::vector<std::string_view>& allowed) {
  if (failed()) return;
  for (const auto& [key, value] : object_.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string names;
    for (std::string_view name : allowed) names += (names.empty() ? "" : ", ") + std::string(name);
    Fail(key, "unknown field; allowed here: " + names);
    return;
  }
}

const Json* JsonFieldReader::Find(std::string_view field) const {
  if (failed()) return nullptr;
  const auto it = object_.find(field);
  return it == object_.end() ? nullptr : &*it;
}

const Json* JsonFieldReader::Get(std::string_view field, Presence presence) {
  const Json* value = Find(field);
  if (value == nullptr && presence == Presence::kRequired) Fail(field, "required field missing");
  return value;
}

const Json* JsonFieldReader::GetTyped(std::string_view field, Presence presence, Json::value_t type,
                                      const char* expected) {
  const Json* value = Get(field, presence);
  if (value == nullptr || value->type() == type) return value;
  Fail(field, std::string("must be ") + expected + ", got " + DescribeJson(*value));
  return nullptr;
}

void JsonFieldReader::Name(std::string_view field, std::string* out, Presence presence) {
  const Json* value = GetTyped(field, presence, Json::value_t::string, "a string");
  if (value == nullptr) return;
  if (!IsValidName(*value))
    return Fail(field, "must match " + NameRule() + ", got " + DescribeJson(*value));
  *out = value->get<std::string>();
}

void JsonFieldReader::Text(std::string_view field, size_t max_length, std::string* out,
                           Presence presence) {
  const Json* value = GetTyped(field, presence, Json::value_t::string, "a string");
  if (value == nullptr) return;
  if (std::string problem = TextProblem(*value, max_length); !problem.empty()) {
    return Fail(field, std::move(problem));
  }
  *out = value->get<std::string>();
}

void JsonFieldReader::Bool(std::string_view field, bool* out, Presence presence) {
  const Json* value = GetTyped(field, presence, Json::value_t::boolean, "true or false");
  if (value != nullptr) *out = value->get<bool>();
}

bool JsonFieldReader::CheckUint(std::string_view field, const Json& value, UintRange range) {
  // "-0" parses as a signed integer; it is still a non-negative one.
  const bool non_negative =
      value.is_number_unsigned() || (value.is_number_integer() && value.get<int64_t>() >= 0);
  if (!non_negative) {
    Fail(field, "must be a non-negative integer, got " + DescribeJson(value));
    return false;
  }
  const uint64_t number = value.get<uint64_t>();
  if (number < range.min) {
    Fail(field,
         (range.min == 1 ? std::string("must be > 0") : "must be >= " + std::to_string(range.min)) +
             ", got " + std::to_string(number));
    return false;
  }
  if (number > range.max) {
    Fail(field, "must be <= " + std::to_string(range.max) + ", got " + std::to_string(number));
    return false;
  }
  return true;
}

void JsonFieldReader::Uint(std::string_view field, UintRange range, uint64_t* out,
                           Presence presence) {
  const Json* value = Get(field, presence);
  if (value != nullptr && CheckUint(field, *value, range)) *out = value->get<uint64_t>();
}

void JsonFieldReader::Millis(std::string_view field, UintRange range_ms, Duration* out,
                             Presence presence) {
  const Json* value = Get(field, presence);
  if (value == nullptr || !CheckUint(field, *value, range_ms)) return;
  // Callers bound every range by kMaxScenarioDuration, so this cannot overflow.
  *out = std::chrono::milliseconds(static_cast<int64_t>(value->get<uint64_t>()));
}

void JsonFieldReader::Fraction(std::string_view field, double* out, Presence presence) {
  const Json* value = Get(field, presence);
  if (value == nullptr) return;
  if (!value->is_number()) {
    return Fail(field, "must be a number within [0, 1], got " + DescribeJson(*value));
  }
  const double number = value->get<double>();
  if (!(number >= 0 && number <= 1)) {
    return Fail(field, "must be within [0, 1], got " + QuoteJson(*value));
  }
  *out = number;
}

void JsonFieldReader::Address(std::string_view field, SocketAddress* out, Presence presence) {
  const Json* value = GetTyped(field, presence, Json::value_t::string, "an address string");
  if (value == nullptr) return;
  SocketAddress parsed;
  const AddressParseStatus status =
      SocketAddress::Parse(value->get_ref<const std::string&>(), &parsed);
  if (status != AddressParseStatus::kOk) {
    return Fail(field, std::string("must be \"ip:port\" or \"[ipv6]:port\": ") + ToString(status) +
                           ", got " + DescribeJson(*value));
  }
  if (parsed.port() == 0) return Fail(field, "port must not be 0, got " + DescribeJson(*value));
  *out = parsed;
}

const Json* JsonFieldReader::Object(std::string_view field, Presence presence) {
  return GetTyped(field, presence, Json::value_t::object, "an object");
}

const Json* JsonFieldReader::Array(std::string_view field, Presence presence) {
  return GetTyped(field, presence, Json::value_t::array, "an array");
}

}  // namespace p2pquic::scenarios
