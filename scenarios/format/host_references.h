// Readers for fields that name hosts of the scenario being parsed, shared by
// the links, timeline and expectation parsers: a name that is no host is an
// error listing the hosts there are.
#pragma once

#include <string>
#include <string_view>

#include "scenarios/format/json_field_reader.h"
#include "scenarios/format/scenario.h"

namespace p2pquic::scenarios {

// Reads the required `field` into `out`; it must name a host of `scenario`.
void ReadHostName(JsonFieldReader& reader, std::string_view field, const Scenario& scenario,
                  std::string* out);

// Reads the required "from" and "to" fields: two different hosts.
void ReadHostPair(JsonFieldReader& reader, const Scenario& scenario, std::string* from,
                  std::string* to);

}  // namespace p2pquic::scenarios
