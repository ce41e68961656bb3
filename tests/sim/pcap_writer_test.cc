#include "sim/pcap_writer.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "sim/sim_network.h"
#include "tests/sim/sim_world.h"

namespace p2pquic::sim {
namespace {

using std::chrono::milliseconds;
using testing::SimWorld;

// --- An independent reader of what PcapWriter wrote ------------------------

uint32_t Le32(const std::vector<uint8_t>& b, size_t at) {
  return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (uint32_t{b[at + 3]} << 24);
}
uint16_t Le16(const std::vector<uint8_t>& b, size_t at) {
  return static_cast<uint16_t>(b[at] | (b[at + 1] << 8));
}
uint16_t Be16(const std::vector<uint8_t>& b, size_t at) {
  return static_cast<uint16_t>((b[at] << 8) | b[at + 1]);
}

// One's-complement sum of big-endian 16-bit words, folded (not inverted).
uint16_t OnesSum(const std::vector<uint8_t>& bytes) {
  uint64_t sum = 0;
  for (size_t i = 0; i < bytes.size(); i += 2) {
    sum += (uint64_t{bytes[i]} << 8) | (i + 1 < bytes.size() ? bytes[i + 1] : 0);
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(sum);
}

struct Packet {
  uint64_t nanos;  // Since the capture's start.
  SocketAddress from, to;
  std::vector<uint8_t> payload;
};

std::vector<uint8_t> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

// Parses one LINKTYPE_RAW packet, checking every length and checksum.
Packet ParsePacket(const std::vector<uint8_t>& ip, uint64_t nanos) {
  Packet packet{nanos, {}, {}, {}};
  const int version = ip.at(0) >> 4;
  size_t header = 0;
  std::vector<uint8_t> pseudo;
  if (version == 4) {
    header = 20;
    EXPECT_EQ(ip[0], 0x45);
    EXPECT_EQ(Be16(ip, 2), ip.size());  // Total length.
    EXPECT_EQ(ip[9], 17);               // UDP.
    EXPECT_EQ(OnesSum({ip.begin(), ip.begin() + 20}), 0xffff) << "IPv4 header checksum";
    std::array<uint8_t, 4> src, dst;
    std::copy(ip.begin() + 12, ip.begin() + 16, src.begin());
    std::copy(ip.begin() + 16, ip.begin() + 20, dst.begin());
    packet.from = SocketAddress::Ipv4(src, Be16(ip, 20));
    packet.to = SocketAddress::Ipv4(dst, Be16(ip, 22));
    pseudo.assign(ip.begin() + 12, ip.begin() + 20);
  } else {
    EXPECT_EQ(version, 6);
    header = 40;
    EXPECT_EQ(Be16(ip, 4), ip.size() - 40);  // Payload length.
    EXPECT_EQ(ip[6], 17);
    std::array<uint8_t, 16> src, dst;
    std::copy(ip.begin() + 8, ip.begin() + 24, src.begin());
    std::copy(ip.begin() + 24, ip.begin() + 40, dst.begin());
    packet.from = SocketAddress::Ipv6(src, Be16(ip, 40));
    packet.to = SocketAddress::Ipv6(dst, Be16(ip, 42));
    pseudo.assign(ip.begin() + 8, ip.begin() + 40);
  }
  const size_t udp_length = ip.size() - header;
  EXPECT_EQ(Be16(ip, header + 4), udp_length);
  EXPECT_NE(Be16(ip, header + 6), 0) << "UDP checksum present";
  pseudo.insert(pseudo.end(),
                {0, 17, static_cast<uint8_t>(udp_length >> 8), static_cast<uint8_t>(udp_length)});
  pseudo.insert(pseudo.end(), ip.begin() + static_cast<long>(header), ip.end());
  EXPECT_EQ(OnesSum(pseudo), 0xffff) << "UDP checksum";
  packet.payload.assign(ip.begin() + static_cast<long>(header + 8), ip.end());
  return packet;
}

std::vector<Packet> ParseCapture(const std::vector<uint8_t>& file) {
  std::vector<Packet> packets;
  EXPECT_GE(file.size(), 24u);
  if (file.size() < 24) return packets;
  EXPECT_EQ(Le32(file, 0), 0xa1b23c4du);  // Nanosecond pcap, little-endian.
  EXPECT_EQ(Le16(file, 4), 2);
  EXPECT_EQ(Le16(file, 6), 4);
  EXPECT_EQ(Le32(file, 16), PcapWriter::kSnapLength);
  EXPECT_EQ(Le32(file, 20), 101u);  // LINKTYPE_RAW.
  size_t at = 24;
  while (at + 16 <= file.size()) {
    const uint64_t nanos = uint64_t{Le32(file, at)} * 1'000'000'000 + Le32(file, at + 4);
    const uint32_t captured = Le32(file, at + 8);
    EXPECT_EQ(captured, Le32(file, at + 12));       // Never truncated.
    EXPECT_LT(Le32(file, at + 4), 1'000'000'000u);  // A fraction of a second.
    at += 16;
    if (at + captured > file.size()) break;
    packets.push_back(ParsePacket(
        {file.begin() + static_cast<long>(at), file.begin() + static_cast<long>(at + captured)},
        nanos));
    at += captured;
  }
  EXPECT_EQ(at, file.size()) << "trailing bytes";
  return packets;
}

// --- Tests -------------------------------------------------------------------

TEST(PcapWriterTest, RecordsWhatArrivedWithPostNatAddressesAndVirtualTimes) {
  const SocketAddress inside = SocketAddress::Ipv4({192, 168, 0, 2}, 50000);
  const SocketAddress outside = SocketAddress::Ipv4({198, 51, 100, 9}, 40000);
  const SocketAddress server = SocketAddress::Ipv4({198, 51, 100, 1}, 443);
  SimWorld world;
  const HostId client_host = world.Host("client", inside);
  const HostId server_host = world.Host("server", server);
  ASSERT_EQ(world.network.AddNat(client_host, inside, outside), NetworkResult::kOk);
  const std::string path = TempPath("nat.pcap");
  std::ofstream file(path, std::ios::binary);
  PcapWriter pcap(file, world.queue.Now());
  world.network.AddObserver(&pcap);
  auto client = world.Open(inside, nullptr);
  auto s = world.Open(server, nullptr);
  LinkConditions link;
  link.delay = milliseconds(1500);  // Timestamps cross a second.
  world.network.SetDefaultConditions(link);
  const std::vector<uint8_t> odd = {1, 2, 3, 4, 5};  // Odd length: checksum padding.
  client->SendTo(server, odd);
  world.Run(milliseconds(250));
  s->SendTo(outside, std::vector<uint8_t>(1200, 0xab));
  world.Run(std::chrono::seconds(3));
  ASSERT_EQ(world.network.Blackhole(server_host, client_host), NetworkResult::kOk);
  s->SendTo(outside, odd);  // Dropped: not on the capture.
  world.Run(std::chrono::seconds(3));
  EXPECT_EQ(world.network.stats().count(DatagramFate::kBlackholed), 1u);
  file.close();
  EXPECT_EQ(pcap.records(), 2u);
  EXPECT_EQ(pcap.failures(), 0u);
  const std::vector<Packet> packets = ParseCapture(ReadFile(path));
  ASSERT_EQ(packets.size(), 2u);
  EXPECT_EQ(packets[0].nanos, 1'500'000'000u);
  EXPECT_EQ(packets[0].from, outside);  // After the client's NAT.
  EXPECT_EQ(packets[0].to, server);
  EXPECT_EQ(packets[0].payload, odd);
  EXPECT_EQ(packets[1].nanos, 1'750'000'000u);
  EXPECT_EQ(packets[1].from, server);
  EXPECT_EQ(packets[1].to, inside);  // As it arrived, through the NAT.
  EXPECT_EQ(packets[1].payload, std::vector<uint8_t>(1200, 0xab));
}

TEST(PcapWriterTest, Ipv6PacketsCarryAComputedUdpChecksum) {
  std::ostringstream out;
  const Timestamp start(std::chrono::seconds(5));
  PcapWriter pcap(out, start);
  const SocketAddress from =
      SocketAddress::Ipv6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 4433);
  const SocketAddress to =
      SocketAddress::Ipv6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}, 50000);
  for (size_t size : {0, 1, 1200}) {
    std::vector<uint8_t> payload(size);
    for (size_t i = 0; i < size; ++i) payload[i] = static_cast<uint8_t>(i * 7 + 3);
    ASSERT_EQ(pcap.Write(start + milliseconds(size), from, to, payload), PcapWriteResult::kWritten);
  }
  const std::string text = out.str();
  const std::vector<Packet> packets = ParseCapture({text.begin(), text.end()});
  ASSERT_EQ(packets.size(), 3u);
  EXPECT_EQ(packets[2].nanos, 1'200'000'000u);
  EXPECT_EQ(packets[2].from, from);
  EXPECT_EQ(packets[2].to, to);
  EXPECT_EQ(packets[2].payload.size(), 1200u);
  EXPECT_TRUE(packets[0].payload.empty());
}

TEST(PcapWriterTest, RefusesWhatItCannotRecord) {
  std::ostringstream out;
  const Timestamp start(std::chrono::seconds(5));
  PcapWriter pcap(out, start);
  const SocketAddress v4 = SocketAddress::Ipv4({10, 0, 0, 1}, 1);
  const SocketAddress v6 = SocketAddress::Ipv6({}, 1);
  EXPECT_EQ(pcap.Write(start, v4, v6, {}), PcapWriteResult::kFamilyMismatch);
  EXPECT_EQ(pcap.Write(start - milliseconds(1), v4, v4, {}), PcapWriteResult::kBeforeStart);
  const std::vector<uint8_t> huge(65535 - 20 - 8 + 1);
  EXPECT_EQ(pcap.Write(start, v4, v4, huge), PcapWriteResult::kTooLarge);
  EXPECT_EQ(pcap.Write(start, v6, v6, huge),
            PcapWriteResult::kWritten);  // No header in the length.
  EXPECT_EQ(pcap.records(), 1u);
  out.setstate(std::ios::badbit);
  EXPECT_EQ(pcap.Write(start, v4, v4, {}), PcapWriteResult::kStreamError);
  EXPECT_EQ(pcap.Write(start, v4, v4, {}), PcapWriteResult::kStreamError);
}

}  // namespace
}  // namespace p2pquic::sim
