// AsioUdpSocket's writable signal against a real kernel EAGAIN.
//
// Plain loopback never says EAGAIN: lo has no queue (noqueue) and
// loopback_xmit orphans each skb inside sendto(), so a UDP socket's send
// buffer never holds anything (checked: 200 000 non-blocking sends of 1400
// and of 60 000 bytes with the minimum SO_SNDBUF, 0 EAGAIN). So each test
// runs in a child process with a network namespace of its own, whose lo
// gets a token-bucket qdisc (100 Mbit/s): datagrams then wait in the qdisc,
// still charged to the socket's send buffer, and a burst fills it. The
// child needs unshare(CLONE_NEWNET) (root, or an unprivileged user
// namespace) and iproute2's `ip` and `tc`; without them it fails, saying so.
//
// The child reports through its exit code and stderr (gtest death-test
// machinery); every wait is bounded.
#include <gtest/gtest.h>
#include <sched.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "transport/runtime/asio/asio_clock.h"
#include "transport/runtime/asio/asio_udp_socket.h"

extern char** environ;

namespace p2pquic {
namespace {

constexpr size_t kDatagram = 1200;
constexpr size_t kSegments = 10;            // Per GSO send.
constexpr size_t kMaxSendsToFill = 100000;  // The send buffer fills long before.
constexpr auto kMaxWait = std::chrono::seconds(10);
// How long to wait for a call that must not come: the qdisc drains a full
// send buffer in well under this.
constexpr auto kQuietWait = std::chrono::milliseconds(300);
// The qdisc: slow enough that a burst outruns it, a queue long enough that
// the socket's send buffer (at most 2 x net.core.wmem_max) fills before it.
const char* const kQdisc[] = {"qdisc",   "add",   "dev",  "lo",    "root", "tbf",  "rate",
                              "100mbit", "burst", "64kb", "limit", "8mb",  nullptr};
const char* const kLoUp[] = {"link", "set", "lo", "up", nullptr};

[[noreturn]] void Die(int code, const char* format, ...) {
  va_list args;
  va_start(args, format);
  std::vfprintf(stderr, format, args);
  va_end(args);
  std::fputc('\n', stderr);
  std::fflush(stderr);
  std::_Exit(code);
}

std::string FindTool(const char* name) {
  for (const char* dir : {"/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/"}) {
    const std::string path = std::string(dir) + name;
    if (access(path.c_str(), X_OK) == 0) return path;
  }
  Die(2, "SETUP: %s not found (install iproute2)", name);
}

void RunTool(const char* name, const char* const* args) {
  const std::string path = FindTool(name);
  std::vector<char*> argv{const_cast<char*>(path.c_str())};
  for (const char* const* a = args; *a != nullptr; ++a) argv.push_back(const_cast<char*>(*a));
  argv.push_back(nullptr);
  pid_t pid;
  if (posix_spawn(&pid, path.c_str(), nullptr, nullptr, argv.data(), environ) != 0) {
    Die(2, "SETUP: cannot run %s", path.c_str());
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    Die(2, "SETUP: %s %s ... failed (status %d)", name, args[0], status);
  }
}

void WriteFile(const char* path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out.flush()) Die(2, "SETUP: cannot write %s", path);
}

// This process into a fresh network namespace whose lo has the qdisc.
void EnterThrottledNamespace() {
  if (unshare(CLONE_NEWNET) != 0) {
    const uid_t uid = getuid();
    const gid_t gid = getgid();
    if (unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) {
      Die(2, "SETUP: cannot make a network namespace (unshare: %s)", std::strerror(errno));
    }
    WriteFile("/proc/self/setgroups", "deny");
    WriteFile("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1");
    WriteFile("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1");
  }
  RunTool("ip", kLoUp);
  RunTool("tc", kQdisc);
}

// Datagrams the receiving kernel dropped for a full receive buffer in this
// network namespace (its own counters, zero when it was made): Udp
// RcvbufErrors in /proc/net/snmp. A receiver that falls behind under load
// drops there, after the sender's socket took the datagram, which is not
// what these tests are about (the sender losing what it said it sent).
size_t ReceiverBufferDrops() {
  std::ifstream snmp("/proc/net/snmp");
  std::string line, header;
  while (std::getline(snmp, line)) {
    if (line.rfind("Udp: ", 0) != 0) continue;
    if (header.empty()) {
      header = line;
      continue;
    }
    std::istringstream names(header), values(line);
    std::string name, value;
    while (names >> name && values >> value) {
      if (name == "RcvbufErrors") return std::stoul(value);
    }
  }
  Die(1, "no Udp RcvbufErrors in /proc/net/snmp");
}

struct Rig {
  Rig() : clock(io) {
    RebindResult result;
    receiver = AsioUdpSocket::Open(io, clock, SocketAddress::Loopback4(0), &result);
    sender = AsioUdpSocket::Open(io, clock, SocketAddress::Loopback4(0), &result);
    if (receiver == nullptr || sender == nullptr) Die(1, "cannot open loopback sockets");
    receiver->SetReceiveHandler([this](const ReceivedDatagram&) { ++received; });
    sender->SetWritableHandler([this] { ++writable_calls; });
  }

  // Runs the loop until `done` or `limit`; false on timeout.
  bool RunUntil(const std::function<bool()>& done,
                std::chrono::steady_clock::duration limit = kMaxWait) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    io.restart();
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      io.run_one_for(std::chrono::milliseconds(20));
    }
    return done();
  }

  void RunFor(std::chrono::steady_clock::duration duration) {
    RunUntil([] { return false; }, duration);
  }

  // One datagram at a time until the kernel says EAGAIN; the datagrams
  // taken go to `sent`. False if it never does.
  bool FillWithSendTo() {
    const std::vector<uint8_t> payload(kDatagram, 0x5a);
    for (size_t i = 0; i < kMaxSendsToFill; ++i) {
      const SendResult result = sender->SendTo(receiver->LocalAddress(), payload);
      if (result == SendResult::kWouldBlock) return true;
      if (result != SendResult::kSent) Die(1, "SendTo: %s", ToString(result));
      ++sent;
    }
    return false;
  }

  // The same with segmented (GSO) sends, counting what each reports sent.
  bool FillWithSendSegments() {
    const std::vector<uint8_t> payload(kDatagram * kSegments, 0xa5);
    for (size_t i = 0; i < kMaxSendsToFill; ++i) {
      size_t taken = 0;
      const SendResult result =
          sender->SendSegments(receiver->LocalAddress(), payload, kDatagram, &taken);
      if (result == SendResult::kWouldBlock) {
        if (taken >= kSegments)
          Die(1, "SendSegments: kWouldBlock with %zu of %zu sent", taken, kSegments);
        sent += taken;
        return true;
      }
      if (result != SendResult::kSent) Die(1, "SendSegments: %s", ToString(result));
      sent += kSegments;
    }
    return false;
  }

  boost::asio::io_context io;
  AsioClock clock;
  std::unique_ptr<AsioUdpSocket> receiver, sender;
  size_t sent = 0;
  size_t received = 0;
  int writable_calls = 0;
};

// The child: fill, wait for writable, check nothing taken was lost.
void WritableAfterEagain() {
  EnterThrottledNamespace();
  Rig rig;
  if (!rig.FillWithSendTo()) Die(1, "no EAGAIN after %zu sends", kMaxSendsToFill);
  const size_t first_fill = rig.sent;
  if (rig.writable_calls != 0) Die(1, "writable ran inside a send");
  // Refused again before the call came (the qdisc may have drained a
  // little meanwhile, so send until it is): no second call is owed.
  if (!rig.FillWithSendTo()) Die(1, "no second EAGAIN");
  if (!rig.RunUntil([&] { return rig.writable_calls > 0; })) Die(1, "writable never ran");
  if (rig.writable_calls != 1) Die(1, "%d writable calls for one episode", rig.writable_calls);
  const std::vector<uint8_t> one(kDatagram, 1);
  if (rig.sender->SendTo(rig.receiver->LocalAddress(), one) != SendResult::kSent) {
    Die(1, "not writable after the writable call");
  }
  ++rig.sent;
  // Again through segmented sends.
  if (!rig.FillWithSendSegments()) Die(1, "no EAGAIN from SendSegments");
  if (!rig.RunUntil([&] { return rig.writable_calls > 1; })) Die(1, "no second writable call");
  // Every datagram the socket took arrives, or the receiving kernel
  // counted it as a receive-buffer drop.
  if (!rig.RunUntil([&] { return rig.received + ReceiverBufferDrops() >= rig.sent; })) {
    Die(1, "%zu of %zu datagrams the socket took arrived (%zu receive-buffer drops)", rig.received,
        rig.sent, ReceiverBufferDrops());
  }
  if (rig.writable_calls != 2)
    Die(1, "%d writable calls for 2 EAGAIN episodes", rig.writable_calls);
  rig.RunFor(kQuietWait);  // Nothing more arrives: no duplicates either.
  const size_t drops = ReceiverBufferDrops();
  if (rig.received + drops != rig.sent) {
    Die(1, "%zu arrived + %zu receive-buffer drops, %zu sent", rig.received, drops, rig.sent);
  }
  std::fprintf(stderr,
               "OK: EAGAIN after %zu sends; 2 writable calls; %zu of %zu arrived, %zu dropped by "
               "the receiver's buffer\n",
               first_fill, rig.received, rig.sent, drops);
  std::_Exit(0);
}

// A rebind while a writable call is owed: the new socket makes it.
void WritableOwedAcrossARebind() {
  EnterThrottledNamespace();
  Rig rig;
  if (!rig.FillWithSendTo()) Die(1, "no EAGAIN after %zu sends", kMaxSendsToFill);
  if (rig.sender->Rebind(SocketAddress::Loopback4(0)) != RebindResult::kRebound) {
    Die(1, "rebind failed");
  }
  if (!rig.RunUntil([&] { return rig.writable_calls > 0; })) Die(1, "the owed call was lost");
  rig.RunFor(kQuietWait);  // No second call turns up meanwhile.
  if (rig.writable_calls != 1) Die(1, "%d writable calls for 1 EAGAIN episode", rig.writable_calls);
  std::fprintf(stderr, "OK: the owed writable call came from the rebound socket\n");
  std::_Exit(0);
}

class AsioUdpSocketEagainTest : public ::testing::Test {
 protected:
  // A fresh process per child: unshare(CLONE_NEWUSER) refuses threads.
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(AsioUdpSocketEagainTest, WritableRunsOnceAfterEagainAndNothingTakenIsLost) {
  EXPECT_EXIT(WritableAfterEagain(), ::testing::ExitedWithCode(0), "OK: EAGAIN after");
}

TEST_F(AsioUdpSocketEagainTest, AWritableCallOwedBeforeARebindIsStillMade) {
  EXPECT_EXIT(WritableOwedAcrossARebind(), ::testing::ExitedWithCode(0), "OK: the owed");
}

}  // namespace
}  // namespace p2pquic
