#include "scenarios/format/link_conditions_parser.h"

#include "scenarios/format/json_field_reader.h"

namespace p2pquic::scenarios {

void ParseLinkConditions(const nlohmann::json& value, const std::string& path,
                         const LinkConditions& base, ErrorSink& errors, LinkConditions* out) {
  constexpr Presence kOptional = Presence::kOptional;
  *out = base;
  JsonFieldReader r(value, path, errors);
  r.AllowOnly({"delay_ms", "jitter_ms", "loss", "loss_burst", "duplicate", "duplicate_delay_ms",
               "corrupt", "bandwidth_kbps", "queue_bytes", "mtu"});
  r.Millis("delay_ms", {0, kMaxScenarioMillis}, &out->delay, kOptional);
  r.Millis("jitter_ms", {0, kMaxScenarioMillis}, &out->jitter, kOptional);
  r.Fraction("loss", &out->loss, kOptional);
  r.Uint("loss_burst", {1, kMaxLossBurst}, &out->loss_burst, kOptional);
  r.Fraction("duplicate", &out->duplicate, kOptional);
  r.Millis("duplicate_delay_ms", {0, kMaxScenarioMillis}, &out->duplicate_delay, kOptional);
  r.Fraction("corrupt", &out->corrupt, kOptional);
  r.Uint("bandwidth_kbps", {0, kMaxBandwidthKbps}, &out->bandwidth_kbps, kOptional);
  r.Uint("queue_bytes", {0, kMaxQueueBytes}, &out->queue_bytes, kOptional);
  r.Uint("mtu", {kMinMtu, kMaxMtu}, &out->mtu, kOptional);
}

}  // namespace p2pquic::scenarios
