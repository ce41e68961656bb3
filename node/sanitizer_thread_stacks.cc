// Linked into p2pquic-node only in sanitizer builds (--config=asan).
//
// Debian's civetweb, which serves /metrics for prometheus-cpp's exposer,
// starts its workers with a small fixed stack; ASan's interceptor frames
// overflow it on the first request (stack-overflow in mg_printf). This
// raises every requested thread stack to at least 1 MiB; production builds
// leave civetweb as it is.
#include <dlfcn.h>
#include <pthread.h>

#include <algorithm>
#include <cstddef>

namespace {
constexpr size_t kMinThreadStack = 1 << 20;
}  // namespace

extern "C" int pthread_attr_setstacksize(pthread_attr_t* attr, size_t size) {
  using Real = int (*)(pthread_attr_t*, size_t);
  static const Real real = reinterpret_cast<Real>(dlsym(RTLD_NEXT, "pthread_attr_setstacksize"));
  return real(attr, std::max(size, kMinThreadStack));
}
