#include "transport/runtime/asio/system_random.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace p2pquic {

void SystemRandom::Fill(std::span<uint8_t> out) {
  size_t filled = 0;
  while (filled < out.size()) {
    const ssize_t n = getrandom(out.data() + filled, out.size() - filled, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::perror("p2pquic: getrandom");
      std::abort();
    }
    filled += static_cast<size_t>(n);
  }
}

}  // namespace p2pquic
