#include "transport/routing/cid_registrar.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "testing/packet_builder.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic {
namespace {

struct NoListener final : CidRegistrar::Listener {
  void OnDeferredCidEntered(ConnectionHandle, const ConnectionId&, uint64_t) override {
    ADD_FAILURE() << "the immediate registrar deferred an entry";
  }
};

TEST(ImmediateCidRegistrarTest, EntersAtOnceAndMapsTheRegistrysAnswers) {
  SeededRandom random(1);
  ConnectionIdRegistry registry(RegistrySettings{}, random);
  ImmediateCidRegistrar registrar;
  NoListener listener;
  const ConnectionHandle a = registry.OpenConnection();
  const ConnectionHandle b = registry.OpenConnection();
  EXPECT_EQ(registrar.Register(registry, a, testing::MakeCid(1), 0, listener),
            CidEntryResult::kEntered);
  EXPECT_EQ(registrar.Register(registry, a, testing::MakeCid(1), 0, listener),
            CidEntryResult::kEntered)
      << "a repeat is entered already";
  EXPECT_EQ(registrar.Register(registry, b, testing::MakeCid(1), 0, listener),
            CidEntryResult::kCollision);
  EXPECT_EQ(registrar.Register(registry, a, testing::MakeCid(2), 0, listener),
            CidEntryResult::kRefused)
      << "sequence 0 reused";
  EXPECT_EQ(registrar.Register(registry, a, testing::MakeCid(3), 1, listener),
            CidEntryResult::kEntered);
  EXPECT_EQ(registry.stats().cids_issued, 2u);
}

}  // namespace
}  // namespace p2pquic
