// Oracles: the properties every simulated run must keep, whatever its
// scenario file expects (README.md, "Replaying a scenario from a bug report"):
//   routing        a datagram whose DCID is a live CID of ours reaches the
//                  connection that owns it and no other, and a client's
//                  Initial reaches the connection its (DCID, address) made;
//   cid-lifetime   no CID routes to a connection after that connection is
//                  gone, and the registry's invariants hold at every removal;
//   cid-retirement every retirement is of a sequence that was issued, once,
//                  and a retired CID never routes as an active one again;
//   cid-sequence   a connection issues its CIDs in ascending sequence order,
//                  and every NEW_CONNECTION_ID it sends carries a CID its
//                  registry issued to it, with the sequence number the
//                  registry holds (QuicConnection mirrors ngtcp2's counter,
//                  which ngtcp2 assigns only after get_new_connection_id
//                  returns: this is what keeps the mirror honest; checked
//                  on the frames read from qlog, so only in runs that
//                  record frames);
//   amplification  a server sends at most three times what it received on
//                  a new client address until that path is validated;
//   stream-data    (checked by the runner at the end) every finished stream
//                  arrived with the bytes and hash it was sent with.
//
// Peers may retire CIDs in any order (RFC 9000 §5.1.2) and ngtcp2 uses new
// CIDs in arrival order, so "in order" is checked where we control it: the
// registry never revives or double-retires a sequence.
//
// Contract: fed synchronously by the hosts' tracers; single-threaded.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "scenarios/format/traced_frame.h"
#include "transport/base/time.h"
#include "transport/quic/endpoint/endpoint_tracer.h"
#include "transport/routing/connection_id_registry.h"

namespace p2pquic::scenarios {

struct OracleViolation {
  std::string oracle;  // "routing", "cid-lifetime", ...
  std::string host;
  Timestamp at;
  std::string detail;
};

class Oracles {
 public:
  // Violations beyond this many are counted, not kept (a broken run can
  // produce one per datagram).
  static constexpr size_t kMaxKept = 32;
  // RFC 9000 §8.1: three times the bytes received on an unvalidated path.
  static constexpr uint64_t kAmplificationFactor = 3;

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
  // A traced frame one of the host's connections sent or received.
  void OnFrame(const std::string& host, ConnectionHandle connection, FrameDirection direction,
               const TracedFrame& frame, Timestamp now);

  // Runs the registry's own audit on every host.
  void CheckRegistries(Timestamp now);
  // For the runner's end-of-run checks.
  void Report(const std::string& oracle, const std::string& host, Timestamp at, std::string detail);

  const std::vector<OracleViolation>& violations() const { return violations_; }
  uint64_t violation_count() const { return violation_count_; }
  uint64_t checks() const { return checks_; }

 private:
  struct CidOwner {
    ConnectionHandle connection;
    uint64_t sequence = 0;
    bool retired = false;
    bool connection_gone = false;
  };
  struct PathBudget {  // One remote address of one host.
    uint64_t received = 0;
    uint64_t sent = 0;
    bool validated = false;
  };
  using InitialKey = std::pair<std::string, std::string>;  // (DCID hex, client address).
  struct InitialOwner {
    ConnectionHandle connection;
    bool connection_gone = false;
  };
  struct Host {
    const ConnectionIdRegistry* registry = nullptr;
    // The last Initial that opened no connection: the endpoint creates the
    // connection for it synchronously, so OnConnectionCreated pairs them.
    std::optional<InitialKey> accepting;
    std::map<InitialKey, InitialOwner> initials;
    size_t cid_length = 0;
    std::map<std::string, CidOwner> cids;     // By CID hex.
    std::map<std::string, PathBudget> paths;  // By remote address.
    // The last sequence each connection issued, by (handle index, generation).
    std::map<std::pair<uint32_t, uint32_t>, uint64_t> last_issued;
  };

  void CheckRoute(Host& host, const std::string& name, const ReceivedDatagram& datagram,
                  const RouteResult& route, Timestamp now);
  void CheckInitialRoute(Host& host, const std::string& name, const InitialKey& key,
                         const RouteResult& route, Timestamp now);

  std::map<std::string, Host> hosts_;
  std::vector<OracleViolation> violations_;
  uint64_t violation_count_ = 0;
  uint64_t checks_ = 0;
};

}  // namespace p2pquic::scenarios
