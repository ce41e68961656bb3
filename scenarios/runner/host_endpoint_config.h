// HostEndpointConfig: the EndpointConfig a simulated host runs with, built
// from its transport settings (Scenario::SettingsOf): every field of
// TransportSettings lands in the QuicConfig / RegistrySettings field of the
// same name; everything else keeps the production default.
#pragma once

#include "scenarios/format/scenario.h"
#include "transport/quic/endpoint/endpoint.h"

namespace p2pquic::scenarios {

// `listen`: the host accepts inbound connections (Host::listen).
EndpointConfig HostEndpointConfig(const TransportSettings& settings, bool listen);

}  // namespace p2pquic::scenarios
