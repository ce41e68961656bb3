#include "sim/reuseport_hash.h"

#include <vector>

#include "transport/routing/worker_steering.h"

namespace p2pquic::sim {
namespace {

void AppendAddress(const SocketAddress& address, std::vector<uint8_t>* out) {
  out->push_back(static_cast<uint8_t>(address.family()));
  const auto ip = address.address_bytes();
  out->insert(out->end(), ip.begin(), ip.end());
  out->push_back(static_cast<uint8_t>(address.port() >> 8));
  out->push_back(static_cast<uint8_t>(address.port() & 0xff));
}

}  // namespace

uint32_t ReuseportHash(const SocketAddress& remote, const SocketAddress& local) {
  std::vector<uint8_t> bytes;
  AppendAddress(remote, &bytes);
  AppendAddress(local, &bytes);
  // The same FNV-1a the steering rule hashes DCIDs with: one hash to audit.
  return SteeringHash(bytes);
}

uint32_t ReuseportWorker(const SocketAddress& remote, const SocketAddress& local,
                         uint32_t worker_count) {
  return ReuseportHash(remote, local) % worker_count;
}

}  // namespace p2pquic::sim
