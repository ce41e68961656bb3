#include "scenarios/format/bottleneck_parser.h"

#include <map>
#include <utility>

#include "scenarios/format/host_references.h"
#include "scenarios/format/json_field_reader.h"

namespace p2pquic::scenarios {
namespace {

// Direction (from, to) -> the bottleneck holding it.
using Holders = std::map<std::pair<std::string, std::string>, std::string>;

std::string Index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

// Reads the directions of the bottleneck `name`, refusing one that an
// earlier bottleneck, or this one, already holds.
void ParseDirections(const nlohmann::json& directions, const std::string& path,
                     const std::string& name, const Scenario& scenario, ErrorSink& errors,
                     Holders* holders, std::vector<LinkDirection>* out) {
  if (directions.empty()) return errors.Fail(path, "must have at least one direction");
  for (size_t i = 0; i < directions.size() && !errors.failed(); ++i) {
    LinkDirection direction;
    JsonFieldReader r(directions[i], Index(path, i), errors);
    r.AllowOnly({"from", "to"});
    ReadHostPair(r, scenario, &direction.from, &direction.to);
    if (r.failed()) return;
    const auto [holder, added] = holders->emplace(std::pair{direction.from, direction.to}, name);
    if (!added) {
      const std::string which =
          holder->second == name ? "this bottleneck" : "bottleneck \"" + holder->second + "\"";
      return errors.Fail(Index(path, i), "direction " + direction.from + " -> " + direction.to +
                                             " is already in " + which);
    }
    out->push_back(std::move(direction));
  }
}

}  // namespace

void ParseBottlenecks(const nlohmann::json& value, const std::string& path,
                      const Scenario& scenario, ErrorSink& errors, std::vector<Bottleneck>* out) {
  Holders holders;
  for (size_t i = 0; i < value.size() && !errors.failed(); ++i) {
    Bottleneck bottleneck;
    JsonFieldReader r(value[i], Index(path, i), errors);
    r.AllowOnly({"name", "directions", "bandwidth_kbps", "queue_bytes"});
    r.Name("name", &bottleneck.name, Presence::kRequired);
    for (const Bottleneck& earlier : *out) {
      if (!r.failed() && earlier.name == bottleneck.name) {
        r.Fail("name", "duplicate bottleneck name \"" + bottleneck.name + "\"");
      }
    }
    if (const nlohmann::json* directions = r.Array("directions", Presence::kRequired)) {
      ParseDirections(*directions, r.PathOf("directions"), bottleneck.name, scenario, errors,
                      &holders, &bottleneck.directions);
    }
    // Zero would stop every datagram of its directions for good.
    r.Uint("bandwidth_kbps", {1, kMaxBandwidthKbps}, &bottleneck.bandwidth_kbps,
           Presence::kRequired);
    r.Uint("queue_bytes", {0, kMaxQueueBytes}, &bottleneck.queue_bytes, Presence::kOptional);
    if (errors.failed()) return;
    out->push_back(std::move(bottleneck));
  }
}

}  // namespace p2pquic::scenarios
