// The ngtcp2 example pair of the transport bench: Debian's gtlsserver
// (ngtcp2-server) serves one file over HTTP/3 and gtlsclient (ngtcp2-client)
// downloads it, both on ngtcp2 0.12.1 + GnuTLS like p2pquic, two processes
// on 127.0.0.1. Goodput only (download: server -> client).
//
// A throwaway directory holds a self-signed P-256 certificate (openssl) and
// the file. The first download is written out and its size checked (and is
// the warm-up); the timed ones discard the body (no --download), so disk
// writes are not timed. A timed run spans process start to exit, so the
// median time of downloading a 1-byte file (start-up, handshake, exit) is
// subtracted from it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace p2pquic::bench {

struct Ngtcp2Settings {
  uint64_t bytes = 0;
  int runs = 0;
};

struct Ngtcp2Result {
  std::vector<double> download_mbps;
  double overhead_ms = 0;  // Median 1-byte download, subtracted from each run.
  std::string error;       // Empty on success.
};

inline constexpr char kGtlsServer[] = "/usr/sbin/gtlsserver";
inline constexpr char kGtlsClient[] = "/usr/bin/gtlsclient";

Ngtcp2Result RunNgtcp2Pair(const Ngtcp2Settings& settings);

}  // namespace p2pquic::bench
