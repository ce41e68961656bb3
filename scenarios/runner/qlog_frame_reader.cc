#include "scenarios/runner/qlog_frame_reader.h"

#include <nlohmann/json.hpp>

namespace p2pquic::scenarios {
namespace {

using Json = nlohmann::json;

constexpr char kRecordSeparator = '\x1e';  // RFC 7464 (JSON text sequences).
constexpr std::string_view kPacketSent = "\"name\":\"transport:packet_sent\"";
constexpr std::string_view kPacketReceived = "\"name\":\"transport:packet_received\"";
// A packet record names its event right after "time"; looking this far
// into the record is enough and keeps the scan of skipped records short.
constexpr size_t kEventNameWindow = 64;
constexpr std::string_view kFrameTypeKey = "\"frame_type\":\"";
constexpr std::string_view kStatelessResetPacket = "\"packet_type\":\"stateless_reset\"";

// The stateless reset and the Retry are packets, never frames (the tracer
// sees a Retry in the datagrams, not in the qlog).
bool IsPacket(FrameType type) {
  return type == FrameType::kStatelessReset || type == FrameType::kRetry;
}

// The traced type a qlog frame_type names.
std::optional<FrameType> TracedFrameType(std::string_view name) {
  const std::optional<FrameType> type = FrameTypeFromString(name);
  if (type && IsPacket(*type)) return std::nullopt;
  return type;
}

// Whether the text after a "frame_type" key names a traced frame.
bool NamesTracedFrame(std::string_view rest) {
  for (int i = 0; i < kFrameTypeCount; ++i) {
    if (IsPacket(static_cast<FrameType>(i))) continue;
    const std::string_view name = ToString(static_cast<FrameType>(i));
    if (rest.size() > name.size() && rest.substr(0, name.size()) == name &&
        rest[name.size()] == '"') {
      return true;
    }
  }
  return false;
}

bool HoldsTracedFrame(std::string_view record) {
  if (record.find(kStatelessResetPacket) != std::string_view::npos) return true;
  for (size_t at = record.find(kFrameTypeKey); at != std::string_view::npos;
       at = record.find(kFrameTypeKey, at + 1)) {
    if (NamesTracedFrame(record.substr(at + kFrameTypeKey.size()))) return true;
  }
  return false;
}

bool GetUint(const Json& object, const char* key, uint64_t* out) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number_unsigned()) return false;
  *out = it->get<uint64_t>();
  return true;
}

bool GetString(const Json& object, const char* key, std::string* out) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return false;
  *out = it->get<std::string>();
  return true;
}

// Fills `out` from one qlog frame object of a traced type; false if a
// field the type needs is missing or of the wrong type.
bool ReadFrame(const Json& frame, FrameType type, TracedFrame* out) {
  out->type = type;
  switch (type) {
    case FrameType::kNewConnectionId:
      return GetUint(frame, "sequence_number", &out->sequence) &&
             GetUint(frame, "retire_prior_to", &out->retire_prior_to) &&
             GetString(frame, "connection_id", &out->cid);
    case FrameType::kRetireConnectionId:
      return GetUint(frame, "sequence_number", &out->sequence);
    case FrameType::kPathChallenge:
    case FrameType::kPathResponse:
      return GetString(frame, "data", &out->data);
    case FrameType::kNewToken: {
      const auto token = frame.find("token");
      return token != frame.end() && token->is_object() && GetString(*token, "data", &out->data);
    }
    case FrameType::kConnectionClose:
      return GetString(frame, "error_space", &out->error_space) &&
             GetUint(frame, "error_code", &out->error_code);
    case FrameType::kStatelessReset:
    case FrameType::kRetry:
      return false;  // A packet, not a frame.
  }
  return false;
}

}  // namespace

void QlogFrameReader::Feed(std::string_view text) {
  // ngtcp2 writes whole records; the buffer only matters if it ever does not.
  if (!pending_.empty()) {
    pending_.append(text);
    text = pending_;
  }
  size_t start = 0;
  for (size_t end = text.find('\n'); end != std::string_view::npos; end = text.find('\n', start)) {
    ReadRecord(text.substr(start, end - start));
    start = end + 1;
  }
  std::string rest(text.substr(start));
  pending_ = std::move(rest);
}

void QlogFrameReader::ReadRecord(std::string_view record) {
  if (!record.empty() && record.front() == kRecordSeparator) record.remove_prefix(1);
  if (record.empty()) return;
  if (!header_read_) {
    header_read_ = true;
    return ReadHeader(record);
  }
  const std::string_view head = record.substr(0, kEventNameWindow);
  if (head.find(kPacketSent) != std::string_view::npos) {
    ReadPacket(record, FrameDirection::kSent);
  } else if (head.find(kPacketReceived) != std::string_view::npos) {
    ReadPacket(record, FrameDirection::kReceived);
  }
}

void QlogFrameReader::ReadHeader(std::string_view record) {
  const Json header = Json::parse(record, nullptr, /*allow_exceptions=*/false);
  const Json* fields = nullptr;
  if (header.is_object() && header.contains("trace") && header["trace"].is_object() &&
      header["trace"].contains("common_fields")) {
    fields = &header["trace"]["common_fields"];
  }
  if (fields == nullptr || !fields->is_object() || !GetString(*fields, "group_id", &group_id_)) {
    ++unreadable_records_;
  }
}

void QlogFrameReader::ReadPacket(std::string_view record, FrameDirection direction) {
  if (!HoldsTracedFrame(record)) return;
  const Json packet = Json::parse(record, nullptr, /*allow_exceptions=*/false);
  const Json* data = packet.is_object() && packet.contains("data") ? &packet["data"] : nullptr;
  if (data == nullptr || !data->is_object()) {
    ++unreadable_records_;
    return;
  }
  const auto header = data->find("header");
  std::string packet_type;
  if (header != data->end() && header->is_object() &&
      GetString(*header, "packet_type", &packet_type) && packet_type == "stateless_reset") {
    TracedFrame reset;
    reset.type = FrameType::kStatelessReset;
    if (!GetString(*data, "stateless_reset_token", &reset.data)) ++unreadable_records_;
    sink_(direction, reset);
    return;
  }
  const auto frames = data->find("frames");
  if (frames == data->end() || !frames->is_array()) {
    ++unreadable_records_;
    return;
  }
  for (const Json& frame : *frames) {
    std::string name;
    if (!frame.is_object() || !GetString(frame, "frame_type", &name)) {
      ++unreadable_records_;
      continue;
    }
    const std::optional<FrameType> type = TracedFrameType(name);
    if (!type) continue;  // Not a traced frame (ACK, STREAM, ...).
    TracedFrame traced;
    if (!ReadFrame(frame, *type, &traced)) {
      ++unreadable_records_;
      continue;
    }
    sink_(direction, traced);
  }
}

}  // namespace p2pquic::scenarios
