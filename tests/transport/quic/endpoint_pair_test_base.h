// EndpointPairTest: a server and a client Endpoint over real UDP on
// 127.0.0.1, driven by the Boost.Asio runtime, for the endpoint tests
// (endpoint_test, zero_length_cid_test). MakeEndpoints builds both from
// their configurations (the client never accepts inbound); RunUntil runs
// the loop until a condition holds or kEndpointStepLimit passes.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <vector>

#include "sim/delaying_cid_registrar.h"
#include "testing/echo_app.h"
#include "testing/test_certificate.h"
#include "transport/quic/endpoint/endpoint.h"
#include "transport/runtime/asio/asio_clock.h"
#include "transport/runtime/asio/asio_udp_socket.h"
#include "transport/runtime/asio/system_random.h"

namespace p2pquic::testing {

inline constexpr auto kEndpointStepLimit = std::chrono::seconds(10);

class EndpointPairTest : public ::testing::Test {
 protected:
  EndpointPairTest() : clock_(io_) {}

  std::unique_ptr<AsioUdpSocket> OpenSocket() {
    RebindResult result;
    auto socket = AsioUdpSocket::Open(io_, clock_, SocketAddress::Loopback4(0), &result);
    EXPECT_NE(socket, nullptr) << ToString(result);
    return socket;
  }

  void MakeEndpoints(const EndpointConfig& server_config = {}, EndpointConfig client_config = {}) {
    server_socket_ = OpenSocket();
    client_socket_ = OpenSocket();
    server_ = std::make_unique<Endpoint>(server_config, *server_socket_, clock_, *server_random_,
                                         server_credentials_, server_app_);
    client_config.accept_inbound = false;
    client_ = std::make_unique<Endpoint>(client_config, *client_socket_, clock_, random_,
                                         client_credentials_, client_app_);
    server_app_.set_endpoint(server_.get());
    client_app_.set_endpoint(client_.get());
    if (client_tracer_ != nullptr) client_->SetTracer(client_tracer_);
    server_->Start();
    client_->Start();
  }

  template <typename Done>
  bool RunUntil(Done done) {
    const auto deadline = std::chrono::steady_clock::now() + kEndpointStepLimit;
    io_.restart();
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      io_.run_one_for(std::chrono::milliseconds(50));
    }
    return done();
  }

  boost::asio::io_context io_;
  AsioClock clock_;
  SystemRandom random_;
  // Injected as the client's registrar by the tests that delay its CIDs.
  sim::DelayingCidRegistrar client_registrar_{clock_};
  Random* server_random_ = &random_;
  TlsCredentials server_credentials_ = MakeSelfSignedCredentials();
  TlsCredentials client_credentials_ = MakeSelfSignedCredentials();
  EchoApp server_app_{EchoMode::kEcho};
  EchoApp client_app_{EchoMode::kRecordOnly};
  std::unique_ptr<AsioUdpSocket> server_socket_, client_socket_;
  std::unique_ptr<Endpoint> server_, client_;
  EndpointTracer* client_tracer_ = nullptr;  // Set before MakeEndpoints.
};

// Opens a stream on `handle`, queues `payload` with FIN and flushes.
inline int64_t SendOnNewStream(Endpoint& endpoint, ConnectionHandle handle,
                               const std::vector<uint8_t>& payload) {
  QuicConnection* quic = endpoint.Find(handle);
  int64_t id = -1;
  EXPECT_EQ(quic->OpenStream(&id), StreamOpenResult::kOk);
  size_t accepted;
  EXPECT_EQ(quic->WriteStream(id, payload, true, &accepted), StreamWriteResult::kOk);
  EXPECT_EQ(accepted, payload.size());
  endpoint.Flush(handle);
  return id;
}

}  // namespace p2pquic::testing
