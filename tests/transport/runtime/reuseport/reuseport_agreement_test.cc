// The kernel's reuseport steering program agrees with SteerDatagram, its
// user-space twin, on real UDP sockets.
//
// Each case binds N worker sockets with SO_REUSEPORT to one 127.0.0.1 port,
// attaches ReuseportSteering, and sends a corpus of datagrams one at a time
// from several client sockets (so several 4-tuples): QUIC-LB CIDs minted for
// every worker in Initial, 0-RTT, Handshake and short headers, CIDs of other
// config ids and of workers beyond N, client-chosen DCIDs of 0..20 bytes,
// truncated long headers, DCID lengths of 21 and more, short headers too
// short for a CID, an empty datagram and random junk. Every datagram must
// arrive exactly once, intact; where SteerDatagram says kByCid or kByHash,
// at exactly the socket of the worker it names.
//
// Controls that show the agreement is the program's doing: without it, or
// after the ReuseportSteering is destroyed (detached), the kernel's 4-tuple
// hash puts every datagram of one client socket on one worker, so CIDs
// minted for different workers cannot all reach their owners. Attach's
// refusals: an encrypted or invalid config, bad sockets, and (in a child
// that drops its effective capabilities) no privilege.
//
// Needs CAP_BPF (root here and in CI). Attach failing is a test failure
// carrying libbpf's reason; nothing is skipped.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "transport/routing/quic_lb_cid_minter.h"
#include "transport/routing/quic_lb_config.h"
#include "transport/routing/worker_steering.h"
#include "transport/runtime/reuseport/reuseport_steering.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic {
namespace {

using Bytes = std::vector<uint8_t>;
using Clock = std::chrono::steady_clock;

// A datagram on loopback arrives within microseconds; the bound only stops
// a lost one from hanging the test.
constexpr std::chrono::milliseconds kArrivalDeadline{2000};
// After the corpus: how long to watch for a datagram delivered twice.
constexpr std::chrono::milliseconds kQuietPeriod{100};
constexpr size_t kClientSockets = 3;
constexpr size_t kReceiveBufferBytes = 2048;
constexpr uint32_t kQuicVersion1 = 0x00000001;
constexpr uint64_t kCorpusSeed = 0x5eed0011;
// How many CIDs each in-range worker gets (different nonces).
constexpr int kCidsPerWorker = 3;
// At most this many out-of-range worker values are sampled.
constexpr uint32_t kOutOfRangeWorkers = 16;
constexpr int kRandomDcidsPerLength = 3;
constexpr int kJunkDatagrams = 64;
constexpr size_t kMaxJunkLength = 64;

// Long-header packet types (RFC 9000 §17.2), bits 4-5 of byte 0.
enum class LongType : uint8_t { kInitial = 0, kZeroRtt = 1, kHandshake = 2 };

// A UDP socket closed on destruction.
class UdpFd {
 public:
  UdpFd() : fd_(socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, IPPROTO_UDP)) {}
  ~UdpFd() { Close(); }
  UdpFd(const UdpFd&) = delete;
  UdpFd& operator=(const UdpFd&) = delete;
  int get() const { return fd_; }
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

sockaddr_in Loopback(uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

uint16_t LocalPort(int fd) {
  sockaddr_in address{};
  socklen_t length = sizeof(address);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  return ntohs(address.sin_port);
}

// N sockets with SO_REUSEPORT on one loopback port (the first picks it).
struct WorkerGroup {
  std::vector<std::unique_ptr<UdpFd>> sockets;
  uint16_t port = 0;

  std::vector<int> fds() const {
    std::vector<int> out;
    for (const auto& socket : sockets) out.push_back(socket->get());
    return out;
  }
};

testing::AssertionResult OpenGroup(uint32_t count, WorkerGroup* group) {
  for (uint32_t i = 0; i < count; ++i) {
    auto socket = std::make_unique<UdpFd>();
    if (socket->get() < 0) return testing::AssertionFailure() << "socket: " << strerror(errno);
    const int on = 1;
    if (setsockopt(socket->get(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) != 0) {
      return testing::AssertionFailure() << "SO_REUSEPORT: " << strerror(errno);
    }
    const sockaddr_in address = Loopback(group->port);
    if (bind(socket->get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
      return testing::AssertionFailure() << "bind socket " << i << ": " << strerror(errno);
    }
    if (i == 0) group->port = LocalPort(socket->get());
    group->sockets.push_back(std::move(socket));
  }
  return testing::AssertionSuccess();
}

testing::AssertionResult OpenClients(size_t count, std::vector<std::unique_ptr<UdpFd>>* clients) {
  for (size_t i = 0; i < count; ++i) {
    auto client = std::make_unique<UdpFd>();
    const sockaddr_in address = Loopback(0);
    if (client->get() < 0 ||
        bind(client->get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
      return testing::AssertionFailure() << "client socket: " << strerror(errno);
    }
    clients->push_back(std::move(client));
  }
  return testing::AssertionSuccess();
}

// Which worker socket received the next datagram, and what it received.
struct Arrival {
  size_t worker = 0;
  Bytes payload;
};

// Waits (bounded) for one datagram on any of `fds` and reads it.
std::optional<Arrival> ReceiveOne(const std::vector<int>& fds, std::chrono::milliseconds deadline) {
  const auto end = Clock::now() + deadline;
  std::vector<pollfd> polls;
  for (int fd : fds) polls.push_back({fd, POLLIN, 0});
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now());
    if (left.count() < 0) return std::nullopt;
    for (pollfd& p : polls) p.revents = 0;
    const int ready = poll(polls.data(), polls.size(), static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) return std::nullopt;
    for (size_t i = 0; i < polls.size(); ++i) {
      if ((polls[i].revents & POLLIN) == 0) continue;
      Bytes buffer(kReceiveBufferBytes);
      const ssize_t got = recv(polls[i].fd, buffer.data(), buffer.size(), 0);
      if (got < 0) continue;
      buffer.resize(static_cast<size_t>(got));
      return Arrival{i, std::move(buffer)};
    }
    if (ready == 0) return std::nullopt;
  }
}

bool Send(int client, uint16_t port, const Bytes& datagram) {
  const sockaddr_in to = Loopback(port);
  return sendto(client, datagram.data(), datagram.size(), 0, reinterpret_cast<const sockaddr*>(&to),
                sizeof(to)) == static_cast<ssize_t>(datagram.size());
}

Bytes RandomBytes(Random& random, size_t length) {
  Bytes bytes(length);
  random.Fill(bytes);
  return bytes;
}

Bytes Cid(const ConnectionId& cid) { return Bytes(cid.bytes().begin(), cid.bytes().end()); }

// A long header: type, version 1, DCID, an 8-byte SCID, then a body (the
// rest of a real packet is irrelevant to steering).
Bytes LongHeader(LongType type, const Bytes& dcid, Random& random) {
  Bytes packet{static_cast<uint8_t>(0xc0 | (static_cast<uint8_t>(type) << 4))};
  for (int shift = 24; shift >= 0; shift -= 8) {
    packet.push_back(static_cast<uint8_t>(kQuicVersion1 >> shift));
  }
  packet.push_back(static_cast<uint8_t>(dcid.size()));
  packet.insert(packet.end(), dcid.begin(), dcid.end());
  const Bytes scid = RandomBytes(random, 8);
  packet.push_back(static_cast<uint8_t>(scid.size()));
  packet.insert(packet.end(), scid.begin(), scid.end());
  const Bytes body = RandomBytes(random, 32);
  packet.insert(packet.end(), body.begin(), body.end());
  return packet;
}

// A short header: fixed bit set, long bit clear, then the DCID and a body.
Bytes ShortHeader(const Bytes& dcid, Random& random) {
  Bytes packet{static_cast<uint8_t>(0x40 | (random.NextU64() & 0x3f))};
  packet.insert(packet.end(), dcid.begin(), dcid.end());
  const Bytes body = RandomBytes(random, 24);
  packet.insert(packet.end(), body.begin(), body.end());
  return packet;
}

void AddAllHeaders(const Bytes& dcid, Random& random, std::vector<Bytes>* corpus) {
  for (LongType type : {LongType::kInitial, LongType::kZeroRtt, LongType::kHandshake}) {
    corpus->push_back(LongHeader(type, dcid, random));
  }
  corpus->push_back(ShortHeader(dcid, random));
}

std::vector<Bytes> BuildCorpus(const WorkerSteeringConfig& config, Random& random) {
  std::vector<Bytes> corpus;
  const uint32_t worker_space = 1u << config.lb.worker_bits;
  // CIDs naming each worker of the group.
  for (uint32_t worker = 0; worker < config.worker_count && worker < worker_space; ++worker) {
    const QuicLbCidMinter minter(config.lb, worker);
    for (int i = 0; i < kCidsPerWorker; ++i)
      AddAllHeaders(Cid(minter.Mint(random)), random, &corpus);
  }
  // CIDs of our layout naming workers the group does not have.
  uint32_t sampled = 0;
  for (uint32_t worker = config.worker_count; worker < worker_space && sampled < kOutOfRangeWorkers;
       worker += 1 + worker_space / (2 * kOutOfRangeWorkers), ++sampled) {
    AddAllHeaders(Cid(QuicLbCidMinter(config.lb, worker).Mint(random)), random, &corpus);
  }
  // Our layout under every other config id (7: unroutable).
  const QuicLbCidMinter worker_zero(config.lb, 0);
  for (uint8_t id = 0; id <= QuicLbConfig::kUnroutableConfigId; ++id) {
    if (id == config.lb.config_id) continue;
    Bytes cid = Cid(worker_zero.Mint(random));
    cid[0] = static_cast<uint8_t>((id << 5) | (cid[0] & 0x1f));
    AddAllHeaders(cid, random, &corpus);
  }
  // Client-chosen DCIDs of every legal length, in Initials (and short
  // headers of random DCIDs: unsteered unless they happen to match).
  for (size_t length = 0; length <= 20; ++length) {
    for (int i = 0; i < kRandomDcidsPerLength; ++i) {
      corpus.push_back(LongHeader(LongType::kInitial, RandomBytes(random, length), random));
    }
  }
  for (int i = 0; i < kRandomDcidsPerLength * 4; ++i) {
    corpus.push_back(ShortHeader(RandomBytes(random, config.lb.cid_length()), random));
  }
  // Truncated long headers: every prefix through the DCID and one past it.
  for (const Bytes& dcid : {Cid(worker_zero.Mint(random)), RandomBytes(random, 20)}) {
    const Bytes full = LongHeader(LongType::kInitial, dcid, random);
    for (size_t length = 1; length <= 6 + dcid.size() + 1; ++length) {
      corpus.emplace_back(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(length));
    }
  }
  // DCID lengths above 20, with enough bytes after them.
  for (uint8_t length : {21, 22, 31, 32, 40, 255}) {
    Bytes packet = LongHeader(LongType::kInitial, RandomBytes(random, 20), random);
    packet[5] = length;
    const Bytes tail = RandomBytes(random, length);
    packet.insert(packet.end(), tail.begin(), tail.end());
    corpus.push_back(packet);
  }
  // Short headers too short for a whole CID, and the empty datagram.
  const Bytes short_full = ShortHeader(Cid(worker_zero.Mint(random)), random);
  for (size_t length = 1; length <= config.lb.cid_length(); ++length) {
    corpus.emplace_back(short_full.begin(),
                        short_full.begin() + static_cast<std::ptrdiff_t>(length));
  }
  corpus.emplace_back();
  for (int i = 0; i < kJunkDatagrams; ++i) {
    corpus.push_back(RandomBytes(random, 1 + random.NextU64() % kMaxJunkLength));
  }
  return corpus;
}

struct AgreementCase {
  const char* name;
  QuicLbConfig lb;
  uint32_t workers;
};

// gtest names a failing case by this, not by the struct's bytes.
void PrintTo(const AgreementCase& c, std::ostream* os) {
  *os << c.name << " (" << c.workers << " workers)";
}

class ReuseportAgreementTest : public testing::TestWithParam<AgreementCase> {};

TEST_P(ReuseportAgreementTest, KernelDeliversWhereSteerDatagramSays) {
  const AgreementCase& param = GetParam();
  ASSERT_EQ(CheckQuicLbConfig(param.lb), QuicLbConfigStatus::kOk);
  const WorkerSteeringConfig config{param.lb, param.workers, nullptr};
  WorkerGroup group;
  ASSERT_TRUE(OpenGroup(config.worker_count, &group));
  std::vector<std::unique_ptr<UdpFd>> clients;
  ASSERT_TRUE(OpenClients(kClientSockets, &clients));

  std::unique_ptr<ReuseportSteering> steering;
  std::string why;
  const std::vector<int> fds = group.fds();
  ASSERT_EQ(ReuseportSteering::Attach(fds, config, &steering, &why), AttachResult::kAttached)
      << why;
  ASSERT_NE(steering, nullptr);
  EXPECT_EQ(steering->worker_count(), config.worker_count);
  EXPECT_GT(steering->instruction_count(), 0u);
  std::printf("steering program id %u: %u xlated instructions\n", steering->program_id(),
              steering->instruction_count());

  SeededRandom random(kCorpusSeed);
  const std::vector<Bytes> corpus = BuildCorpus(config, random);
  std::map<SteeringKind, int> kinds;
  std::map<size_t, int> arrivals_per_worker;
  for (size_t i = 0; i < corpus.size(); ++i) {
    const Bytes& datagram = corpus[i];
    const SteeringDecision decision = SteerDatagram(datagram, config);
    ++kinds[decision.kind];
    ASSERT_TRUE(Send(clients[i % kClientSockets]->get(), group.port, datagram))
        << "send " << i << ": " << strerror(errno);
    const std::optional<Arrival> arrival = ReceiveOne(fds, kArrivalDeadline);
    ASSERT_TRUE(arrival.has_value()) << "datagram " << i << " (" << datagram.size() << " bytes, "
                                     << ToString(decision.kind) << ") never arrived";
    ASSERT_EQ(arrival->payload, datagram) << "datagram " << i << " arrived out of order";
    ++arrivals_per_worker[arrival->worker];
    if (decision.kind != SteeringKind::kUnsteered) {
      EXPECT_EQ(arrival->worker, decision.worker)
          << "datagram " << i << " (" << datagram.size() << " bytes, first byte "
          << static_cast<int>(datagram.empty() ? 0 : datagram[0]) << ", " << ToString(decision.kind)
          << ")";
    }
  }
  EXPECT_FALSE(ReceiveOne(fds, kQuietPeriod).has_value()) << "a datagram arrived twice";

  // The corpus exercises every branch of the rule and every worker.
  EXPECT_GT(kinds[SteeringKind::kByCid], 0);
  EXPECT_GT(kinds[SteeringKind::kByHash], 0);
  EXPECT_GT(kinds[SteeringKind::kUnsteered], 0);
  EXPECT_EQ(arrivals_per_worker.size(), config.worker_count);
  std::printf("%zu datagrams: %d by-cid, %d by-hash, %d unsteered\n", corpus.size(),
              kinds[SteeringKind::kByCid], kinds[SteeringKind::kByHash],
              kinds[SteeringKind::kUnsteered]);
}

QuicLbConfig DefaultLayout() { return QuicLbConfig{}; }

// Config id 3, a 3-byte server ID with 3 worker bits under host 5, so the
// host bits must be masked off and workers 4..7 are out of range for 4.
QuicLbConfig NarrowWorkers() {
  QuicLbConfig lb;
  lb.config_id = 3;
  lb.server_id_length = 3;
  lb.nonce_length = 6;
  lb.worker_bits = 3;
  lb.host_id = 5;
  return lb;
}

// The longest CID: 1 + 3 + 16 = 20 bytes, config id 6.
QuicLbConfig LongestCid() {
  QuicLbConfig lb;
  lb.config_id = 6;
  lb.server_id_length = 3;
  lb.nonce_length = 16;
  lb.worker_bits = 4;
  return lb;
}

INSTANTIATE_TEST_SUITE_P(Groups, ReuseportAgreementTest,
                         testing::Values(AgreementCase{"default_2", DefaultLayout(), 2},
                                         AgreementCase{"default_4", DefaultLayout(), 4},
                                         AgreementCase{"narrow_workers_4", NarrowWorkers(), 4},
                                         AgreementCase{"longest_cid_3", LongestCid(), 3}),
                         [](const testing::TestParamInfo<AgreementCase>& info) {
                           return std::string(info.param.name);
                         });

// Sends CIDs minted for each of `workers` workers from one client socket
// and counts how many reached their owner.
int CountDeliveredToOwner(const WorkerGroup& group, const WorkerSteeringConfig& config) {
  UdpFd client;
  const sockaddr_in address = Loopback(0);
  if (bind(client.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    return -1;
  }
  SeededRandom random(kCorpusSeed);
  int at_owner = 0;
  for (uint32_t worker = 0; worker < config.worker_count; ++worker) {
    const Bytes packet = ShortHeader(Cid(QuicLbCidMinter(config.lb, worker).Mint(random)), random);
    if (!Send(client.get(), group.port, packet)) return -1;
    const std::optional<Arrival> arrival = ReceiveOne(group.fds(), kArrivalDeadline);
    if (!arrival.has_value()) return -1;
    if (arrival->worker == worker) ++at_owner;
  }
  return at_owner;
}

constexpr uint32_t kControlWorkers = 4;

TEST(ReuseportControlTest, WithoutTheProgramOneClientReachesOneWorker) {
  const WorkerSteeringConfig config{DefaultLayout(), kControlWorkers, nullptr};
  WorkerGroup group;
  ASSERT_TRUE(OpenGroup(config.worker_count, &group));
  // The kernel's 4-tuple hash: one client socket, one worker, whatever the CID.
  EXPECT_EQ(CountDeliveredToOwner(group, config), 1);
}

TEST(ReuseportControlTest, DestroyingTheSteeringDetachesIt) {
  const WorkerSteeringConfig config{DefaultLayout(), kControlWorkers, nullptr};
  WorkerGroup group;
  ASSERT_TRUE(OpenGroup(config.worker_count, &group));
  std::unique_ptr<ReuseportSteering> steering;
  std::string why;
  ASSERT_EQ(ReuseportSteering::Attach(group.fds(), config, &steering, &why),
            AttachResult::kAttached)
      << why;
  EXPECT_EQ(CountDeliveredToOwner(group, config), static_cast<int>(kControlWorkers));
  steering.reset();
  EXPECT_EQ(CountDeliveredToOwner(group, config), 1);
}

TEST(ReuseportControlTest, AClosedWorkersDatagramsFallBackToTheHash) {
  const WorkerSteeringConfig config{DefaultLayout(), kControlWorkers, nullptr};
  WorkerGroup group;
  ASSERT_TRUE(OpenGroup(config.worker_count, &group));
  std::unique_ptr<ReuseportSteering> steering;
  std::string why;
  ASSERT_EQ(ReuseportSteering::Attach(group.fds(), config, &steering, &why),
            AttachResult::kAttached)
      << why;
  constexpr uint32_t kClosed = 2;
  group.sockets[kClosed]->Close();
  std::vector<int> open_fds;
  for (uint32_t i = 0; i < config.worker_count; ++i) {
    if (i != kClosed) open_fds.push_back(group.sockets[i]->get());
  }
  UdpFd client;
  const sockaddr_in address = Loopback(0);
  ASSERT_EQ(bind(client.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0);
  SeededRandom random(kCorpusSeed);
  for (uint32_t worker = 0; worker < config.worker_count; ++worker) {
    const Bytes packet = ShortHeader(Cid(QuicLbCidMinter(config.lb, worker).Mint(random)), random);
    ASSERT_TRUE(Send(client.get(), group.port, packet));
    const std::optional<Arrival> arrival = ReceiveOne(open_fds, kArrivalDeadline);
    ASSERT_TRUE(arrival.has_value()) << "worker " << worker << "'s datagram was dropped";
    // open_fds skips the closed one: indices above it shift down by one.
    if (worker != kClosed) {
      EXPECT_EQ(arrival->worker, worker < kClosed ? worker : worker - 1);
    }
  }
}

TEST(ReuseportAttachTest, RefusesAnEncryptedConfig) {
  WorkerSteeringConfig config{DefaultLayout(), 2, nullptr};
  config.lb.key = QuicLbConfig::Key{};
  WorkerGroup group;
  ASSERT_TRUE(OpenGroup(config.worker_count, &group));
  std::unique_ptr<ReuseportSteering> steering;
  std::string why;
  EXPECT_EQ(ReuseportSteering::Attach(group.fds(), config, &steering, &why),
            AttachResult::kEncryptedConfig);
  EXPECT_NE(why.find("encrypted"), std::string::npos) << why;
  EXPECT_EQ(steering, nullptr);
}

TEST(ReuseportAttachTest, RefusesABadConfig) {
  WorkerGroup group;
  ASSERT_TRUE(OpenGroup(2, &group));
  std::unique_ptr<ReuseportSteering> steering;
  std::string why;
  EXPECT_EQ(ReuseportSteering::Attach(
                group.fds(), WorkerSteeringConfig{DefaultLayout(), 0, nullptr}, &steering, &why),
            AttachResult::kBadConfig);
  EXPECT_NE(why.find("worker_count 0"), std::string::npos) << why;
  QuicLbConfig bad_id = DefaultLayout();
  bad_id.config_id = QuicLbConfig::kUnroutableConfigId;
  EXPECT_EQ(ReuseportSteering::Attach(group.fds(), WorkerSteeringConfig{bad_id, 2, nullptr},
                                      &steering, &why),
            AttachResult::kBadConfig);
  EXPECT_EQ(steering, nullptr);
}

// Attach with `fds` for a two-worker default config; returns the result and
// expects `why` to mention `expected_words`.
void ExpectBadSockets(const std::vector<int>& fds, const std::string& expected_words) {
  std::unique_ptr<ReuseportSteering> steering;
  std::string why;
  EXPECT_EQ(ReuseportSteering::Attach(fds, WorkerSteeringConfig{DefaultLayout(), 2, nullptr},
                                      &steering, &why),
            AttachResult::kBadSockets)
      << why;
  EXPECT_NE(why.find(expected_words), std::string::npos) << why;
  EXPECT_EQ(steering, nullptr);
}

TEST(ReuseportAttachTest, RefusesBadSockets) {
  WorkerGroup group;
  ASSERT_TRUE(OpenGroup(2, &group));
  const int good = group.sockets[0]->get();

  ExpectBadSockets({good}, "1 sockets for worker_count 2");
  ExpectBadSockets({good, -1}, "not an open descriptor");
  ExpectBadSockets({good, good}, "listed twice");

  const int tcp = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(tcp, 0);
  ExpectBadSockets({good, tcp}, "not a datagram socket");
  close(tcp);

  UdpFd unbound;
  const int on = 1;
  ASSERT_EQ(setsockopt(unbound.get(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)), 0);
  ExpectBadSockets({good, unbound.get()}, "not bound");

  UdpFd no_reuseport;
  ExpectBadSockets({good, no_reuseport.get()}, "SO_REUSEPORT");

  WorkerGroup other;
  ASSERT_TRUE(OpenGroup(1, &other));
  ExpectBadSockets({good, other.sockets[0]->get()}, "another address");
}

// Clears this process's effective capabilities (keeping the permitted
// set): a root process without CAP_BPF or CAP_SYS_ADMIN, as in a container
// that grants neither. Raw capget/capset: libcap is not a dependency.
bool DropEffectiveCapabilities() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (syscall(SYS_capget, &header, data) != 0) return false;
  for (auto& word : data) word.effective = 0;
  return syscall(SYS_capset, &header, data) == 0;
}

// Exit codes of the unprivileged child.
enum ChildExit : int {
  kChildNoPrivilege = 0,
  kChildCapsetFailed = 10,
  kChildSocketsFailed = 11,
  kChildOtherResult = 12,
};

TEST(ReuseportAttachTest, WithoutCapabilitiesSaysNoPrivilege) {
  const pid_t child = fork();
  ASSERT_GE(child, 0) << strerror(errno);
  if (child == 0) {
    // The test binary has no other threads, so the child may allocate; it
    // reports by exit code (gtest assertions would not reach the parent).
    if (!DropEffectiveCapabilities()) _exit(kChildCapsetFailed);
    WorkerGroup group;
    if (!OpenGroup(2, &group)) _exit(kChildSocketsFailed);
    std::unique_ptr<ReuseportSteering> steering;
    std::string why;
    const AttachResult result = ReuseportSteering::Attach(
        group.fds(), WorkerSteeringConfig{DefaultLayout(), 2, nullptr}, &steering, &why);
    if (result != AttachResult::kNoPrivilege) {
      std::fprintf(stderr, "Attach said %s: %s\n", ToString(result), why.c_str());
      _exit(kChildOtherResult);
    }
    _exit(kChildNoPrivilege);
  }
  // The child does a few syscalls; bound the wait anyway.
  constexpr auto kChildDeadline = std::chrono::seconds(10);
  const auto end = Clock::now() + kChildDeadline;
  int status = 0;
  pid_t waited = 0;
  while ((waited = waitpid(child, &status, WNOHANG)) == 0 && Clock::now() < end) {
    usleep(1000);
  }
  if (waited == 0) {
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    FAIL() << "the unprivileged child did not finish within 10 s";
  }
  ASSERT_TRUE(WIFEXITED(status)) << "child status " << status;
  EXPECT_EQ(WEXITSTATUS(status), kChildNoPrivilege)
      << "10: capset failed, 11: sockets failed, 12: another result (see stderr)";
}

}  // namespace
}  // namespace p2pquic
