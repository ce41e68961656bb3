#include "scenarios/runner/oracles/amplification_oracle.h"

namespace p2pquic::scenarios {

void AmplificationOracle::OnConnectionCreated(const std::string& host, const NetworkPath& path) {
  paths_[host][path.remote.ToString()].validated = true;
}

void AmplificationOracle::OnReceived(const std::string& host, const SocketAddress& remote,
                                     size_t bytes) {
  // A routed datagram from an address the host has not seen opens a path
  // whose budget is what arrives on it.
  paths_[host][remote.ToString()].received += bytes;
}

void AmplificationOracle::OnDatagramSent(const std::string& host, const NetworkPath& path,
                                         size_t bytes, Timestamp now) {
  const auto reset = pending_reset_.find(host);
  if (reset != pending_reset_.end()) {
    const size_t answered = reset->second;
    pending_reset_.erase(reset);
    report_.CountCheck(OracleCheck::kAmplification);
    // RFC 9000 §10.3: "MUST NOT send a stateless reset that is three times
    // or more larger than the packet it receives".
    if (bytes >= kAmplificationFactor * answered) {
      report_.Report("amplification", host, now,
                     "stateless reset of " + std::to_string(bytes) + " bytes to " +
                         path.remote.ToString() + " answered a datagram of " +
                         std::to_string(answered));
    }
    return;
  }
  std::map<std::string, PathBudget>& paths = paths_[host];
  const auto it = paths.find(path.remote.ToString());
  if (it == paths.end() || it->second.validated) return;
  PathBudget& budget = it->second;
  budget.sent += bytes;
  report_.CountCheck(OracleCheck::kAmplification);
  if (budget.sent > kAmplificationFactor * budget.received) {
    report_.Report("amplification", host, now,
                   "sent " + std::to_string(budget.sent) + " bytes to unvalidated " +
                       path.remote.ToString() + " after receiving " +
                       std::to_string(budget.received));
  }
}

void AmplificationOracle::OnPathValidation(const std::string& host, const NetworkPath& path,
                                           PathValidation result) {
  if (result == PathValidation::kSucceeded) paths_[host][path.remote.ToString()].validated = true;
}

}  // namespace p2pquic::scenarios
