// Oracles: the properties every simulated run must keep, whatever its
// scenario file expects (README.md, "Replaying a scenario from a bug
// report"), one checker per file:
//   routing        routing_oracle.h
//   cid-lifetime   cid_lifetime_oracle.h
//   cid-retirement cid_retirement_oracle.h
//   cid-sequence   cid_sequence_oracle.h
//   amplification  amplification_oracle.h
//   stream-data    stream_data_oracle.h (at the end of the run)
// This class is what the run talks to: it takes the hosts' tracer events,
// keeps each host's CidLedger (the model the CID oracles share), and hands
// every event to the oracles that judge it, in a fixed order, so the
// violations come out in the order the run broke them.
//
// Contract: fed synchronously by the hosts' tracers; single-threaded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "scenarios/format/traced_frame.h"
#include "scenarios/runner/oracles/amplification_oracle.h"
#include "scenarios/runner/oracles/cid_ledger.h"
#include "scenarios/runner/oracles/cid_lifetime_oracle.h"
#include "scenarios/runner/oracles/cid_retirement_oracle.h"
#include "scenarios/runner/oracles/cid_sequence_oracle.h"
#include "scenarios/runner/oracles/oracle_report.h"
#include "scenarios/runner/oracles/routing_oracle.h"
#include "scenarios/runner/oracles/stream_data_oracle.h"
#include "transport/base/time.h"
#include "transport/quic/endpoint/endpoint_tracer.h"
#include "transport/routing/connection_id_registry.h"

namespace p2pquic::scenarios {

class Oracles {
 public:
  static constexpr size_t kMaxKept = OracleReport::kMaxKept;
  static constexpr uint64_t kAmplificationFactor = AmplificationOracle::kAmplificationFactor;

  Oracles() = default;
  Oracles(const Oracles&) = delete;
  Oracles& operator=(const Oracles&) = delete;

  // Every host must be added before its events arrive.
  void AddHost(const std::string& host, const ConnectionIdRegistry& registry, size_t cid_length);
  // The host restarted with a new, empty `registry`: every connection it had
  // is gone (its CIDs must never route again) and no path is validated.
  void OnHostRestarted(const std::string& host, const ConnectionIdRegistry& registry);

  void OnConnectionCreated(const std::string& host, ConnectionHandle connection, bool inbound,
                           const NetworkPath& path);
  void OnCidIssued(const std::string& host, ConnectionHandle connection, const ConnectionId& cid,
                   uint64_t sequence, Timestamp now);
  void OnCidRetired(const std::string& host, ConnectionHandle connection, const ConnectionId& cid,
                    uint64_t sequence, Timestamp now);
  void OnConnectionRemoved(const std::string& host, ConnectionHandle connection, Timestamp now);
  void OnDatagramRouted(const std::string& host, const ReceivedDatagram& datagram,
                        const RouteResult& route, Timestamp now);
  void OnDatagramSent(const std::string& host, const NetworkPath& path, size_t bytes,
                      Timestamp now);
  void OnPathValidation(const std::string& host, const NetworkPath& path, PathValidation result);
  // The host's endpoint answered the datagram it just received with a
  // stateless reset (sent next).
  void OnStatelessResetSent(const std::string& host) { amplification_.OnStatelessResetSent(host); }
  // A traced frame one of the host's connections sent or received.
  void OnFrame(const std::string& host, ConnectionHandle connection, FrameDirection direction,
               const TracedFrame& frame, Timestamp now);
  // The end of the run: transfer stream `stream` as its receiver got it.
  void OnStreamEnded(const std::string& stream, const std::string& receiver,
                     const StreamRecord* sent, const StreamRecord& received, Timestamp now);

  // Runs the registry's own audit on every host.
  void CheckRegistries(Timestamp now);
  // A violation found outside the oracles above.
  void Report(const std::string& oracle, const std::string& host, Timestamp at, std::string detail);

  const std::vector<OracleViolation>& violations() const { return report_.violations(); }
  uint64_t violation_count() const { return report_.violation_count(); }
  uint64_t checks() const { return report_.checks(); }
  const std::array<uint64_t, kOracleCheckCount>& checks_by_kind() const {
    return report_.checks_by_kind();
  }

 private:
  void OnRouted(const std::string& host, CidLedger& ledger, const ReceivedDatagram& datagram,
                const RouteResult& route, Timestamp now);

  OracleReport report_;
  std::map<std::string, CidLedger> ledgers_;  // By host.
  RoutingOracle routing_{report_};
  CidLifetimeOracle cid_lifetime_{report_};
  CidRetirementOracle cid_retirement_{report_};
  CidSequenceOracle cid_sequence_{report_};
  AmplificationOracle amplification_{report_};
  StreamDataOracle stream_data_{report_};
};

}  // namespace p2pquic::scenarios
