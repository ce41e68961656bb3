// PcapWriter: a classic pcap capture of what a SimNetwork delivered, for
// Wireshark/tshark (the QUIC dissector decodes the payloads; with the TLS
// secrets it decrypts them).
//
// Format: the classic libpcap file, nanosecond variant (magic 0xa1b23c4d),
// version 2.4, written little-endian whatever the host, link type
// LINKTYPE_RAW (101): each record is an IPv4 or IPv6 packet built around the
// UDP payload. IPv4: 20-byte header, DF set, TTL 64, identification 0,
// header checksum computed. IPv6: 40-byte header, hop limit 64, flow label 0.
// UDP: lengths exact, checksum computed for both families (IPv6 requires
// it; a computed 0 is sent as 0xffff).
//
// What is recorded: as a NetworkObserver, every copy that reached a socket
// (kDelivered, kDuplicate, kCorrupted), at its arrival time, with the
// addresses it arrived with (post-NAT source and destination) and its bytes
// as delivered (a corrupted byte included). Dropped copies are not on the
// capture: it shows what the receivers saw. Timestamps are virtual time
// since `start`, the run's start.
//
// The stream is the caller's; every record is written whole or the writer
// reports kStreamError from then on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <span>
#include <vector>

#include "sim/network_observer.h"
#include "transport/base/socket_address.h"
#include "transport/base/time.h"

namespace p2pquic::sim {

enum class PcapWriteResult : uint8_t {
  kWritten,
  kFamilyMismatch,  // Source and destination of different (or no) family.
  kTooLarge,        // The packet would not fit in a 16-bit IP length field.
  kBeforeStart,     // A time before the capture's start.
  kStreamError,     // The stream failed; nothing more is written.
};

const char* ToString(PcapWriteResult result);

class PcapWriter final : public NetworkObserver {
 public:
  static constexpr uint32_t kMagicNanoseconds = 0xa1b23c4d;
  static constexpr uint16_t kVersionMajor = 2;
  static constexpr uint16_t kVersionMinor = 4;
  static constexpr uint32_t kLinkTypeRaw = 101;
  static constexpr uint32_t kSnapLength = 262144;  // tcpdump's default; never truncates.
  static constexpr size_t kFileHeaderBytes = 24;
  static constexpr size_t kRecordHeaderBytes = 16;
  static constexpr size_t kIpv4HeaderBytes = 20;
  static constexpr size_t kIpv6HeaderBytes = 40;
  static constexpr size_t kUdpHeaderBytes = 8;
  static constexpr uint8_t kHopLimit = 64;
  static constexpr uint8_t kProtocolUdp = 17;

  // Writes the file header to `out` at once.
  PcapWriter(std::ostream& out, Timestamp start);

  // Records delivered copies (see above); ignores the rest.
  void OnDatagram(const DatagramEvent& event) override;

  // One record: `payload` from `from` to `to` at `time`.
  PcapWriteResult Write(Timestamp time, const SocketAddress& from, const SocketAddress& to,
                        std::span<const uint8_t> payload);

  uint64_t records() const { return records_; }
  // Datagrams OnDatagram could not record (any result but kWritten).
  uint64_t failures() const { return failures_; }

 private:
  void WriteFileHeader();
  bool Flush(const std::vector<uint8_t>& bytes);

  std::ostream& out_;
  Timestamp start_;
  bool failed_ = false;
  uint64_t records_ = 0;
  uint64_t failures_ = 0;
};

}  // namespace p2pquic::sim
