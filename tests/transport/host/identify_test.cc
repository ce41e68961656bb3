// IdentifyClient against IdentifyService, between two real hosts over
// loopback UDP.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "testing/null_stream_handler.h"
#include "tests/transport/host/host_pair_test_base.h"
#include "transport/host/identify_client.h"
#include "transport/identity/public_key.h"
#include "transport/multiaddr/multiaddr.h"
#include "transport/protocols/identify_message.h"
#include "transport/protocols/perf_protocol.h"
#include "transport/protocols/ping_payload.h"

namespace p2pquic::testing {
namespace {

constexpr char kTruncatingProtocol[] = "/p2pquic/test/truncated-identify/1.0.0";

// Announces a 100-byte message, sends 3 bytes of it, and half-closes.
class TruncatedIdentify final : public NullStreamHandler {
 public:
  void OnOpen(Libp2pStream& stream) override {
    const std::vector<uint8_t> frame = {100, 0x0a, 0x01, 0x00};
    stream.Write(frame);
    stream.CloseWrite();
  }
};

class IdentifyTest : public HostPairTestBase {
 protected:
  using IdentifyRecorder = Recorder<IdentifyReport>;

  std::shared_ptr<IdentifyRecorder> Identify(const std::string& protocol) {
    auto recorder = std::make_shared<IdentifyRecorder>();
    EXPECT_EQ(
        dialer_->OpenStream(connection_, {protocol},
                            std::make_unique<IdentifyClient>(IdentifyRecorder::Callback(recorder))),
        OpenStreamResult::kOk);
    EXPECT_TRUE(RunUntil([&] { return recorder->done(); }));
    EXPECT_LE(recorder->reports.size(), 1u);
    return recorder;
  }
};

bool Contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

TEST_F(IdentifyTest, TheListenerDescribesItsKeyProtocolsAndAddresses) {
  ASSERT_TRUE(ConnectPair());
  auto recorder = Identify(std::string(protocols::kIdentifyProtocolId));
  ASSERT_TRUE(recorder->done());
  const IdentifyReport& report = recorder->report();
  ASSERT_EQ(report.error, "");
  const protocols::IdentifyMessage& message = report.message;

  ASSERT_TRUE(message.public_key.has_value());
  PublicKey key;
  ASSERT_EQ(PublicKey::Decode(*message.public_key, &key), KeyStatus::kOk);
  EXPECT_EQ(key, listener_->identity().public_key());
  EXPECT_EQ(PeerId::FromPublicKey(key), listener_->peer_id());

  EXPECT_TRUE(Contains(message.protocols, protocols::kPingProtocolId));
  EXPECT_TRUE(Contains(message.protocols, protocols::kIdentifyProtocolId));
  EXPECT_TRUE(Contains(message.protocols, protocols::kPerfProtocolId));

  ASSERT_TRUE(message.observed_addr.has_value());
  Multiaddr observed;
  const MultiaddrError parsed = Multiaddr::FromBytes(*message.observed_addr, &observed);
  ASSERT_TRUE(parsed.ok()) << parsed.ToString();
  EXPECT_EQ(observed.ToString(), Multiaddr::QuicV1(dialer_->endpoint().local_address()).ToString());
  EXPECT_EQ(observed, Multiaddr::QuicV1(dialer_->endpoint().local_address()));

  const std::vector<uint8_t> listen = listener_->ListenAddress().WithoutPeerId().ToBytes();
  EXPECT_NE(std::find(message.listen_addrs.begin(), message.listen_addrs.end(), listen),
            message.listen_addrs.end());

  EXPECT_EQ(message.agent_version, listener_->options().agent_version);
  EXPECT_EQ(message.protocol_version, listener_->options().protocol_version);
}

TEST_F(IdentifyTest, ATruncatedResponseReportsAnError) {
  listener_->Handle(kTruncatingProtocol, [] { return std::make_unique<TruncatedIdentify>(); });
  ASSERT_TRUE(ConnectPair());
  auto recorder = Identify(kTruncatingProtocol);
  ASSERT_TRUE(recorder->done());
  EXPECT_NE(recorder->report().error.find("malformed identify response"), std::string::npos)
      << recorder->report().error;
}

}  // namespace
}  // namespace p2pquic::testing
