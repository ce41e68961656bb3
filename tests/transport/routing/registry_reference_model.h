// A deliberately naive reference model of ConnectionIdRegistry (std::map and
// std::set, no packing, no hashing tricks) for the model-based test. It
// predicts the result of every operation and every route from first
// principles: if the registry and this model disagree, one of them is wrong.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "transport/routing/connection_id_registry.h"

namespace p2pquic::model {

using CidValue = uint64_t;  // The registry sees testing::MakeCid(value).
using RemoteId = int;       // The registry sees RemoteAddress(id).
using TokenId = int;        // The registry sees TokenBytes(id).

inline const SocketAddress kModelLocal = SocketAddress::Loopback4(4433);
inline SocketAddress RemoteAddress(RemoteId id) {
  return SocketAddress::Loopback4(static_cast<uint16_t>(40000 + id));
}
inline StatelessResetToken TokenBytes(TokenId id) {
  StatelessResetToken token{};
  token.fill(0xe0);
  token[0] = static_cast<uint8_t>(id + 1);
  return token;
}

// Settings every model run uses: small limits so they are hit often.
inline RegistrySettings ModelSettings(Duration grace, size_t cid_length) {
  RegistrySettings s;
  s.local_cid_length = cid_length;
  s.retired_cid_grace = grace;
  s.max_cids_per_connection = 4;
  s.max_initial_dcids_per_connection = 2;
  s.max_addresses_per_connection = 2;
  s.max_reset_tokens_per_connection = 3;
  return s;
}

struct Cid {
  int owner;
  uint64_t sequence;
  CidState state;
  Timestamp deadline;
};

struct Connection {
  bool live = true;
  bool established = false;
  uint64_t floor = 0;                 // retire_prior_to
  std::set<uint64_t> used;            // every sequence ever registered
  std::map<uint64_t, CidValue> cids;  // sequence -> CID
  std::set<RemoteId> addresses;
  std::set<std::pair<CidValue, RemoteId>> initials;
  std::set<std::pair<RemoteId, TokenId>> tokens;
};

struct Tuple {
  std::set<int> owners;
  bool shared_ever = false;  // Once two connections shared it, until it empties.
};

struct Expected {
  RouteOutcome outcome;
  int owner = -1;
  uint64_t sequence = kUnknownSequence;
};

struct Model {
  Duration grace{};
  size_t cid_length = 8;  // 8 takes the registry's compact table, 16 the general one.
  Timestamp now = Timestamp(std::chrono::seconds(1000));
  std::vector<Connection> connections;
  std::map<CidValue, Cid> cids;
  std::map<RemoteId, Tuple> tuples;
  std::map<std::pair<CidValue, RemoteId>, int> initials;
  std::map<std::pair<RemoteId, TokenId>, int> tokens;

  RegistrySettings Settings() const { return ModelSettings(grace, cid_length); }
  bool Live(int c) const { return c >= 0 && c < int(connections.size()) && connections[c].live; }

  RegistryResult PredictRegister(int c, CidValue v, uint64_t seq, size_t limit) const;
  void Register(int c, CidValue v, uint64_t seq, CidState state);
  RegistryResult PredictRetire(int c, uint64_t seq) const;
  void Retire(int c, uint64_t seq);
  size_t RetirePriorTo(int c, uint64_t seq);  // Returns how many it retired.
  size_t Expire();
  void Remove(int c);
  int FallbackOwner(RemoteId r) const;
  Expected PredictShort(CidValue v, RemoteId r) const;
  Expected PredictInitial(CidValue v, RemoteId r) const;
  Expected PredictReset(RemoteId r, TokenId t) const;
  void Observe(const Expected& routed, CidValue v);  // issued -> active on a hit
  std::array<uint64_t, kCidStateCount> CidsByState() const;
};

}  // namespace p2pquic::model
