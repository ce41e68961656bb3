// CidGenerator: draws every CID an endpoint issues and has it registered
// before anything can announce it (the registry's register-before-announce
// contract). It owns the one retry policy: a CID that collides with one the
// registry already holds is drawn again, at most kMaxDraws times in all.
//
// Random CIDs of 4+ bytes collide so rarely (2^-32 per draw against one
// held CID) that kMaxDraws collisions in a row mean the random source is
// broken or aimed; the caller then refuses the connection (counted) rather
// than run it on a CID the registry does not know.
//
// What the candidates look like is the CidMinter's (cid_minter.h): random
// bytes by default, QUIC-LB CIDs naming a worker on a multi-worker server.
//
// Contract: single-threaded; `random` (and `minter`, when given) outlive
// the generator.
#pragma once

#include <absl/functional/function_ref.h>

#include <cstddef>
#include <cstdint>

#include "transport/base/connection_id.h"
#include "transport/routing/cid_minter.h"
#include "transport/routing/cid_registration.h"
#include "transport/runtime/random.h"

namespace p2pquic {

enum class CidDrawResult : uint8_t {
  kRegistered,  // `*cid` is registered.
  kExhausted,   // Every draw collided: refuse the connection.
  kRefused,     // The registrar refused for another reason (e.g. its limit).
};
const char* ToString(CidDrawResult result);

class CidGenerator {
 public:
  static constexpr int kMaxDraws = 8;
  using Registrar = absl::FunctionRef<CidRegistration(const ConnectionId&)>;

  // Random CIDs of `length` bytes.
  CidGenerator(Random& random, size_t length) : random_(random), random_minter_(length) {}
  // CIDs `minter` makes (null: random ones of `length` bytes).
  CidGenerator(Random& random, const CidMinter* minter, size_t length)
      : random_(random), random_minter_(length), minter_(minter) {}

  // Draws CIDs of length() bytes and offers each to `registrar` until one is
  // registered (kRegistered, `*cid` set), the registrar refuses (kRefused),
  // or kMaxDraws draws all collided (kExhausted). `*collisions` (optional)
  // counts the collided draws.
  CidDrawResult Draw(Registrar registrar, ConnectionId* cid, uint32_t* collisions = nullptr);
  // `length` random bytes no registry keeps: a client's first DCID.
  ConnectionId DrawUnregistered(size_t length);

  size_t length() const { return minter().length(); }

 private:
  const CidMinter& minter() const { return minter_ != nullptr ? *minter_ : random_minter_; }

  Random& random_;
  RandomCidMinter random_minter_;
  const CidMinter* minter_ = nullptr;
};

}  // namespace p2pquic
