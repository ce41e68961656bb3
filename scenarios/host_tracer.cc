#include "scenarios/host_tracer.h"

#include "transport/hex.h"
#include "transport/routing_header.h"

namespace p2pquic::scenarios {

// One connection's qlog file and key log lines.
class HostTracer::PerConnection final : public ConnectionTrace {
 public:
  PerConnection(const std::string& qlog_path, std::ostream* keylog) : keylog_(keylog) {
    if (!qlog_path.empty()) qlog_.open(qlog_path, std::ios::binary | std::ios::trunc);
  }
  bool qlog_failed() const { return wants_qlog_ && !qlog_.is_open(); }
  void set_wants_qlog(bool wants) { wants_qlog_ = wants; }

  bool WantsQlog() const override { return qlog_.is_open(); }
  void OnQlog(std::string_view text, bool final) override {
    qlog_.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (final) qlog_.flush();
  }
  void OnTlsSecret(std::string_view label, std::span<const uint8_t> client_random,
                   std::span<const uint8_t> secret) override {
    if (keylog_ == nullptr) return;
    *keylog_ << label << ' ' << HexEncode(client_random) << ' ' << HexEncode(secret) << '\n';
  }

 private:
  std::ofstream qlog_;
  std::ostream* keylog_;
  bool wants_qlog_ = false;
};

HostTracer::HostTracer(std::string host, size_t cid_length, const Clock& clock, Oracles& oracles,
                       TraceWriter& writer, HostTraceOptions options)
    : host_(std::move(host)),
      cid_length_(cid_length),
      clock_(clock),
      oracles_(oracles),
      writer_(writer),
      options_(std::move(options)) {}

HostTracer::~HostTracer() = default;

std::string HostTracer::DcidHex(std::span<const uint8_t> datagram) const {
  RoutingHeader header;
  if (ParseRoutingHeader(datagram, cid_length_, &header) != HeaderParseStatus::kOk) return "";
  return header.dcid.ToHex();
}

void HostTracer::OnDatagramRouted(const ReceivedDatagram& datagram, const RouteResult& route) {
  oracles_.OnDatagramRouted(host_, datagram, route, clock_.Now());
  if (!writer_.enabled()) return;
  nlohmann::json fields = {{"from", datagram.remote.ToString()},
                           {"to", datagram.local.ToString()},
                           {"size", datagram.payload.size()},
                           {"dcid", DcidHex(datagram.payload)},
                           {"route", ToString(route.outcome)}};
  if (NamesConnection(route.outcome)) fields["conn"] = route.connection.index;
  writer_.Write(host_, "datagram_in", std::move(fields));
}

void HostTracer::OnDatagramSent(const NetworkPath& path, std::span<const uint8_t> datagram) {
  oracles_.OnDatagramSent(host_, path, datagram.size(), clock_.Now());
  if (!writer_.enabled()) return;
  writer_.Write(host_, "datagram_out",
                {{"from", path.local.ToString()},
                 {"to", path.remote.ToString()},
                 {"size", datagram.size()},
                 {"dcid", DcidHex(datagram)}});
}

ConnectionTrace* HostTracer::OnConnectionCreated(ConnectionHandle connection, bool inbound,
                                                 const NetworkPath& path) {
  oracles_.OnConnectionCreated(host_, connection, inbound, path);
  writer_.Write(host_, "connection_created",
                {{"conn", connection.index},
                 {"inbound", inbound},
                 {"local", path.local.ToString()},
                 {"remote", path.remote.ToString()}});
  if (options_.qlog_dir.empty() && options_.keylog == nullptr) return nullptr;
  std::string qlog_path;
  if (!options_.qlog_dir.empty()) {
    qlog_path = options_.qlog_dir + "/" + host_ + "-" + std::to_string(connection.index) + "-" +
                std::to_string(connection.generation) + ".sqlog";
  }
  auto trace = std::make_unique<PerConnection>(qlog_path, options_.keylog);
  trace->set_wants_qlog(!qlog_path.empty());
  if (trace->qlog_failed()) ++qlog_failures_;
  ConnectionTrace* raw = trace.get();
  connections_[connection.index] = std::move(trace);
  return raw;
}

void HostTracer::OnHandshakeCompleted(ConnectionHandle connection) {
  writer_.Write(host_, "handshake_completed", {{"conn", connection.index}});
}

void HostTracer::OnCidIssued(ConnectionHandle connection, const ConnectionId& cid,
                             uint64_t sequence, bool registered) {
  oracles_.OnCidIssued(host_, connection, cid, sequence);
  writer_.Write(host_, "cid_issued",
                {{"conn", connection.index},
                 {"cid", cid.ToHex()},
                 {"seq", sequence},
                 {"registered", registered}});
}

void HostTracer::OnCidRegistered(ConnectionHandle connection, const ConnectionId& cid,
                                 uint64_t sequence) {
  writer_.Write(host_, "cid_registered",
                {{"conn", connection.index}, {"cid", cid.ToHex()}, {"seq", sequence}});
}

void HostTracer::OnCidRetired(ConnectionHandle connection, const ConnectionId& cid,
                              uint64_t sequence) {
  oracles_.OnCidRetired(host_, connection, cid, sequence, clock_.Now());
  writer_.Write(host_, "cid_retired",
                {{"conn", connection.index}, {"cid", cid.ToHex()}, {"seq", sequence}});
}

void HostTracer::OnPathValidation(ConnectionHandle connection, const NetworkPath& path,
                                  PathValidation result) {
  if (result == PathValidation::kSucceeded) ++paths_validated_;
  oracles_.OnPathValidation(host_, path, result);
  writer_.Write(host_, "path_validation",
                {{"conn", connection.index},
                 {"local", path.local.ToString()},
                 {"remote", path.remote.ToString()},
                 {"result", ToString(result)}});
}

void HostTracer::OnConnectionRemoved(ConnectionHandle connection, const ConnectionEnd& end) {
  oracles_.OnConnectionRemoved(host_, connection, clock_.Now());
  writer_.Write(host_, "connection_removed",
                {{"conn", connection.index},
                 {"cause", ToString(end.cause)},
                 {"reason", end.reason},
                 {"odcid", end.original_dcid.ToHex()}});
  connections_.erase(connection.index);  // Its QuicConnection (and last qlog write) is gone.
}

}  // namespace p2pquic::scenarios
