// quic_lb_bench: QuicLbCodec encode and decode per CID, for the three
// modes of draft-ietf-quic-load-balancers-21 (plaintext, single-pass AES,
// four-pass Feistel), plus SteerDatagram on a keyed short header (the
// per-datagram cost of user-space steering). Google Benchmark's own main:
// --benchmark_format=json|csv|console and the other --benchmark_* flags
// work as usual.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <vector>

#include "testing/packet_builder.h"
#include "transport/routing/quic_lb_cid_minter.h"
#include "transport/routing/quic_lb_codec.h"
#include "transport/routing/worker_steering.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic {
namespace {

constexpr size_t kBatch = 1024;  // Distinct CIDs cycled through.

enum class Mode : int64_t { kPlaintext = 0, kSinglePass = 1, kFourPass = 2 };

QuicLbConfig ConfigFor(Mode mode) {
  QuicLbConfig config;  // 8-byte CIDs: server ID 2, nonce 5.
  if (mode == Mode::kPlaintext) return config;
  QuicLbConfig::Key key;
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i * 13 + 5);
  config.key = key;
  if (mode == Mode::kSinglePass) config.nonce_length = 14;
  return config;
}

std::shared_ptr<const QuicLbCodec> CodecOrDie(const QuicLbConfig& config) {
  QuicLbCodec::Creation creation = QuicLbCodec::Create(config);
  if (creation.status != QuicLbCodecStatus::kOk) std::abort();
  return creation.codec;
}

void BM_Encode(benchmark::State& state) {
  const auto codec = CodecOrDie(ConfigFor(static_cast<Mode>(state.range(0))));
  SeededRandom random(1);
  std::vector<uint8_t> nonces(kBatch * codec->config().nonce_length);
  random.Fill(nonces);
  const std::vector<uint8_t> server_id(codec->config().server_id_length, 7);
  size_t i = 0;
  ConnectionId cid;
  for (auto _ : state) {
    const std::span<const uint8_t> nonce(nonces.data() + i * codec->config().nonce_length,
                                         codec->config().nonce_length);
    if (codec->Encode(server_id, nonce, &cid) != QuicLbEncodeResult::kOk) {
      state.SkipWithError("encode failed");
    }
    benchmark::DoNotOptimize(cid);
    i = (i + 1) % kBatch;
  }
  state.SetLabel(ToString(codec->mode()));
}

std::vector<ConnectionId> MintBatch(const std::shared_ptr<const QuicLbCodec>& codec) {
  const QuicLbCidMinter minter(codec, 1);
  SeededRandom random(2);
  std::vector<ConnectionId> cids;
  for (size_t i = 0; i < kBatch; ++i) cids.push_back(minter.Mint(random));
  return cids;
}

void BM_Decode(benchmark::State& state) {
  const auto codec = CodecOrDie(ConfigFor(static_cast<Mode>(state.range(0))));
  const auto depth = static_cast<QuicLbDecodeDepth>(state.range(1));
  const std::vector<ConnectionId> cids = MintBatch(codec);
  QuicLbPlaintext plaintext;
  size_t i = 0;
  for (auto _ : state) {
    if (codec->Decode(cids[i], &plaintext, depth) != QuicLbDecodeResult::kOk) {
      state.SkipWithError("decode failed");
    }
    benchmark::DoNotOptimize(plaintext);
    i = (i + 1) % kBatch;
  }
  state.SetLabel(std::string(ToString(codec->mode())) +
                 (depth == QuicLbDecodeDepth::kServerIdOnly ? ", server ID only" : ", all"));
}

void BM_SteerShortHeader(benchmark::State& state) {
  WorkerSteeringConfig steering;
  if (MakeWorkerSteeringConfig(ConfigFor(static_cast<Mode>(state.range(0))), 4, &steering) !=
      WorkerSteeringConfigStatus::kOk) {
    std::abort();
  }
  const std::vector<ConnectionId> cids =
      MintBatch(steering.codec ? steering.codec : CodecOrDie(steering.lb));
  std::vector<std::vector<uint8_t>> packets;
  for (const ConnectionId& cid : cids) packets.push_back(testing::ShortHeaderPacket(cid));
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(SteerDatagram(packets[i], steering));
    i = (i + 1) % kBatch;
  }
  state.SetLabel(steering.codec ? ToString(steering.codec->mode()) : "plaintext");
}

constexpr int64_t kServerIdOnly = static_cast<int64_t>(QuicLbDecodeDepth::kServerIdOnly);
constexpr int64_t kAll = static_cast<int64_t>(QuicLbDecodeDepth::kServerIdAndNonce);

BENCHMARK(BM_Encode)->Arg(0)->Arg(1)->Arg(2);
BENCHMARK(BM_Decode)->Args({0, kAll})->Args({1, kAll})->Args({2, kAll})->Args({2, kServerIdOnly});
BENCHMARK(BM_SteerShortHeader)->Arg(0)->Arg(1)->Arg(2);

}  // namespace
}  // namespace p2pquic
