// ReuseportHash: the simulator's stand-in for the kernel's SO_REUSEPORT
// 4-tuple hash, which picks a socket of a reuseport group when no steering
// program does (or when the program passes, kUnsteered). The kernel's own
// hash is salted per boot; what matters to a run is only that one 4-tuple
// always lands on one worker and that different tuples spread, so this is a
// pure function (FNV-1a-32 over both addresses' family, IP and port) and
// draws nothing: a run's draw order (sim_network.h) is unchanged.
#pragma once

#include <cstdint>

#include "transport/base/socket_address.h"

namespace p2pquic::sim {

// FNV-1a-32 over (remote family, IP, port, local family, IP, port).
uint32_t ReuseportHash(const SocketAddress& remote, const SocketAddress& local);

// The worker (< worker_count, which must be >= 1) that hash picks.
uint32_t ReuseportWorker(const SocketAddress& remote, const SocketAddress& local,
                         uint32_t worker_count);

}  // namespace p2pquic::sim
