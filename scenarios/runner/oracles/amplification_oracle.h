// The amplification oracle: a server sends at most three times what it
// received on a new client address until that path is validated
// (RFC 9000 §8.1). The handshake's own path is validated by the handshake.
// A stateless reset belongs to no connection and has its own limit
// (RFC 9000 §10.3): smaller than three times the datagram it answers. It is
// judged by that limit and kept out of the path's budget: the datagram it
// answers reached no connection, so that budget never counted it either.
//
// Contract: single-threaded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "scenarios/runner/oracles/oracle_report.h"
#include "transport/base/network_path.h"
#include "transport/base/time.h"
#include "transport/quic/endpoint/endpoint_tracer.h"

namespace p2pquic::scenarios {

class AmplificationOracle {
 public:
  // RFC 9000 §8.1: three times the bytes received on an unvalidated path.
  static constexpr uint64_t kAmplificationFactor = 3;

  explicit AmplificationOracle(OracleReport& report) : report_(report) {}

  // A connection was created on `path`: its peer address counts as
  // validated (address validation by the handshake; a client's peer is the
  // address it chose).
  void OnConnectionCreated(const std::string& host, const NetworkPath& path);
  // `bytes` arrived from `remote` and were routed to a connection.
  void OnReceived(const std::string& host, const SocketAddress& remote, size_t bytes);
  void OnDatagramSent(const std::string& host, const NetworkPath& path, size_t bytes,
                      Timestamp now);
  // Every datagram the host received, routed or not (before any answer).
  void OnArrived(const std::string& host, size_t bytes) { last_arrival_[host] = bytes; }
  // The host's endpoint answered the datagram that just arrived with a
  // stateless reset: its next datagram sent is that reset.
  void OnStatelessResetSent(const std::string& host) { pending_reset_[host] = last_arrival_[host]; }
  void OnPathValidation(const std::string& host, const NetworkPath& path, PathValidation result);
  // A restarted host has validated no path.
  void OnHostRestarted(const std::string& host) { paths_[host].clear(); }

 private:
  struct PathBudget {  // One remote address of one host.
    uint64_t received = 0;
    uint64_t sent = 0;
    bool validated = false;
  };

  OracleReport& report_;
  // By host, then by remote address.
  std::map<std::string, std::map<std::string, PathBudget>> paths_;
  // By host: the size of the last datagram it received.
  std::map<std::string, size_t> last_arrival_;
  // By host: a stateless reset about to be sent, with the size of the
  // datagram it answers.
  std::map<std::string, size_t> pending_reset_;
};

}  // namespace p2pquic::scenarios
