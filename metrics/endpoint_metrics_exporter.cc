#include "metrics/endpoint_metrics_exporter.h"

namespace p2pquic::metrics {
namespace {

prometheus::Counter* AddCounter(prometheus::Registry& registry, const std::string& name,
                                const std::string& help, const prometheus::Labels& labels) {
  return &prometheus::BuildCounter().Name(name).Help(help).Register(registry).Add(labels);
}

// `base` plus one more label.
prometheus::Labels With(prometheus::Labels base, const std::string& name,
                        const std::string& value) {
  base.emplace(name, value);
  return base;
}

}  // namespace

EndpointMetricsExporter::EndpointMetricsExporter(prometheus::Registry& registry,
                                                 const prometheus::Labels& labels) {
  auto& datagrams = prometheus::BuildCounter()
                        .Name("p2pquic_endpoint_datagrams_total")
                        .Help("UDP datagrams the endpoint received or sent.")
                        .Register(registry);
  auto& resets = prometheus::BuildCounter()
                     .Name("p2pquic_endpoint_stateless_resets_total")
                     .Help(
                         "Answers to datagrams for unknown connection IDs: stateless resets "
                         "sent, suppressed by the endpoint's rate limit (suppressed) or by the "
                         "sender's source prefix's (suppressed_prefix), or withheld because the "
                         "datagram may be a stateless reset itself (possible_reset).")
                     .Register(registry);
  auto& vn_suppressed = prometheus::BuildCounter()
                            .Name("p2pquic_endpoint_version_negotiations_suppressed_total")
                            .Help(
                                "Version Negotiation answers not sent because a budget was "
                                "spent: the endpoint's (budget=endpoint) or the sender's source "
                                "prefix's (budget=prefix).")
                            .Register(registry);
  auto& bytes = prometheus::BuildCounter()
                    .Name("p2pquic_endpoint_udp_payload_bytes_total")
                    .Help("UDP payload bytes the endpoint received or sent.")
                    .Register(registry);
  auto& validations = prometheus::BuildCounter()
                          .Name("p2pquic_endpoint_path_validations_total")
                          .Help("Path validations (migration, NAT rebinding) by result.")
                          .Register(registry);
  counters_ = {
      {&EndpointStats::datagrams_received, &datagrams.Add(With(labels, "direction", "received"))},
      {&EndpointStats::datagrams_sent, &datagrams.Add(With(labels, "direction", "sent"))},
      {&EndpointStats::send_failures,
       AddCounter(registry, "p2pquic_endpoint_send_failures_total",
                  "Datagrams the socket refused to send for good, never for EAGAIN "
                  "(QUIC loss recovery resends).",
                  labels)},
      {&EndpointStats::sends_blocked,
       AddCounter(registry, "p2pquic_endpoint_send_blocked_total",
                  "Sends the socket refused with EAGAIN (its buffer was full): backpressure, "
                  "not loss; the endpoint waited for the socket to become writable.",
                  labels)},
      {&EndpointStats::datagrams_held,
       AddCounter(registry, "p2pquic_endpoint_held_datagrams_total",
                  "Datagrams that waited for the socket to become writable after EAGAIN.", labels)},
      {&EndpointStats::held_dropped,
       AddCounter(registry, "p2pquic_endpoint_held_datagrams_dropped_total",
                  "Waiting datagrams dropped because the endpoint's hold limit was reached "
                  "(QUIC loss recovery resends).",
                  labels)},
      {&EndpointStats::handshakes_started,
       AddCounter(registry, "p2pquic_endpoint_handshakes_started_total",
                  "QUIC handshakes started, inbound and outbound.", labels)},
      {&EndpointStats::handshakes_completed,
       AddCounter(registry, "p2pquic_endpoint_handshakes_completed_total",
                  "QUIC handshakes completed (peer authenticated).", labels)},
      {&EndpointStats::connections_accepted,
       AddCounter(registry, "p2pquic_endpoint_connections_accepted_total",
                  "Inbound connections accepted (a client's Initial started each).", labels)},
      {&EndpointStats::late_initials,
       AddCounter(registry, "p2pquic_endpoint_late_initials_total",
                  "Client Initials that reached their established connection late "
                  "(duplicates; never a new connection).",
                  labels)},
      {&EndpointStats::connections_closed,
       AddCounter(registry, "p2pquic_endpoint_connections_closed_total",
                  "Connections closed and removed.", labels)},
      {&EndpointStats::initials_refused,
       AddCounter(registry, "p2pquic_endpoint_initials_refused_total",
                  "Client Initials refused (limits, or not acceptable).", labels)},
      {&EndpointStats::initials_refused_per_source,
       AddCounter(registry, "p2pquic_endpoint_initials_refused_per_source_total",
                  "Client Initials refused: their source's unvalidated handshakes at the limit.",
                  labels)},
      {&EndpointStats::initials_refused_memory_cap,
       AddCounter(registry, "p2pquic_endpoint_initials_refused_memory_cap_total",
                  "Client Initials refused: pending connections' memory at its cap.", labels)},
      {&EndpointStats::initials_refused_invalid_token,
       AddCounter(registry, "p2pquic_endpoint_initials_refused_invalid_token_total",
                  "Client Initials refused: invalid or expired Retry token.", labels)},
      {&EndpointStats::retries_sent,
       AddCounter(registry, "p2pquic_endpoint_retries_sent_total",
                  "Retry packets sent (address validation; no state created).", labels)},
      {&EndpointStats::retries_suppressed,
       AddCounter(registry, "p2pquic_endpoint_retries_suppressed_total",
                  "Retry packets and INVALID_TOKEN closes not sent: over the endpoint's budget.",
                  labels)},
      {&EndpointStats::retries_suppressed_prefix,
       AddCounter(registry, "p2pquic_endpoint_retries_suppressed_prefix_total",
                  "Retry packets and INVALID_TOKEN closes not sent: over the sender's prefix's "
                  "budget.",
                  labels)},
      {&EndpointStats::new_tokens_sent,
       AddCounter(registry, "p2pquic_endpoint_new_tokens_sent_total",
                  "NEW_TOKEN tokens sent to clients after their handshakes.", labels)},
      {&EndpointStats::version_negotiations_sent,
       AddCounter(registry, "p2pquic_endpoint_version_negotiations_total",
                  "Version Negotiation packets sent.", labels)},
      {&EndpointStats::stateless_resets_sent, &resets.Add(With(labels, "result", "sent"))},
      {&EndpointStats::stateless_resets_suppressed,
       &resets.Add(With(labels, "result", "suppressed"))},
      {&EndpointStats::stateless_resets_suppressed_prefix,
       &resets.Add(With(labels, "result", "suppressed_prefix"))},
      {&EndpointStats::stateless_resets_not_minted,
       &resets.Add(With(labels, "result", "not_minted"))},
      {&EndpointStats::version_negotiations_suppressed,
       &vn_suppressed.Add(With(labels, "budget", "endpoint"))},
      {&EndpointStats::version_negotiations_suppressed_prefix,
       &vn_suppressed.Add(With(labels, "budget", "prefix"))},
      {&EndpointStats::possible_resets_unanswered,
       &resets.Add(With(labels, "result", "possible_reset"))},
      {&EndpointStats::stateless_resets_received,
       AddCounter(registry, "p2pquic_endpoint_stateless_resets_received_total",
                  "Stateless resets from peers, each of which closed a connection.", labels)},
      {&EndpointStats::bytes_received, &bytes.Add(With(labels, "direction", "received"))},
      {&EndpointStats::bytes_sent, &bytes.Add(With(labels, "direction", "sent"))},
      {&EndpointStats::streams_accepted,
       AddCounter(registry, "p2pquic_endpoint_streams_accepted_total", "Streams opened by peers.",
                  labels)},
      {&EndpointStats::migrations,
       AddCounter(registry, "p2pquic_endpoint_migrations_total",
                  "Connections this endpoint moved to a new local address.", labels)},
      {&EndpointStats::cid_collisions,
       AddCounter(registry, "p2pquic_endpoint_cid_collisions_total",
                  "Drawn connection IDs that collided with one in use (drawn again).", labels)},
      {&EndpointStats::cid_draws_exhausted,
       AddCounter(registry, "p2pquic_endpoint_cid_draws_exhausted_total",
                  "Connections refused or failed because every connection ID drawn collided.",
                  labels)},
      {&EndpointStats::migrations_deferred,
       AddCounter(registry, "p2pquic_endpoint_migrations_deferred_total",
                  "Migrations that waited for a spare connection ID of the peer's.", labels)},
      {&EndpointStats::migrations_abandoned,
       AddCounter(registry, "p2pquic_endpoint_migrations_abandoned_total",
                  "Deferred migrations given up because another blocker appeared.", labels)},
      {&EndpointStats::path_validations_succeeded,
       &validations.Add(With(labels, "result", "succeeded"))},
      {&EndpointStats::path_validations_failed, &validations.Add(With(labels, "result", "failed"))},
      {&EndpointStats::pmtu_black_holes,
       AddCounter(registry, "p2pquic_endpoint_pmtu_black_holes_total",
                  "Path MTU black holes: connections whose probed datagram size stopped getting "
                  "through and that fell back to 1200-byte datagrams.",
                  labels)},
      {&EndpointStats::dropped,
       AddCounter(registry, "p2pquic_endpoint_dropped_datagrams_total",
                  "Datagrams dropped: malformed, unknown, undecryptable.", labels)},
      {&EndpointStats::closing_datagrams_received,
       AddCounter(registry, "p2pquic_endpoint_closing_datagrams_received_total",
                  "Datagrams that reached a connection in its closing period (RFC 9000 "
                  "10.2.1).",
                  labels)},
      {&EndpointStats::connection_closes_resent,
       AddCounter(registry, "p2pquic_endpoint_connection_closes_resent_total",
                  "Saved CONNECTION_CLOSE datagrams re-sent to answer them (the 1st, 2nd, "
                  "4th, ... datagram).",
                  labels)},
  };
  connections_ = &prometheus::BuildGauge()
                      .Name("p2pquic_endpoint_connections")
                      .Help("Connections open now (handshaking or established).")
                      .Register(registry)
                      .Add(labels);
}

void EndpointMetricsExporter::Export(const EndpointStats& stats, size_t open_connections) {
  for (const CounterField& c : counters_) {
    c.counter->Increment(static_cast<double>(stats.*c.field - last_.*c.field));
  }
  connections_->Set(static_cast<double>(open_connections));
  last_ = stats;
}

}  // namespace p2pquic::metrics
