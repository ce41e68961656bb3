#include "bench/allocation_counter.h"

#include <malloc.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace p2pquic::bench {
namespace {

std::atomic<uint64_t> g_allocations{0};
std::atomic<int64_t> g_live_bytes{0};

void* CountedAllocate(size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  g_live_bytes.fetch_add(static_cast<int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
  return p;
}

void CountedFree(void* p) {
  if (p == nullptr) return;
  g_live_bytes.fetch_sub(static_cast<int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
  std::free(p);
}

}  // namespace

AllocationSnapshot CurrentAllocations() {
  return {g_allocations.load(std::memory_order_relaxed),
          g_live_bytes.load(std::memory_order_relaxed)};
}

}  // namespace p2pquic::bench

void* operator new(size_t size) { return p2pquic::bench::CountedAllocate(size); }
void* operator new[](size_t size) { return p2pquic::bench::CountedAllocate(size); }
void operator delete(void* p) noexcept { p2pquic::bench::CountedFree(p); }
void operator delete[](void* p) noexcept { p2pquic::bench::CountedFree(p); }
void operator delete(void* p, size_t) noexcept { p2pquic::bench::CountedFree(p); }
void operator delete[](void* p, size_t) noexcept { p2pquic::bench::CountedFree(p); }
