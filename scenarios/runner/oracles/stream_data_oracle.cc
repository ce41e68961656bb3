#include "scenarios/runner/oracles/stream_data_oracle.h"

namespace p2pquic::scenarios {

bool StreamDataOracle::Same(const StreamRecord* sent, const StreamRecord* received) {
  return sent != nullptr && received != nullptr && received->payload_bytes == sent->payload_bytes &&
         received->hash == sent->hash;
}

void StreamDataOracle::OnStreamEnded(const std::string& stream, const std::string& receiver,
                                     const StreamRecord* sent, const StreamRecord& received,
                                     Timestamp now) {
  report_.CountCheck(OracleCheck::kStreamEnded);
  if (!received.fin || Same(sent, &received)) return;
  report_.Report("stream-data", receiver, now,
                 "stream " + stream + " finished with " + std::to_string(received.payload_bytes) +
                     " bytes that differ from what was sent");
}

}  // namespace p2pquic::scenarios
