// EchoPeer: the application behind one Endpoint in simulator tests. It
// records every byte that arrives on any stream and, in echo mode, writes
// each chunk straight back on the same stream (FIN answered with FIN).
//
// Contract: one connection at a time (the last one created is the one it
// answers on); the verifier and the Endpoint (set_endpoint, before any
// traffic) must outlive it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "transport/quic/endpoint/endpoint.h"

namespace p2pquic::sim {

enum class EchoMode : uint8_t { kRecordOnly, kEcho };

class EchoPeer final : public EndpointDelegate, public ConnectionObserver {
 public:
  EchoPeer(PeerCertificateVerifier& verifier, EchoMode mode) : verifier_(verifier), mode_(mode) {}

  void set_endpoint(Endpoint* endpoint) { endpoint_ = endpoint; }

  ConnectionParts OnConnectionCreated(ConnectionHandle handle, bool inbound,
                                      const NetworkPath& path) override;
  void OnConnectionClosed(ConnectionHandle handle, const ConnectionEnd& end) override;
  void OnHandshakeCompleted() override { ready_ = true; }
  void OnStreamOpened(int64_t) override {}
  void OnStreamData(int64_t stream_id, std::span<const uint8_t> data, bool fin) override;
  void OnStreamWritable(int64_t) override {}
  void OnStreamReset(int64_t, uint64_t) override {}
  void OnStreamWriteStopped(int64_t) override {}
  void OnStreamClosed(int64_t, uint64_t) override {}

  bool ready() const { return ready_; }        // The handshake completed.
  bool finished() const { return finished_; }  // The peer's FIN arrived.
  bool closed() const { return closed_; }
  const std::string& close_reason() const { return close_reason_; }
  const std::vector<uint8_t>& received() const { return received_; }

 private:
  PeerCertificateVerifier& verifier_;
  const EchoMode mode_;
  Endpoint* endpoint_ = nullptr;
  ConnectionHandle handle_;
  bool ready_ = false;
  bool finished_ = false;
  bool closed_ = false;
  std::string close_reason_;
  std::vector<uint8_t> received_;
};

}  // namespace p2pquic::sim
