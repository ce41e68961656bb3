// HostTracer: the EndpointTracer of one simulated host. It feeds the
// run's Oracles and TraceWriter, and gives each connection a qlog file and
// the run's TLS key log when those were asked for. When frames are asked
// for, it reads each connection's qlog as ngtcp2 writes it
// (QlogFrameReader) and hands every traced frame, every stateless reset
// the endpoint sends, and every Retry it sends or a connection receives
// (seen in the datagrams: Retry packets carry no frames), to the run's
// FrameLog and the trace ("frame" lines), and the frames to the oracles.
//
// Contract: single-threaded; the oracles, writer, clock and key log stream
// outlive the tracer, and the tracer outlives its endpoint.
#pragma once

#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "scenarios/runner/frame_log.h"
#include "scenarios/runner/oracles/oracles.h"
#include "scenarios/runner/trace_writer.h"
#include "transport/quic/endpoint/endpoint_tracer.h"
#include "transport/runtime/clock.h"

namespace p2pquic::scenarios {

struct HostTraceOptions {
  std::string qlog_dir;            // Empty: no qlog.
  std::ostream* keylog = nullptr;  // Null: no TLS key log.
  // How often the host restarted before this tracer's endpoint: a later
  // life names its qlog files apart (its connection handles start over).
  uint32_t restarts = 0;
  // Null: frames are not read (ngtcp2 then formats no qlog unless qlog_dir
  // asks for it, which keeps plain runs fast).
  FrameLog* frames = nullptr;
  // Told of every Retry routed to one of the host's connections, with the
  // Retry's SCID. Unset: nobody is told.
  std::function<void(ConnectionHandle connection, const ConnectionId& scid)> on_retry;
};

class HostTracer final : public EndpointTracer {
 public:
  HostTracer(std::string host, size_t cid_length, const Clock& clock, Oracles& oracles,
             TraceWriter& writer, HostTraceOptions options);
  ~HostTracer() override;

  void OnDatagramRouted(const ReceivedDatagram& datagram, const RoutingHeader& header,
                        const RouteResult& route) override;
  void OnDatagramSent(const NetworkPath& path, std::span<const uint8_t> datagram) override;
  ConnectionTrace* OnConnectionCreated(ConnectionHandle connection, bool inbound,
                                       const NetworkPath& path) override;
  void OnHandshakeCompleted(ConnectionHandle connection) override;
  void OnCidIssued(ConnectionHandle connection, const ConnectionId& cid, uint64_t sequence,
                   bool registered) override;
  void OnCidRegistered(ConnectionHandle connection, const ConnectionId& cid,
                       uint64_t sequence) override;
  void OnCidRetired(ConnectionHandle connection, const ConnectionId& cid,
                    uint64_t sequence) override;
  void OnPathValidation(ConnectionHandle connection, const NetworkPath& path,
                        PathValidation result) override;
  void OnPathMtuBlackHole(ConnectionHandle connection, const NetworkPath& path, size_t probed_size,
                          size_t base_size) override;
  void OnConnectionRemoved(ConnectionHandle connection, const ConnectionEnd& end) override;
  void OnStatelessResetSent(const NetworkPath& path, const ConnectionId& dcid) override;

  // Successful path validations this host saw.
  uint64_t paths_validated() const { return paths_validated_; }
  // qlog files that could not be opened.
  uint64_t qlog_failures() const { return qlog_failures_; }

 private:
  class PerConnection;

  std::string DcidHex(std::span<const uint8_t> datagram) const;
  // A traced frame of `connection` (whose qlog group_id is `original_dcid`).
  void OnFrame(ConnectionHandle connection, const std::string& original_dcid,
               FrameDirection direction, const TracedFrame& frame);
  void OnQlogHeader(ConnectionHandle connection, const std::string& original_dcid);
  // The endpoint sent a Retry (stateless: it belongs to no connection).
  void OnRetrySent(const NetworkPath& path);
  void OnUnreadableQlog(ConnectionHandle connection);

  std::string host_;
  size_t cid_length_;
  const Clock& clock_;
  Oracles& oracles_;
  TraceWriter& writer_;
  HostTraceOptions options_;
  std::map<uint32_t, std::unique_ptr<PerConnection>> connections_;  // By handle index.
  uint64_t paths_validated_ = 0;
  uint64_t qlog_failures_ = 0;
};

}  // namespace p2pquic::scenarios
