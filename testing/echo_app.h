// EchoApp: the application behind one Endpoint in transport tests, over
// real UDP or the simulator. It records what happens on every connection
// (handshakes completed, bytes that arrived on each stream, FINs, closes)
// and, in echo mode, writes each chunk straight back on the same stream
// (FIN answered with FIN).
//
// Contract: single-threaded. set_endpoint before any traffic; the Endpoint
// and the verifier given to it outlive it. Stream IDs are recorded as the
// connections report them: a test that runs several connections on one
// EchoApp keeps their streams apart itself.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "testing/accept_any_certificate.h"
#include "transport/quic/endpoint/endpoint.h"

namespace p2pquic::testing {

enum class EchoMode : uint8_t { kRecordOnly, kEcho };

class EchoApp final : public EndpointDelegate {
 public:
  // A connection that ended: which, why and how.
  struct Closed {
    ConnectionHandle handle;
    std::string reason;
    CloseCause cause = CloseCause::kLocalClose;
  };

  // Judges every peer with its own AcceptAnyCertificate.
  explicit EchoApp(EchoMode mode) : EchoApp(own_verifier_, mode) {}
  // Judges every peer with `verifier`.
  EchoApp(PeerCertificateVerifier& verifier, EchoMode mode) : verifier_(verifier), mode_(mode) {}
  EchoApp(const EchoApp&) = delete;
  EchoApp& operator=(const EchoApp&) = delete;

  void set_endpoint(Endpoint* endpoint) { endpoint_ = endpoint; }

  ConnectionParts OnConnectionCreated(ConnectionHandle handle, bool inbound,
                                      const NetworkPath& path) override;
  void OnConnectionClosed(ConnectionHandle handle, const ConnectionEnd& end) override;

  // Connections whose handshake completed, in that order.
  const std::vector<ConnectionHandle>& ready() const { return ready_; }
  // The bytes that arrived on `stream_id` (none if nothing did).
  std::vector<uint8_t> ReceivedOn(int64_t stream_id) const;
  // Every byte that arrived on any stream, in arrival order.
  const std::vector<uint8_t>& received() const { return received_; }
  // Streams whose FIN arrived, in that order.
  const std::vector<int64_t>& finished() const { return finished_; }
  // Connections that ended, in that order.
  const std::vector<Closed>& closed() const { return closed_; }
  int inbound_count() const { return inbound_count_; }
  int outbound_count() const { return outbound_count_; }

 private:
  // Each connection's observer: knows its connection, reports to the app.
  class PerConnection final : public ConnectionObserver {
   public:
    PerConnection(EchoApp& app, ConnectionHandle handle) : app_(app), handle_(handle) {}
    void OnHandshakeCompleted() override { app_.ready_.push_back(handle_); }
    void OnStreamOpened(int64_t) override {}
    void OnStreamData(int64_t stream_id, std::span<const uint8_t> data, bool fin) override;
    void OnStreamWritable(int64_t) override {}
    void OnStreamReset(int64_t, uint64_t) override {}
    void OnStreamWriteStopped(int64_t) override {}
    void OnStreamClosed(int64_t, uint64_t) override {}

   private:
    EchoApp& app_;
    const ConnectionHandle handle_;
  };

  AcceptAnyCertificate own_verifier_;
  PeerCertificateVerifier& verifier_;
  const EchoMode mode_;
  Endpoint* endpoint_ = nullptr;
  // By the handle's index: a later connection reusing the index replaces
  // the earlier one's observer, as the endpoint has dropped it.
  std::map<uint32_t, std::unique_ptr<PerConnection>> connections_;
  std::vector<ConnectionHandle> ready_;
  std::map<int64_t, std::vector<uint8_t>> received_by_stream_;
  std::vector<uint8_t> received_;
  std::vector<int64_t> finished_;
  std::vector<Closed> closed_;
  int inbound_count_ = 0;
  int outbound_count_ = 0;
};

}  // namespace p2pquic::testing
