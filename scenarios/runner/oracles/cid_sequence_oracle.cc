#include "scenarios/runner/oracles/cid_sequence_oracle.h"

namespace p2pquic::scenarios {

namespace {
constexpr char kOracle[] = "cid-sequence";
}  // namespace

void CidSequenceOracle::OnCidIssued(const std::string& host, ConnectionHandle connection,
                                    const ConnectionId& cid, uint64_t sequence, Timestamp now) {
  const auto [last, first] =
      last_issued_[host].try_emplace({connection.index, connection.generation}, sequence);
  if (first) return;
  if (sequence <= last->second) {
    report_.Report(kOracle, host, now,
                   "CID " + cid.ToHex() + " issued with sequence " + std::to_string(sequence) +
                       " after sequence " + std::to_string(last->second));
  }
  last->second = sequence;
}

void CidSequenceOracle::OnFrame(const std::string& host, const CidLedger& ledger,
                                ConnectionHandle connection, FrameDirection direction,
                                const TracedFrame& frame, Timestamp now) {
  if (direction != FrameDirection::kSent || frame.type != FrameType::kNewConnectionId) return;
  report_.CountCheck(OracleCheck::kNewConnectionIdFrame);
  const std::string announced =
      "NEW_CONNECTION_ID sequence " + std::to_string(frame.sequence) + " with CID " + frame.cid;
  const CidLedger::CidOwner* owner = ledger.FindCid(frame.cid);
  if (owner == nullptr || owner->connection_gone) {
    report_.Report(kOracle, host, now, announced + ": the registry never issued that CID");
  } else if (owner->connection != connection) {
    report_.Report(kOracle, host, now,
                   announced + ": the registry issued it to another connection");
  } else if (owner->sequence != frame.sequence) {
    report_.Report(
        kOracle, host, now,
        announced + ": the registry holds it as sequence " + std::to_string(owner->sequence));
  }
}

}  // namespace p2pquic::scenarios
