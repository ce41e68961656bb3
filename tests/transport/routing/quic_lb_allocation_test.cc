// The claims quic_lb_aes.h and worker_steering.h make about the hot path:
// once a thread has used a key, Decode and SteerDatagram allocate nothing
// (neither operator new nor OpenSSL's allocator), and one codec shared by
// several threads gives each the right answers at once.
#include <gtest/gtest.h>
#include <openssl/crypto.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <thread>
#include <vector>

#include "testing/packet_builder.h"
#include "transport/routing/quic_lb_cid_minter.h"
#include "transport/routing/quic_lb_codec.h"
#include "transport/routing/worker_steering.h"
#include "transport/runtime/seeded_random.h"

namespace {

std::atomic<uint64_t> g_operator_new_calls{0};
std::atomic<uint64_t> g_openssl_allocations{0};

void* CountingMalloc(size_t size, const char*, int) {
  g_openssl_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size);
}
void* CountingRealloc(void* p, size_t size, const char*, int) {
  g_openssl_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::realloc(p, size);
}
void CountingFree(void* p, const char*, int) { std::free(p); }

// Installed before main, before OpenSSL can have allocated anything
// (OpenSSL refuses new functions after its first allocation).
const int g_mem_functions_installed =
    CRYPTO_set_mem_functions(CountingMalloc, CountingRealloc, CountingFree);

}  // namespace

void* operator new(size_t size) {
  g_operator_new_calls.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace p2pquic {
namespace {

constexpr int kDatagrams = 1000;
constexpr int kThreads = 4;

QuicLbConfig::Key TestKey() {
  QuicLbConfig::Key key;
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i * 29 + 1);
  return key;
}

TEST(QuicLbAllocationTest, CountersAreLive) {
  ASSERT_EQ(g_mem_functions_installed, 1) << "CRYPTO_set_mem_functions was refused";
  const uint64_t before = g_operator_new_calls.load();
  auto* p = new std::vector<int>(4);
  delete p;
  EXPECT_GT(g_operator_new_calls.load(), before);
  const uint64_t openssl_before = g_openssl_allocations.load();
  OPENSSL_free(OPENSSL_malloc(8));
  EXPECT_EQ(g_openssl_allocations.load(), openssl_before + 1);
}

TEST(QuicLbAllocationTest, KeyedDecodeAndSteeringAllocateNothingOnceWarm) {
  ASSERT_EQ(g_mem_functions_installed, 1) << "CRYPTO_set_mem_functions was refused";
  for (size_t nonce_length : {size_t{5}, size_t{14}}) {  // Four-pass, then single pass.
    SCOPED_TRACE(nonce_length);
    QuicLbConfig lb;
    lb.nonce_length = nonce_length;
    lb.key = TestKey();
    WorkerSteeringConfig steering;
    ASSERT_EQ(MakeWorkerSteeringConfig(lb, kThreads, &steering), WorkerSteeringConfigStatus::kOk);
    const QuicLbCidMinter minter(steering.codec, 3);
    SeededRandom random(1);
    std::vector<std::vector<uint8_t>> packets;
    for (int i = 0; i < 16; ++i) packets.push_back(testing::ShortHeaderPacket(minter.Mint(random)));
    ASSERT_EQ(SteerDatagram(packets[0], steering).worker, 3u);  // Warm this thread.

    const uint64_t news = g_operator_new_calls.load();
    const uint64_t openssl = g_openssl_allocations.load();
    uint32_t steered = 0;
    QuicLbPlaintext plaintext;
    for (int i = 0; i < kDatagrams; ++i) {
      const auto& packet = packets[i % packets.size()];
      steered += SteerDatagram(packet, steering).worker == 3u ? 1 : 0;
      ASSERT_EQ(steering.codec->Decode(std::span(packet).subspan(1, lb.cid_length()), &plaintext),
                QuicLbDecodeResult::kOk);
    }
    EXPECT_EQ(steered, static_cast<uint32_t>(kDatagrams));
    EXPECT_EQ(g_operator_new_calls.load(), news);
    EXPECT_EQ(g_openssl_allocations.load(), openssl);
  }
}

TEST(QuicLbAllocationTest, OneCodecServesSeveralThreadsAtOnce) {
  QuicLbConfig lb;
  lb.key = TestKey();
  WorkerSteeringConfig steering;
  ASSERT_EQ(MakeWorkerSteeringConfig(lb, kThreads, &steering), WorkerSteeringConfigStatus::kOk);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (uint32_t worker = 0; worker < kThreads; ++worker) {
    threads.emplace_back([&, worker] {
      const QuicLbCidMinter minter(steering.codec, worker);
      SeededRandom random(worker + 100);
      for (int i = 0; i < kDatagrams; ++i) {
        const SteeringDecision decision =
            SteerDatagram(testing::ShortHeaderPacket(minter.Mint(random)), steering);
        if (decision.kind != SteeringKind::kByCid || decision.worker != worker) ++wrong;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace p2pquic
