#include "scenarios/runner/host_tracer.h"

#include "scenarios/runner/qlog_frame_reader.h"
#include "transport/base/hex.h"
#include "transport/routing/routing_header.h"

namespace p2pquic::scenarios {

namespace {

// A traced frame as a trace line's fields, after "conn" and "dir".
void AddFrameFields(const TracedFrame& frame, nlohmann::json& fields) {
  fields["frame"] = ToString(frame.type);
  switch (frame.type) {
    case FrameType::kNewConnectionId:
      fields["seq"] = frame.sequence;
      fields["retire_prior_to"] = frame.retire_prior_to;
      fields["cid"] = frame.cid;
      break;
    case FrameType::kRetireConnectionId:
      fields["seq"] = frame.sequence;
      break;
    case FrameType::kPathChallenge:
    case FrameType::kPathResponse:
      fields["data"] = frame.data;
      break;
    case FrameType::kNewToken:
    case FrameType::kStatelessReset:
      fields["token"] = frame.data;
      break;
    case FrameType::kConnectionClose:
      fields["error_space"] = frame.error_space;
      fields["error_code"] = frame.error_code;
      break;
    case FrameType::kRetry:
      break;  // Nothing beyond its kind: the token is opaque to the client.
  }
}

}  // namespace

// One connection's qlog file, frame reader and key log lines.
class HostTracer::PerConnection final : public ConnectionTrace {
 public:
  PerConnection(HostTracer& tracer, ConnectionHandle connection, const std::string& qlog_path,
                std::ostream* keylog, bool read_frames)
      : tracer_(tracer), connection_(connection), keylog_(keylog) {
    if (!qlog_path.empty()) qlog_.open(qlog_path, std::ios::binary | std::ios::trunc);
    if (read_frames) {
      reader_.emplace([this](FrameDirection direction, const TracedFrame& frame) {
        tracer_.OnFrame(connection_, reader_->group_id(), direction, frame);
      });
    }
  }
  bool qlog_failed() const { return wants_qlog_ && !qlog_.is_open(); }
  void set_wants_qlog(bool wants) { wants_qlog_ = wants; }

  bool WantsQlog() const override { return qlog_.is_open() || reader_.has_value(); }
  void OnQlog(std::string_view text, bool final) override {
    if (qlog_.is_open()) {
      qlog_.write(text.data(), static_cast<std::streamsize>(text.size()));
      if (final) qlog_.flush();
    }
    if (!reader_) return;
    const uint64_t unreadable = reader_->unreadable_records();
    const bool had_header = !reader_->group_id().empty();
    reader_->Feed(text);
    if (!had_header && !reader_->group_id().empty()) {
      tracer_.OnQlogHeader(connection_, reader_->group_id());
    }
    if (reader_->unreadable_records() != unreadable) tracer_.OnUnreadableQlog(connection_);
  }
  void OnTlsSecret(std::string_view label, std::span<const uint8_t> client_random,
                   std::span<const uint8_t> secret) override {
    if (keylog_ == nullptr) return;
    *keylog_ << label << ' ' << HexEncode(client_random) << ' ' << HexEncode(secret) << '\n';
  }

 private:
  HostTracer& tracer_;
  ConnectionHandle connection_;
  std::ofstream qlog_;
  std::optional<QlogFrameReader> reader_;
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

void HostTracer::OnDatagramRouted(const ReceivedDatagram& datagram, const RoutingHeader& header,
                                  const RouteResult& route) {
  oracles_.OnDatagramRouted(host_, datagram, route, clock_.Now());
  if (route.parse_status == HeaderParseStatus::kOk && header.type == LongPacketType::kRetry &&
      NamesConnection(route.outcome)) {
    // Traced as a frame only when frames are read; the workload hears of
    // it always (ConnectionEnds finds the listener's end by it).
    TracedFrame retry;
    retry.type = FrameType::kRetry;
    std::string original_dcid;
    if (options_.frames != nullptr) {
      original_dcid = options_.frames->OriginalDcid(host_, route.connection).value_or("");
    }
    OnFrame(route.connection, original_dcid, FrameDirection::kReceived, retry);
    if (options_.on_retry) options_.on_retry(route.connection, header.scid);
  }
  if (!writer_.enabled()) return;
  nlohmann::json fields = {
      {"from", datagram.remote.ToString()},
      {"to", datagram.local.ToString()},
      {"size", datagram.payload.size()},
      {"dcid", route.parse_status == HeaderParseStatus::kOk ? header.dcid.ToHex() : std::string()},
      {"route", ToString(route.outcome)}};
  if (NamesConnection(route.outcome)) fields["conn"] = route.connection.index;
  writer_.Write(host_, "datagram_in", std::move(fields));
}

void HostTracer::OnDatagramSent(const NetworkPath& path, std::span<const uint8_t> datagram) {
  oracles_.OnDatagramSent(host_, path, datagram.size(), clock_.Now());
  RoutingHeader header;
  if (ParseRoutingHeader(datagram, cid_length_, &header) == HeaderParseStatus::kOk &&
      header.type == LongPacketType::kRetry) {
    OnRetrySent(path);
  }
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
  if (options_.qlog_dir.empty() && options_.keylog == nullptr && options_.frames == nullptr) {
    return nullptr;
  }
  std::string qlog_path;
  if (!options_.qlog_dir.empty()) {
    const std::string life =
        options_.restarts == 0 ? "" : "r" + std::to_string(options_.restarts) + "-";
    qlog_path = options_.qlog_dir + "/" + host_ + "-" + life + std::to_string(connection.index) +
                "-" + std::to_string(connection.generation) + ".sqlog";
  }
  auto trace = std::make_unique<PerConnection>(*this, connection, qlog_path, options_.keylog,
                                               options_.frames != nullptr);
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
  oracles_.OnCidIssued(host_, connection, cid, sequence, clock_.Now());
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

void HostTracer::OnPathMtuBlackHole(ConnectionHandle connection, const NetworkPath& path,
                                    size_t probed_size, size_t base_size) {
  writer_.Write(host_, "pmtu_black_hole",
                {{"conn", connection.index},
                 {"local", path.local.ToString()},
                 {"remote", path.remote.ToString()},
                 {"probed_size", probed_size},
                 {"base_size", base_size}});
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

void HostTracer::OnQlogHeader(ConnectionHandle connection, const std::string& original_dcid) {
  if (options_.frames != nullptr)
    options_.frames->SetOriginalDcid(host_, connection, original_dcid);
}

void HostTracer::OnUnreadableQlog(ConnectionHandle connection) {
  oracles_.Report("frame-trace", host_, clock_.Now(),
                  "connection " + std::to_string(connection.index) +
                      ": a qlog record that should hold traced frames did not parse");
}

void HostTracer::OnFrame(ConnectionHandle connection, const std::string& original_dcid,
                         FrameDirection direction, const TracedFrame& frame) {
  const Timestamp now = clock_.Now();
  oracles_.OnFrame(host_, connection, direction, frame, now);
  if (options_.frames != nullptr) {
    options_.frames->Add({0, now, host_, connection, original_dcid, direction, frame});
  }
  if (!writer_.enabled()) return;
  nlohmann::json fields = {{"conn", connection.index}, {"dir", ToString(direction)}};
  AddFrameFields(frame, fields);
  writer_.Write(host_, "frame", std::move(fields));
}

void HostTracer::OnRetrySent(const NetworkPath& path) {
  TracedFrame retry;
  retry.type = FrameType::kRetry;
  if (options_.frames != nullptr) {
    options_.frames->Add(
        {0, clock_.Now(), host_, ConnectionHandle{}, "", FrameDirection::kSent, retry});
  }
  writer_.Write(host_, "frame",
                {{"dir", ToString(FrameDirection::kSent)},
                 {"frame", ToString(retry.type)},
                 {"to", path.remote.ToString()}});
}

void HostTracer::OnStatelessResetSent(const NetworkPath& path, const ConnectionId& dcid) {
  oracles_.OnStatelessResetSent(host_);
  TracedFrame reset;
  reset.type = FrameType::kStatelessReset;
  if (options_.frames != nullptr) {
    options_.frames->Add(
        {0, clock_.Now(), host_, ConnectionHandle{}, "", FrameDirection::kSent, reset});
  }
  writer_.Write(host_, "frame",
                {{"dir", ToString(FrameDirection::kSent)},
                 {"frame", ToString(reset.type)},
                 {"to", path.remote.ToString()},
                 {"dcid", dcid.ToHex()}});
}

}  // namespace p2pquic::scenarios
