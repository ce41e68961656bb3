// Every transport setting a scenario file can give reaches the host's
// EndpointConfig, and nothing else moves from the production defaults.
#include "scenarios/runner/host_endpoint_config.h"

#include <gtest/gtest.h>

#include <chrono>

namespace p2pquic::scenarios {
namespace {

using std::chrono::milliseconds;

// Every field differs from its default and from every other field.
TransportSettings Distinct() {
  TransportSettings s;
  s.idle_timeout = milliseconds(11111);
  s.handshake_timeout = milliseconds(2222);
  s.keep_alive = milliseconds(333);
  s.retired_cid_grace = milliseconds(44);
  s.active_connection_id_limit = 5;
  s.cid_length = 13;
  s.connection_window = 7000001;
  s.stream_window = 7000002;
  s.max_connection_window = 7000003;
  s.max_stream_window = 7000004;
  s.stream_send_buffer = 7000005;
  s.max_stream_send_buffer = 7000006;
  s.max_connection_send_buffer = 7000007;
  s.retry = RetryPolicy::kNever;
  s.retry_threshold = 7000008;
  s.max_unvalidated_per_source = 7000009;
  s.max_pending_handshakes = 7000010;
  s.new_tokens = NewTokens::kOff;
  return s;
}

TEST(HostEndpointConfigTest, EverySettingLandsInItsConfigField) {
  const TransportSettings s = Distinct();
  const EndpointConfig config = HostEndpointConfig(s, true);
  const QuicConfig& q = config.quic;
  EXPECT_EQ(q.idle_timeout, s.idle_timeout);
  EXPECT_EQ(q.handshake_timeout, s.handshake_timeout);
  EXPECT_EQ(q.keep_alive, s.keep_alive);
  EXPECT_EQ(config.registry.retired_cid_grace, s.retired_cid_grace);
  EXPECT_EQ(q.active_connection_id_limit, s.active_connection_id_limit);
  EXPECT_EQ(q.local_cid_length, s.cid_length);
  EXPECT_EQ(q.connection_window, s.connection_window);
  EXPECT_EQ(q.stream_window, s.stream_window);
  EXPECT_EQ(q.max_connection_window, s.max_connection_window);
  EXPECT_EQ(q.max_stream_window, s.max_stream_window);
  EXPECT_EQ(q.stream_send_buffer, s.stream_send_buffer);
  EXPECT_EQ(q.max_stream_send_buffer, s.max_stream_send_buffer);
  EXPECT_EQ(q.max_connection_send_buffer, s.max_connection_send_buffer);
  EXPECT_EQ(config.retry_policy, RetryPolicy::kNever);
  EXPECT_EQ(config.retry_threshold, s.retry_threshold);
  EXPECT_EQ(config.max_unvalidated_per_source, s.max_unvalidated_per_source);
  EXPECT_EQ(config.max_pending_handshakes, s.max_pending_handshakes);
  EXPECT_EQ(config.new_tokens, NewTokenPolicy::kOff);
  EXPECT_TRUE(config.accept_inbound);
  EXPECT_FALSE(HostEndpointConfig(s, false).accept_inbound);
}

TEST(HostEndpointConfigTest, DefaultSettingsGiveTheProductionConfig) {
  const EndpointConfig config = HostEndpointConfig(TransportSettings{}, true);
  const QuicConfig production;
  EXPECT_EQ(config.quic.idle_timeout, production.idle_timeout);
  EXPECT_EQ(config.quic.connection_window, production.connection_window);
  EXPECT_EQ(config.quic.max_stream_send_buffer, production.max_stream_send_buffer);
  EXPECT_EQ(config.quic.max_connection_send_buffer, production.max_connection_send_buffer);
  EXPECT_EQ(config.quic.max_outbound_streams, production.max_outbound_streams);  // Not a setting.
  EXPECT_EQ(config.max_connections, EndpointConfig{}.max_connections);
  // Address validation: what ships, so a file without these tests it.
  const EndpointConfig shipped;
  EXPECT_EQ(config.retry_policy, shipped.retry_policy);
  EXPECT_EQ(config.retry_threshold, shipped.retry_threshold);
  EXPECT_EQ(config.max_unvalidated_per_source, shipped.max_unvalidated_per_source);
  EXPECT_EQ(config.max_pending_handshakes, shipped.max_pending_handshakes);
  EXPECT_EQ(config.new_tokens, shipped.new_tokens);
  EXPECT_FALSE(config.token_secret.has_value());  // The runner sets the run's (RunTokenSecret).
}

}  // namespace
}  // namespace p2pquic::scenarios
