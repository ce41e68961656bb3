#include "sim/pcap_writer.h"

namespace p2pquic::sim {
namespace {

constexpr uint16_t kIpv4Version = 4;
constexpr uint8_t kIpv4Ihl = 5;  // 32-bit words: a header without options.
constexpr uint16_t kIpv4DontFragment = 0x4000;
constexpr uint32_t kIpv6Version = 6;
constexpr size_t kMaxIpLength = 0xffff;
constexpr uint64_t kNanosPerSecond = 1'000'000'000;

void Put16(std::vector<uint8_t>& out, uint16_t v) {  // Network order (big-endian).
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}

void Put32(std::vector<uint8_t>& out, uint32_t v) {
  Put16(out, static_cast<uint16_t>(v >> 16));
  Put16(out, static_cast<uint16_t>(v));
}

void PutLe16(std::vector<uint8_t>& out, uint16_t v) {  // The pcap headers' order.
  out.push_back(static_cast<uint8_t>(v));
  out.push_back(static_cast<uint8_t>(v >> 8));
}

void PutLe32(std::vector<uint8_t>& out, uint32_t v) {
  PutLe16(out, static_cast<uint16_t>(v));
  PutLe16(out, static_cast<uint16_t>(v >> 16));
}

void PutBytes(std::vector<uint8_t>& out, std::span<const uint8_t> bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

// RFC 1071: the one's-complement sum of 16-bit big-endian words, an odd
// last byte padded with zero; `sum` carries a partial sum in.
uint32_t SumWords(std::span<const uint8_t> bytes, uint32_t sum) {
  for (size_t i = 0; i + 1 < bytes.size(); i += 2) sum += (uint32_t{bytes[i]} << 8) | bytes[i + 1];
  if (bytes.size() % 2 == 1) sum += uint32_t{bytes.back()} << 8;
  return sum;
}

uint16_t Fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);  // At most twice.
  return static_cast<uint16_t>(~sum);
}

// The UDP checksum over the pseudo-header (RFC 768 / RFC 8200 8.1), the UDP
// header with a zero checksum, and the payload. 0 goes out as 0xffff.
uint16_t UdpChecksum(const SocketAddress& from, const SocketAddress& to,
                     std::span<const uint8_t> udp) {
  uint32_t sum = SumWords(from.address_bytes(), 0);
  sum = SumWords(to.address_bytes(), sum);
  sum += PcapWriter::kProtocolUdp;
  sum += static_cast<uint32_t>(udp.size());  // <= 0xffff here for both families.
  sum = SumWords(udp, sum);
  const uint16_t folded = Fold(sum);
  return folded == 0 ? 0xffff : folded;
}

void PutIpv4Header(std::vector<uint8_t>& out, const SocketAddress& from, const SocketAddress& to,
                   size_t udp_length) {
  const size_t start = out.size();
  out.push_back(static_cast<uint8_t>((kIpv4Version << 4) | kIpv4Ihl));
  out.push_back(0);  // DSCP / ECN.
  Put16(out, static_cast<uint16_t>(PcapWriter::kIpv4HeaderBytes + udp_length));
  Put16(out, 0);  // Identification: unused with DF.
  Put16(out, kIpv4DontFragment);
  out.push_back(PcapWriter::kHopLimit);
  out.push_back(PcapWriter::kProtocolUdp);
  Put16(out, 0);  // Checksum, filled in below.
  PutBytes(out, from.address_bytes());
  PutBytes(out, to.address_bytes());
  const uint16_t checksum =
      Fold(SumWords(std::span<const uint8_t>(out).subspan(start, PcapWriter::kIpv4HeaderBytes), 0));
  out[start + 10] = static_cast<uint8_t>(checksum >> 8);
  out[start + 11] = static_cast<uint8_t>(checksum);
}

void PutIpv6Header(std::vector<uint8_t>& out, const SocketAddress& from, const SocketAddress& to,
                   size_t udp_length) {
  Put32(out, kIpv6Version << 28);  // Traffic class and flow label 0.
  Put16(out, static_cast<uint16_t>(udp_length));
  out.push_back(PcapWriter::kProtocolUdp);
  out.push_back(PcapWriter::kHopLimit);
  PutBytes(out, from.address_bytes());
  PutBytes(out, to.address_bytes());
}

std::vector<uint8_t> UdpSegment(const SocketAddress& from, const SocketAddress& to,
                                std::span<const uint8_t> payload) {
  std::vector<uint8_t> udp;
  udp.reserve(PcapWriter::kUdpHeaderBytes + payload.size());
  Put16(udp, from.port());
  Put16(udp, to.port());
  Put16(udp, static_cast<uint16_t>(PcapWriter::kUdpHeaderBytes + payload.size()));
  Put16(udp, 0);
  PutBytes(udp, payload);
  const uint16_t checksum = UdpChecksum(from, to, udp);
  udp[6] = static_cast<uint8_t>(checksum >> 8);
  udp[7] = static_cast<uint8_t>(checksum);
  return udp;
}

}  // namespace

const char* ToString(PcapWriteResult result) {
  switch (result) {
    case PcapWriteResult::kWritten:
      return "written";
    case PcapWriteResult::kFamilyMismatch:
      return "address family mismatch";
    case PcapWriteResult::kTooLarge:
      return "packet too large";
    case PcapWriteResult::kBeforeStart:
      return "time before the capture start";
    case PcapWriteResult::kStreamError:
      return "stream error";
  }
  return "unknown";
}

PcapWriter::PcapWriter(std::ostream& out, Timestamp start) : out_(out), start_(start) {
  WriteFileHeader();
}

void PcapWriter::WriteFileHeader() {
  std::vector<uint8_t> header;
  PutLe32(header, kMagicNanoseconds);
  PutLe16(header, kVersionMajor);
  PutLe16(header, kVersionMinor);
  PutLe32(header, 0);  // thiszone: timestamps are UTC.
  PutLe32(header, 0);  // sigfigs.
  PutLe32(header, kSnapLength);
  PutLe32(header, kLinkTypeRaw);
  Flush(header);
}

bool PcapWriter::Flush(const std::vector<uint8_t>& bytes) {
  out_.write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  failed_ = failed_ || !out_.good();
  return !failed_;
}

void PcapWriter::OnDatagram(const DatagramEvent& event) {
  if (!IsDelivery(event.fate)) return;
  if (Write(event.time, event.delivered_from, event.delivered_to, event.payload) !=
      PcapWriteResult::kWritten) {
    ++failures_;
  }
}

PcapWriteResult PcapWriter::Write(Timestamp time, const SocketAddress& from,
                                  const SocketAddress& to, std::span<const uint8_t> payload) {
  if (failed_) return PcapWriteResult::kStreamError;
  if (from.family() != to.family() || from.family() == AddressFamily::kUnspecified) {
    return PcapWriteResult::kFamilyMismatch;
  }
  const bool v4 = from.family() == AddressFamily::kIpv4;
  const size_t udp_length = kUdpHeaderBytes + payload.size();
  // IPv4 counts its header in the 16-bit total length, IPv6 does not.
  if ((v4 ? kIpv4HeaderBytes : 0) + udp_length > kMaxIpLength) return PcapWriteResult::kTooLarge;
  if (time < start_) return PcapWriteResult::kBeforeStart;
  const uint64_t since = static_cast<uint64_t>((time - start_).count());
  const size_t packet_length = (v4 ? kIpv4HeaderBytes : kIpv6HeaderBytes) + udp_length;
  std::vector<uint8_t> record;
  record.reserve(kRecordHeaderBytes + packet_length);
  PutLe32(record, static_cast<uint32_t>(since / kNanosPerSecond));
  PutLe32(record, static_cast<uint32_t>(since % kNanosPerSecond));
  PutLe32(record, static_cast<uint32_t>(packet_length));  // Captured: all of it.
  PutLe32(record, static_cast<uint32_t>(packet_length));  // On the wire.
  if (v4) {
    PutIpv4Header(record, from, to, udp_length);
  } else {
    PutIpv6Header(record, from, to, udp_length);
  }
  PutBytes(record, UdpSegment(from, to, payload));
  if (!Flush(record)) return PcapWriteResult::kStreamError;
  ++records_;
  return PcapWriteResult::kWritten;
}

}  // namespace p2pquic::sim
