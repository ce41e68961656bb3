// Real UDP over the loopback interfaces (127.0.0.1 and [::1]) only. Every
// wait is bounded in time and every loop in count, so a bug fails a test
// rather than hanging it.
#include "transport/runtime/asio/asio_udp_socket.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace p2pquic {
namespace {

using std::chrono::milliseconds;

constexpr auto kMaxWait = std::chrono::seconds(5);
// How long to wait for something that must not arrive. Loopback delivery
// happens inside sendto(), so this is generous.
constexpr auto kQuietWait = milliseconds(200);

const Timestamp kFixedNow = Timestamp(std::chrono::seconds(1234567));

// A Clock frozen at kFixedNow; the socket only reads Now().
class FixedClock final : public Clock {
 public:
  Timestamp Now() const override { return kFixedNow; }
  UnixTime WallNow() const override { return UnixTime{}; }
  TimerId ScheduleAt(Timestamp, TimerCallback) override {
    ADD_FAILURE() << "the socket scheduled a timer";
    return TimerId{};
  }
  CancelResult Cancel(TimerId) override { return CancelResult::kNotPending; }
};

SocketAddress Loopback6(uint16_t port) {
  return SocketAddress::Ipv6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, port);
}

struct Received {
  std::vector<uint8_t> payload;
  SocketAddress remote;
  SocketAddress local;
  Timestamp received_at;
};

std::vector<uint8_t> Payload(const std::string& text) { return {text.begin(), text.end()}; }

// Runs `io` until `done()` or `timeout`; true when done.
bool RunUntil(boost::asio::io_context& io, const std::function<bool()>& done,
              std::chrono::steady_clock::duration timeout = kMaxWait) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    if (io.stopped()) io.restart();
    if (io.run_one_for(
            std::min<std::chrono::steady_clock::duration>(deadline - now, milliseconds(20))) == 0) {
      std::this_thread::sleep_for(milliseconds(1));
    }
  }
  return true;
}

// Runs `io` for `duration`, delivering whatever arrives.
void RunFor(boost::asio::io_context& io, std::chrono::steady_clock::duration duration) {
  RunUntil(
      io, [] { return false; }, duration);
}

class AsioUdpSocketTest : public ::testing::Test {
 protected:
  std::unique_ptr<AsioUdpSocket> Open(const SocketAddress& local) {
    RebindResult result = RebindResult::kError;
    std::unique_ptr<AsioUdpSocket> socket = AsioUdpSocket::Open(io_, clock_, local, &result);
    EXPECT_EQ(result, RebindResult::kRebound) << local.ToString() << ": " << ToString(result);
    EXPECT_NE(socket, nullptr);
    return socket;
  }

  // Opens a socket that records everything it receives into `*inbox`.
  std::unique_ptr<AsioUdpSocket> OpenRecording(const SocketAddress& local,
                                               std::vector<Received>* inbox) {
    std::unique_ptr<AsioUdpSocket> socket = Open(local);
    if (socket != nullptr) {
      socket->SetReceiveHandler([inbox](const ReceivedDatagram& d) {
        inbox->push_back({{d.payload.begin(), d.payload.end()}, d.remote, d.local, d.received_at});
      });
    }
    return socket;
  }

  bool WaitForCount(const std::vector<Received>& inbox, size_t count) {
    return RunUntil(io_, [&] { return inbox.size() >= count; });
  }

  void ExchangesDatagrams(const SocketAddress& any_port) {
    std::vector<Received> inbox_a;
    std::vector<Received> inbox_b;
    auto a = OpenRecording(any_port, &inbox_a);
    auto b = OpenRecording(any_port, &inbox_b);
    ASSERT_TRUE(a && b);
    ASSERT_NE(a->LocalAddress(), b->LocalAddress());

    const std::vector<uint8_t> ping = Payload("ping from a");
    ASSERT_EQ(a->SendTo(b->LocalAddress(), ping), SendResult::kSent);
    ASSERT_TRUE(WaitForCount(inbox_b, 1));
    EXPECT_EQ(inbox_b[0].payload, ping);
    EXPECT_EQ(inbox_b[0].remote, a->LocalAddress());
    EXPECT_EQ(inbox_b[0].local, b->LocalAddress());
    EXPECT_EQ(inbox_b[0].received_at, kFixedNow);

    const std::vector<uint8_t> pong = Payload("pong from b, a little longer");
    ASSERT_EQ(b->SendTo(inbox_b[0].remote, pong), SendResult::kSent);
    ASSERT_TRUE(WaitForCount(inbox_a, 1));
    EXPECT_EQ(inbox_a[0].payload, pong);
    EXPECT_EQ(inbox_a[0].remote, b->LocalAddress());
    EXPECT_EQ(inbox_a[0].local, a->LocalAddress());
    EXPECT_EQ(inbox_a[0].received_at, kFixedNow);

    RunFor(io_, milliseconds(20));
    EXPECT_EQ(inbox_a.size(), 1u);
    EXPECT_EQ(inbox_b.size(), 1u);
  }

  boost::asio::io_context io_;
  FixedClock clock_;
};

TEST_F(AsioUdpSocketTest, OpenOnPortZeroBindsARealIpv4Port) {
  auto socket = Open(SocketAddress::Loopback4(0));
  ASSERT_NE(socket, nullptr);
  const SocketAddress local = socket->LocalAddress();
  EXPECT_EQ(local.family(), AddressFamily::kIpv4);
  EXPECT_NE(local.port(), 0);
  EXPECT_EQ(local, SocketAddress::Loopback4(local.port()));
}

TEST_F(AsioUdpSocketTest, OpenOnPortZeroBindsARealIpv6Port) {
  // ::1 must exist on the test machine: fail (never skip) when it does not.
  auto socket = Open(Loopback6(0));
  ASSERT_NE(socket, nullptr);
  const SocketAddress local = socket->LocalAddress();
  EXPECT_EQ(local.family(), AddressFamily::kIpv6);
  EXPECT_NE(local.port(), 0);
  EXPECT_EQ(local, Loopback6(local.port()));
}

TEST_F(AsioUdpSocketTest, OpenOnAPortInUseFails) {
  auto first = Open(SocketAddress::Loopback4(0));
  ASSERT_NE(first, nullptr);
  RebindResult result = RebindResult::kRebound;
  EXPECT_EQ(AsioUdpSocket::Open(io_, clock_, first->LocalAddress(), &result), nullptr);
  EXPECT_EQ(result, RebindResult::kAddressInUse);
}

TEST_F(AsioUdpSocketTest, OpenOnAnUnspecifiedAddressFails) {
  RebindResult result = RebindResult::kRebound;
  EXPECT_EQ(AsioUdpSocket::Open(io_, clock_, SocketAddress(), &result), nullptr);
  EXPECT_EQ(result, RebindResult::kAddressUnavailable);
}

TEST_F(AsioUdpSocketTest, ExchangesDatagramsOverIpv4Loopback) {
  ExchangesDatagrams(SocketAddress::Loopback4(0));
}

TEST_F(AsioUdpSocketTest, ExchangesDatagramsOverIpv6Loopback) { ExchangesDatagrams(Loopback6(0)); }

TEST_F(AsioUdpSocketTest, DeliversEmptyAndLargeDatagramsIntact) {
  std::vector<Received> inbox;
  auto a = Open(SocketAddress::Loopback4(0));
  auto b = OpenRecording(SocketAddress::Loopback4(0), &inbox);
  ASSERT_TRUE(a && b);
  std::vector<uint8_t> large(65507);  // The IPv4 UDP maximum.
  for (size_t i = 0; i < large.size(); ++i) large[i] = static_cast<uint8_t>(i * 7 + 3);
  ASSERT_EQ(a->SendTo(b->LocalAddress(), {}), SendResult::kSent);
  ASSERT_EQ(a->SendTo(b->LocalAddress(), large), SendResult::kSent);
  ASSERT_TRUE(WaitForCount(inbox, 2));
  EXPECT_TRUE(inbox[0].payload.empty());
  EXPECT_EQ(inbox[1].payload, large);
}

TEST_F(AsioUdpSocketTest, ManyDatagramsArriveInOrder) {
  constexpr int kDatagrams = 200;
  constexpr int kBatch = 10;  // Small batches: never overflow the receive buffer.
  std::vector<Received> inbox;
  auto a = Open(SocketAddress::Loopback4(0));
  auto b = OpenRecording(SocketAddress::Loopback4(0), &inbox);
  ASSERT_TRUE(a && b);
  for (int sent = 0; sent < kDatagrams;) {
    for (int i = 0; i < kBatch; ++i, ++sent) {
      const std::vector<uint8_t> payload = Payload("datagram " + std::to_string(sent));
      ASSERT_EQ(a->SendTo(b->LocalAddress(), payload), SendResult::kSent) << sent;
    }
    ASSERT_TRUE(WaitForCount(inbox, static_cast<size_t>(sent))) << "received " << inbox.size();
  }
  ASSERT_EQ(inbox.size(), static_cast<size_t>(kDatagrams));
  for (int i = 0; i < kDatagrams; ++i) {
    EXPECT_EQ(inbox[i].payload, Payload("datagram " + std::to_string(i)));
  }
}

TEST_F(AsioUdpSocketTest, SendToTheOtherFamilyIsAFamilyMismatch) {
  auto v4 = Open(SocketAddress::Loopback4(0));
  auto v6 = Open(Loopback6(0));
  ASSERT_TRUE(v4 && v6);
  const std::vector<uint8_t> payload = Payload("x");
  EXPECT_EQ(v4->SendTo(v6->LocalAddress(), payload), SendResult::kFamilyMismatch);
  EXPECT_EQ(v6->SendTo(v4->LocalAddress(), payload), SendResult::kFamilyMismatch);
  EXPECT_EQ(v4->SendTo(SocketAddress(), payload), SendResult::kFamilyMismatch);
}

TEST_F(AsioUdpSocketTest, OversizeDatagramIsMessageTooLong) {
  auto v4 = Open(SocketAddress::Loopback4(0));
  auto v6 = Open(Loopback6(0));
  ASSERT_TRUE(v4 && v6);
  const std::vector<uint8_t> oversize(65536);
  EXPECT_EQ(v4->SendTo(SocketAddress::Loopback4(9), oversize), SendResult::kMessageTooLong);
  EXPECT_EQ(v6->SendTo(Loopback6(9), oversize), SendResult::kMessageTooLong);
  const std::vector<uint8_t> one_over_ipv4_limit(65508);
  EXPECT_EQ(v4->SendTo(SocketAddress::Loopback4(9), one_over_ipv4_limit),
            SendResult::kMessageTooLong);
}

TEST_F(AsioUdpSocketTest, RebindMovesReceptionToTheNewPort) {
  std::vector<Received> inbox;
  auto sender = Open(SocketAddress::Loopback4(0));
  auto socket = OpenRecording(SocketAddress::Loopback4(0), &inbox);
  ASSERT_TRUE(sender && socket);
  const SocketAddress old_local = socket->LocalAddress();

  ASSERT_EQ(socket->Rebind(SocketAddress::Loopback4(0)), RebindResult::kRebound);
  const SocketAddress new_local = socket->LocalAddress();
  EXPECT_EQ(new_local.family(), AddressFamily::kIpv4);
  EXPECT_NE(new_local.port(), 0);
  EXPECT_NE(new_local, old_local);

  ASSERT_EQ(sender->SendTo(old_local, Payload("to the old port")), SendResult::kSent);
  ASSERT_EQ(sender->SendTo(new_local, Payload("to the new port")), SendResult::kSent);
  ASSERT_TRUE(WaitForCount(inbox, 1));
  RunFor(io_, kQuietWait);
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0].payload, Payload("to the new port"));
  EXPECT_EQ(inbox[0].local, new_local);
  EXPECT_EQ(inbox[0].remote, sender->LocalAddress());

  // Sending goes out from the new address too.
  std::vector<Received> sender_inbox;
  sender->SetReceiveHandler([&](const ReceivedDatagram& d) {
    sender_inbox.push_back(
        {{d.payload.begin(), d.payload.end()}, d.remote, d.local, d.received_at});
  });
  ASSERT_EQ(socket->SendTo(sender->LocalAddress(), Payload("reply")), SendResult::kSent);
  ASSERT_TRUE(WaitForCount(sender_inbox, 1));
  EXPECT_EQ(sender_inbox[0].remote, new_local);
}

TEST_F(AsioUdpSocketTest, RebindWorksOverIpv6) {
  std::vector<Received> inbox;
  auto sender = Open(Loopback6(0));
  auto socket = OpenRecording(Loopback6(0), &inbox);
  ASSERT_TRUE(sender && socket);
  const SocketAddress old_local = socket->LocalAddress();
  ASSERT_EQ(socket->Rebind(Loopback6(0)), RebindResult::kRebound);
  ASSERT_NE(socket->LocalAddress(), old_local);
  ASSERT_EQ(sender->SendTo(old_local, Payload("old")), SendResult::kSent);
  ASSERT_EQ(sender->SendTo(socket->LocalAddress(), Payload("new")), SendResult::kSent);
  ASSERT_TRUE(WaitForCount(inbox, 1));
  RunFor(io_, kQuietWait);
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0].payload, Payload("new"));
  EXPECT_EQ(inbox[0].local, socket->LocalAddress());
}

TEST_F(AsioUdpSocketTest, RebindToAnAddressInUseFailsAndKeepsTheOldBinding) {
  std::vector<Received> inbox;
  auto occupant = Open(SocketAddress::Loopback4(0));
  auto sender = Open(SocketAddress::Loopback4(0));
  auto socket = OpenRecording(SocketAddress::Loopback4(0), &inbox);
  ASSERT_TRUE(occupant && sender && socket);
  const SocketAddress before = socket->LocalAddress();

  EXPECT_EQ(socket->Rebind(occupant->LocalAddress()), RebindResult::kAddressInUse);
  EXPECT_EQ(socket->Rebind(before), RebindResult::kAddressInUse);  // Its own address.
  EXPECT_EQ(socket->LocalAddress(), before);

  ASSERT_EQ(sender->SendTo(before, Payload("still here")), SendResult::kSent);
  ASSERT_TRUE(WaitForCount(inbox, 1));
  EXPECT_EQ(inbox[0].payload, Payload("still here"));
}

TEST_F(AsioUdpSocketTest, RebindToAnUnspecifiedAddressIsUnavailable) {
  auto socket = Open(SocketAddress::Loopback4(0));
  ASSERT_NE(socket, nullptr);
  const SocketAddress before = socket->LocalAddress();
  EXPECT_EQ(socket->Rebind(SocketAddress()), RebindResult::kAddressUnavailable);
  EXPECT_EQ(socket->LocalAddress(), before);
}

TEST_F(AsioUdpSocketTest, RebindAcrossFamiliesChangesWhatSendToAccepts) {
  auto socket = Open(SocketAddress::Loopback4(0));
  auto v6_peer = Open(Loopback6(0));
  ASSERT_TRUE(socket && v6_peer);
  ASSERT_EQ(socket->Rebind(Loopback6(0)), RebindResult::kRebound);
  EXPECT_EQ(socket->LocalAddress().family(), AddressFamily::kIpv6);
  EXPECT_EQ(socket->SendTo(v6_peer->LocalAddress(), Payload("x")), SendResult::kSent);
  EXPECT_EQ(socket->SendTo(SocketAddress::Loopback4(9), Payload("x")), SendResult::kFamilyMismatch);
}

TEST_F(AsioUdpSocketTest, ReplacingTheHandlerDeliversEachDatagramOnceToTheNewOne) {
  std::vector<Received> first;
  std::vector<Received> second;
  auto sender = Open(SocketAddress::Loopback4(0));
  auto socket = OpenRecording(SocketAddress::Loopback4(0), &first);
  ASSERT_TRUE(sender && socket);
  socket->SetReceiveHandler(nullptr);
  socket->SetReceiveHandler([&](const ReceivedDatagram& d) {
    second.push_back({{d.payload.begin(), d.payload.end()}, d.remote, d.local, d.received_at});
  });
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(sender->SendTo(socket->LocalAddress(), Payload("d" + std::to_string(i))),
              SendResult::kSent);
  }
  ASSERT_TRUE(WaitForCount(second, 4)) << "received " << second.size();
  RunFor(io_, milliseconds(20));
  EXPECT_TRUE(first.empty());
  ASSERT_EQ(second.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(second[i].payload, Payload("d" + std::to_string(i)));
}

TEST_F(AsioUdpSocketTest, SocketMayBeDestroyedInsideItsOwnReceiveHandler) {
  auto sender = Open(SocketAddress::Loopback4(0));
  auto socket = Open(SocketAddress::Loopback4(0));
  ASSERT_TRUE(sender && socket);
  const SocketAddress target = socket->LocalAddress();
  int calls = 0;
  // The handler owns state of its own, destroyed with it only if the socket
  // let go of it too early.
  auto witness = std::make_shared<std::vector<uint8_t>>();
  socket->SetReceiveHandler([&, witness](const ReceivedDatagram& d) {
    ++calls;
    socket.reset();  // Destroys the socket, and may destroy this handler's owner.
    witness->assign(d.payload.begin(), d.payload.end());  // Still valid here.
  });
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(sender->SendTo(target, Payload("bye " + std::to_string(i))), SendResult::kSent);
  }
  ASSERT_TRUE(RunUntil(io_, [&] { return calls > 0; }));
  ASSERT_EQ(sender->SendTo(target, Payload("after")), SendResult::kSent);
  RunFor(io_, kQuietWait);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(socket, nullptr);
  EXPECT_EQ(*witness, Payload("bye 0"));
}

TEST_F(AsioUdpSocketTest, SocketMayBeReboundInsideItsOwnReceiveHandler) {
  std::vector<Received> inbox;
  auto sender = Open(SocketAddress::Loopback4(0));
  auto socket = Open(SocketAddress::Loopback4(0));
  ASSERT_TRUE(sender && socket);
  const SocketAddress old_local = socket->LocalAddress();
  RebindResult rebind = RebindResult::kError;
  socket->SetReceiveHandler([&](const ReceivedDatagram& d) {
    inbox.push_back({{d.payload.begin(), d.payload.end()}, d.remote, d.local, d.received_at});
    if (inbox.size() == 1) rebind = socket->Rebind(SocketAddress::Loopback4(0));
  });
  ASSERT_EQ(sender->SendTo(old_local, Payload("first")), SendResult::kSent);
  ASSERT_EQ(sender->SendTo(old_local, Payload("lost with the old port")), SendResult::kSent);
  ASSERT_TRUE(WaitForCount(inbox, 1));
  ASSERT_EQ(rebind, RebindResult::kRebound);
  ASSERT_NE(socket->LocalAddress(), old_local);
  ASSERT_EQ(sender->SendTo(socket->LocalAddress(), Payload("second")), SendResult::kSent);
  ASSERT_TRUE(WaitForCount(inbox, 2));
  RunFor(io_, milliseconds(50));
  ASSERT_EQ(inbox.size(), 2u);
  EXPECT_EQ(inbox[0].payload, Payload("first"));
  EXPECT_EQ(inbox[1].payload, Payload("second"));
  EXPECT_EQ(inbox[1].local, socket->LocalAddress());
}

TEST_F(AsioUdpSocketTest, DestroyingTheSocketStopsReceptionAndFreesThePort) {
  int calls = 0;
  auto sender = Open(SocketAddress::Loopback4(0));
  auto socket = Open(SocketAddress::Loopback4(0));
  ASSERT_TRUE(sender && socket);
  const SocketAddress local = socket->LocalAddress();
  socket->SetReceiveHandler([&](const ReceivedDatagram&) { ++calls; });
  socket.reset();
  ASSERT_EQ(sender->SendTo(local, Payload("nobody home")), SendResult::kSent);
  RunFor(io_, kQuietWait);
  EXPECT_EQ(calls, 0);
  // The port is free again.
  auto again = Open(local);
  EXPECT_NE(again, nullptr);
}

}  // namespace
}  // namespace p2pquic
