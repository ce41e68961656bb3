#include "scenarios/runner/host_endpoint_config.h"

namespace p2pquic::scenarios {

EndpointConfig HostEndpointConfig(const TransportSettings& settings, bool listen) {
  EndpointConfig config;
  QuicConfig& quic = config.quic;
  quic.idle_timeout = settings.idle_timeout;
  quic.handshake_timeout = settings.handshake_timeout;
  quic.keep_alive = settings.keep_alive;
  quic.active_connection_id_limit = settings.active_connection_id_limit;
  quic.local_cid_length = static_cast<size_t>(settings.cid_length);
  quic.connection_window = settings.connection_window;
  quic.stream_window = settings.stream_window;
  quic.max_connection_window = settings.max_connection_window;
  quic.max_stream_window = settings.max_stream_window;
  quic.stream_send_buffer = static_cast<size_t>(settings.stream_send_buffer);
  quic.max_stream_send_buffer = static_cast<size_t>(settings.max_stream_send_buffer);
  quic.max_connection_send_buffer = static_cast<size_t>(settings.max_connection_send_buffer);
  config.registry.retired_cid_grace = settings.retired_cid_grace;
  config.accept_inbound = listen;
  config.retry_policy = settings.retry;
  config.retry_threshold = static_cast<size_t>(settings.retry_threshold);
  config.max_unvalidated_per_source = static_cast<size_t>(settings.max_unvalidated_per_source);
  config.max_pending_handshakes = static_cast<size_t>(settings.max_pending_handshakes);
  config.new_tokens =
      settings.new_tokens == NewTokens::kOn ? NewTokenPolicy::kSend : NewTokenPolicy::kOff;
  return config;
}

}  // namespace p2pquic::scenarios
