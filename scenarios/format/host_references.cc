#include "scenarios/format/host_references.h"

namespace p2pquic::scenarios {

void ReadHostName(JsonFieldReader& reader, std::string_view field, const Scenario& scenario,
                  std::string* out) {
  std::string name;
  reader.Name(field, &name, Presence::kRequired);
  if (reader.failed()) return;
  if (scenario.FindHost(name) == nullptr) {
    std::string hosts;
    for (const Host& host : scenario.hosts) hosts += (hosts.empty() ? "" : ", ") + host.name;
    return reader.Fail(field, "unknown host \"" + name + "\"; hosts are: " + hosts);
  }
  *out = name;
}

void ReadHostPair(JsonFieldReader& reader, const Scenario& scenario, std::string* from,
                  std::string* to) {
  ReadHostName(reader, "from", scenario, from);
  ReadHostName(reader, "to", scenario, to);
  if (!reader.failed() && *from == *to) {
    reader.Fail("to", "must differ from \"from\" (both are \"" + *from + "\")");
  }
}

}  // namespace p2pquic::scenarios
