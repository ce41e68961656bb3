// Model-based test: random command sequences run against the registry and
// against a naive reference model; after every step the registry's
// invariants hold, every result and route equals the model's prediction,
// and the gauges equal the model's counts. RC_PARAMS (seed, max_success)
// comes from the environment; the BUILD target runs thousands of cases with
// a fresh random seed each time.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <algorithm>
#include <iterator>

#include "testing/packet_builder.h"
#include "tests/transport/routing/registry_reference_model.h"
#include "transport/routing/connection_id_registry.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::model {
namespace {

using std::chrono::milliseconds;

constexpr CidValue kCidUniverse = 24;  // Small, so collisions and reuse are common.
constexpr uint64_t kSequenceUniverse = 7;
constexpr RemoteId kRemotes = 3;
constexpr TokenId kTokens = 3;

struct Sut {
  Sut(const RegistrySettings& settings, uint64_t seed) : random(seed), registry(settings, random) {}
  SeededRandom random;
  ConnectionIdRegistry registry;
  std::vector<ConnectionHandle> handles;  // Model connection i -> registry handle.
};

ConnectionHandle HandleOf(const Sut& sut, int c) {
  return c >= 0 && c < int(sut.handles.size()) ? sut.handles[c] : ConnectionHandle{};
}

// Routed results must name exactly the connection the model expects.
void AssertRoute(const Sut& sut, const Expected& expected, const RouteResult& got) {
  RC_ASSERT(got.outcome == expected.outcome);
  if (expected.owner >= 0) {
    RC_ASSERT(got.connection == HandleOf(sut, expected.owner));
  }
  if (expected.outcome == RouteOutcome::kRetiredInGrace) {
    RC_ASSERT(got.sequence == expected.sequence);
  }
}

void AssertMatchesModel(const Model& m, const Sut& sut) {
  const InvariantReport report = sut.registry.CheckInvariants();
  if (!report.ok()) RC_FAIL(report.violation);
  const RegistryStats& s = sut.registry.stats();
  RC_ASSERT(s.cids_by_state == m.CidsByState());
  uint64_t live = 0, established = 0;
  for (const Connection& c : m.connections) {
    live += c.live;
    established += c.live && c.established;
  }
  RC_ASSERT(sut.registry.LiveConnectionCount() == live);
  RC_ASSERT(s.connections_established == established);
  RC_ASSERT(s.connections_pending == live - established);
  RC_ASSERT(s.initial_dcids == m.initials.size());
  RC_ASSERT(s.address_bindings == m.tuples.size());
  RC_ASSERT(s.reset_tokens == m.tokens.size());
  for (size_t c = 0; c < m.connections.size(); ++c) {
    RC_ASSERT(sut.registry.CidCount(sut.handles[c]) == m.connections[c].cids.size());
  }
}

using Command = rc::state::Command<Model, Sut>;

// Every command checks the registry against the model's next state.
class RegistryCommand : public Command {
 public:
  void run(const Model& before, Sut& sut) const final {
    Execute(before, sut);
    AssertMatchesModel(nextState(before), sut);
  }

 protected:
  virtual void Execute(const Model& before, Sut& sut) const = 0;
};

// Picks a connection index, stale ones included (they must be refused).
int AnyConnection(const Model& m) {
  return m.connections.empty() ? -1 : *rc::gen::inRange<int>(0, int(m.connections.size()));
}

struct Open : RegistryCommand {
  explicit Open(const Model&) {}
  void apply(Model& m) const override { m.connections.emplace_back(); }
  void Execute(const Model&, Sut& sut) const override {
    sut.handles.push_back(sut.registry.OpenConnection());
  }
  void show(std::ostream& os) const override { os << "Open"; }
};

// IssueCid (or ConfirmFallback, the delayed-registration path).
struct Register : RegistryCommand {
  int c;
  CidValue v = *rc::gen::inRange<CidValue>(1, kCidUniverse + 1);
  uint64_t seq = *rc::gen::inRange<uint64_t>(0, kSequenceUniverse);
  bool via_fallback = *rc::gen::arbitrary<bool>();
  explicit Register(const Model& m) : c(AnyConnection(m)) {}
  void checkPreconditions(const Model& m) const override { RC_PRE(!m.connections.empty()); }
  RegistryResult Predict(const Model& m) const {
    return m.PredictRegister(c, v, seq, m.Settings().max_cids_per_connection);
  }
  void apply(Model& m) const override {
    if (Predict(m) == RegistryResult::kOk) {
      m.Register(c, v, seq, via_fallback ? CidState::kActive : CidState::kIssued);
    }
  }
  void Execute(const Model& m, Sut& sut) const override {
    const ConnectionId cid = testing::MakeCid(v, m.cid_length);
    const RegistryResult got = via_fallback
                                   ? sut.registry.ConfirmFallback(HandleOf(sut, c), cid, seq)
                                   : sut.registry.IssueCid(HandleOf(sut, c), cid, seq);
    RC_ASSERT(got == Predict(m));
  }
  void show(std::ostream& os) const override {
    os << (via_fallback ? "ConfirmFallback(" : "IssueCid(") << c << ", cid " << v << ", seq " << seq
       << ")";
  }
};

struct Promote : RegistryCommand {
  int c;
  explicit Promote(const Model& m) : c(AnyConnection(m)) {}
  void checkPreconditions(const Model& m) const override { RC_PRE(!m.connections.empty()); }
  RegistryResult Predict(const Model& m) const {
    if (!m.Live(c)) return RegistryResult::kUnknownConnection;
    return m.connections[c].established ? RegistryResult::kAlreadyDone : RegistryResult::kOk;
  }
  void apply(Model& m) const override {
    if (Predict(m) == RegistryResult::kOk) m.connections[c].established = true;
  }
  void Execute(const Model& m, Sut& sut) const override {
    RC_ASSERT(sut.registry.Promote(HandleOf(sut, c)) == Predict(m));
  }
  void show(std::ostream& os) const override { os << "Promote(" << c << ")"; }
};

struct Retire : RegistryCommand {
  int c;
  uint64_t seq = *rc::gen::inRange<uint64_t>(0, kSequenceUniverse);
  explicit Retire(const Model& m) : c(AnyConnection(m)) {}
  void checkPreconditions(const Model& m) const override { RC_PRE(!m.connections.empty()); }
  void apply(Model& m) const override {
    if (m.PredictRetire(c, seq) == RegistryResult::kOk) m.Retire(c, seq);
  }
  void Execute(const Model& m, Sut& sut) const override {
    RC_ASSERT(sut.registry.RetireCid(HandleOf(sut, c), seq, m.now) == m.PredictRetire(c, seq));
  }
  void show(std::ostream& os) const override { os << "RetireCid(" << c << ", " << seq << ")"; }
};

struct RetirePriorTo : RegistryCommand {
  int c;
  uint64_t seq = *rc::gen::inRange<uint64_t>(0, kSequenceUniverse + 1);
  explicit RetirePriorTo(const Model& m) : c(AnyConnection(m)) {}
  void checkPreconditions(const Model& m) const override { RC_PRE(!m.connections.empty()); }
  RegistryResult Predict(const Model& m) const {
    if (!m.Live(c)) return RegistryResult::kUnknownConnection;
    return seq <= m.connections[c].floor ? RegistryResult::kAlreadyDone : RegistryResult::kOk;
  }
  void apply(Model& m) const override {
    if (Predict(m) == RegistryResult::kOk) m.RetirePriorTo(c, seq);
  }
  void Execute(const Model& m, Sut& sut) const override {
    size_t retired = 99;
    RC_ASSERT(sut.registry.RetirePriorTo(HandleOf(sut, c), seq, m.now, &retired) == Predict(m));
    Model next = m;
    const size_t expected = Predict(m) == RegistryResult::kOk ? next.RetirePriorTo(c, seq) : 0;
    RC_ASSERT(retired == expected);
  }
  void show(std::ostream& os) const override { os << "RetirePriorTo(" << c << ", " << seq << ")"; }
};

struct AdvanceTimeAndExpire : RegistryCommand {
  // Coarse steps land exactly on grace deadlines often (boundary bugs).
  Duration step = milliseconds(25 * *rc::gen::inRange<int>(0, 7));
  bool sweep = *rc::gen::arbitrary<bool>();
  explicit AdvanceTimeAndExpire(const Model&) {}
  void apply(Model& m) const override {
    m.now += step;
    if (sweep) m.Expire();
  }
  void Execute(const Model& m, Sut& sut) const override {
    if (!sweep) return;
    Model next = m;
    next.now += step;
    RC_ASSERT(sut.registry.ExpireRetired(next.now) == next.Expire());
  }
  void show(std::ostream& os) const override {
    os << "Advance(" << step.count() / 1000000 << " ms" << (sweep ? ", expire)" : ")");
  }
};

// Lands exactly on the earliest pending grace deadline: the boundary where
// off-by-one bugs live.
struct AdvanceToNextDeadline : RegistryCommand {
  explicit AdvanceToNextDeadline(const Model&) {}
  static Timestamp Next(const Model& m) {
    Timestamp next = Timestamp::max();
    for (const auto& [v, cid] : m.cids) {
      if (cid.state == CidState::kRetiring && cid.deadline > m.now) {
        next = std::min(next, cid.deadline);
      }
    }
    return next;
  }
  void checkPreconditions(const Model& m) const override { RC_PRE(Next(m) != Timestamp::max()); }
  void apply(Model& m) const override { m.now = Next(m); }
  void Execute(const Model&, Sut&) const override {}
  void show(std::ostream& os) const override { os << "AdvanceToNextDeadline"; }
};

struct Remove : RegistryCommand {
  int c;
  explicit Remove(const Model& m) : c(AnyConnection(m)) {}
  void checkPreconditions(const Model& m) const override { RC_PRE(!m.connections.empty()); }
  void apply(Model& m) const override {
    if (m.Live(c)) m.Remove(c);
  }
  void Execute(const Model& m, Sut& sut) const override {
    RC_ASSERT(sut.registry.RemoveConnection(HandleOf(sut, c)) ==
              (m.Live(c) ? RegistryResult::kOk : RegistryResult::kUnknownConnection));
  }
  void show(std::ostream& os) const override { os << "RemoveConnection(" << c << ")"; }
};

struct BindOrUnbind : RegistryCommand {
  int c;
  RemoteId r = *rc::gen::inRange<RemoteId>(0, kRemotes);
  bool bind = *rc::gen::arbitrary<bool>();
  explicit BindOrUnbind(const Model& m) : c(AnyConnection(m)) {}
  void checkPreconditions(const Model& m) const override { RC_PRE(!m.connections.empty()); }
  RegistryResult Predict(const Model& m) const {
    if (!m.Live(c)) return RegistryResult::kUnknownConnection;
    const bool has = m.connections[c].addresses.count(r) > 0;
    if (!bind) return has ? RegistryResult::kOk : RegistryResult::kNotFound;
    if (has) return RegistryResult::kAlreadyDone;
    return m.connections[c].addresses.size() >= m.Settings().max_addresses_per_connection
               ? RegistryResult::kLimitExceeded
               : RegistryResult::kOk;
  }
  void apply(Model& m) const override {
    if (Predict(m) != RegistryResult::kOk) return;
    Tuple& t = m.tuples[r];
    if (bind) {
      m.connections[c].addresses.insert(r);
      t.owners.insert(c);
      if (t.owners.size() > 1) t.shared_ever = true;
    } else {
      m.connections[c].addresses.erase(r);
      t.owners.erase(c);
      if (t.owners.empty()) m.tuples.erase(r);
    }
  }
  void Execute(const Model& m, Sut& sut) const override {
    const ConnectionHandle h = HandleOf(sut, c);
    const RegistryResult got = bind ? sut.registry.BindAddress(h, RemoteAddress(r), kModelLocal)
                                    : sut.registry.UnbindAddress(h, RemoteAddress(r), kModelLocal);
    RC_ASSERT(got == Predict(m));
  }
  void show(std::ostream& os) const override {
    os << (bind ? "BindAddress(" : "UnbindAddress(") << c << ", remote " << r << ")";
  }
};

struct AddInitialDcid : RegistryCommand {
  int c;
  CidValue v = *rc::gen::inRange<CidValue>(1, kCidUniverse + 1);
  RemoteId r = *rc::gen::inRange<RemoteId>(0, kRemotes);
  explicit AddInitialDcid(const Model& m) : c(AnyConnection(m)) {}
  void checkPreconditions(const Model& m) const override { RC_PRE(!m.connections.empty()); }
  RegistryResult Predict(const Model& m) const {
    if (!m.Live(c)) return RegistryResult::kUnknownConnection;
    if (auto it = m.initials.find({v, r}); it != m.initials.end()) {
      return it->second == c ? RegistryResult::kAlreadyDone : RegistryResult::kCidCollision;
    }
    return m.connections[c].initials.size() >= m.Settings().max_initial_dcids_per_connection
               ? RegistryResult::kLimitExceeded
               : RegistryResult::kOk;
  }
  void apply(Model& m) const override {
    if (Predict(m) != RegistryResult::kOk) return;
    m.initials[{v, r}] = c;
    m.connections[c].initials.insert({v, r});
  }
  void Execute(const Model& m, Sut& sut) const override {
    RC_ASSERT(sut.registry.AddInitialDcid(HandleOf(sut, c), testing::MakeCid(v, m.cid_length),
                                          RemoteAddress(r)) == Predict(m));
  }
  void show(std::ostream& os) const override {
    os << "AddInitialDcid(" << c << ", cid " << v << ", remote " << r << ")";
  }
};

struct RemoveInitialDcids : RegistryCommand {
  int c;
  explicit RemoveInitialDcids(const Model& m) : c(AnyConnection(m)) {}
  void checkPreconditions(const Model& m) const override { RC_PRE(!m.connections.empty()); }
  RegistryResult Predict(const Model& m) const {
    if (!m.Live(c)) return RegistryResult::kUnknownConnection;
    return m.connections[c].initials.empty() ? RegistryResult::kAlreadyDone : RegistryResult::kOk;
  }
  void apply(Model& m) const override {
    if (Predict(m) != RegistryResult::kOk) return;
    for (const auto& key : m.connections[c].initials) m.initials.erase(key);
    m.connections[c].initials.clear();
  }
  void Execute(const Model& m, Sut& sut) const override {
    RC_ASSERT(sut.registry.RemoveInitialDcids(HandleOf(sut, c)) == Predict(m));
  }
  void show(std::ostream& os) const override { os << "RemoveInitialDcids(" << c << ")"; }
};

struct AddOrRemoveToken : RegistryCommand {
  int c;
  RemoteId r = *rc::gen::inRange<RemoteId>(0, kRemotes);
  TokenId t = *rc::gen::inRange<TokenId>(0, kTokens);
  bool add = *rc::gen::arbitrary<bool>();
  explicit AddOrRemoveToken(const Model& m) : c(AnyConnection(m)) {}
  void checkPreconditions(const Model& m) const override { RC_PRE(!m.connections.empty()); }
  RegistryResult Predict(const Model& m) const {
    if (!m.Live(c)) return RegistryResult::kUnknownConnection;
    const bool has = m.connections[c].tokens.count({r, t}) > 0;
    if (!add) return has ? RegistryResult::kOk : RegistryResult::kNotFound;
    if (auto it = m.tokens.find({r, t}); it != m.tokens.end()) {
      return it->second == c ? RegistryResult::kAlreadyDone : RegistryResult::kTokenCollision;
    }
    return m.connections[c].tokens.size() >= m.Settings().max_reset_tokens_per_connection
               ? RegistryResult::kLimitExceeded
               : RegistryResult::kOk;
  }
  void apply(Model& m) const override {
    if (Predict(m) != RegistryResult::kOk) return;
    if (add) {
      m.tokens[{r, t}] = c;
      m.connections[c].tokens.insert({r, t});
    } else {
      m.tokens.erase({r, t});
      m.connections[c].tokens.erase({r, t});
    }
  }
  void Execute(const Model& m, Sut& sut) const override {
    const ConnectionHandle h = HandleOf(sut, c);
    const RegistryResult got =
        add ? sut.registry.AddResetToken(h, RemoteAddress(r), TokenBytes(t))
            : sut.registry.RemoveResetToken(h, RemoteAddress(r), TokenBytes(t));
    RC_ASSERT(got == Predict(m));
  }
  void show(std::ostream& os) const override {
    os << (add ? "AddResetToken(" : "RemoveResetToken(") << c << ", remote " << r << ", token " << t
       << ")";
  }
};

// Routes a short header (live, retired or unknown CID) or an Initial.
struct RoutePacket : RegistryCommand {
  CidValue v = *rc::gen::inRange<CidValue>(1, kCidUniverse + 3);  // Some never issued.
  RemoteId r = *rc::gen::inRange<RemoteId>(0, kRemotes + 1);      // One never bound.
  bool initial = *rc::gen::arbitrary<bool>();
  explicit RoutePacket(const Model&) {}
  Expected Predict(const Model& m) const {
    return initial ? m.PredictInitial(v, r) : m.PredictShort(v, r);
  }
  void apply(Model& m) const override { m.Observe(Predict(m), v); }
  void Execute(const Model& m, Sut& sut) const override {
    const ConnectionId dcid = testing::MakeCid(v, m.cid_length);
    const auto packet =
        initial ? testing::LongHeaderPacket(testing::LongType::kInitial, dcid, testing::MakeCid(9))
                : testing::ShortHeaderPacket(dcid);
    AssertRoute(sut, Predict(m),
                sut.registry.RouteDatagram(packet, RemoteAddress(r), kModelLocal, m.now));
  }
  void show(std::ostream& os) const override {
    os << "Route(" << (initial ? "initial" : "short") << ", cid " << v << ", remote " << r << ")";
  }
};

// Routes a CID the model holds (any state), so retiring CIDs are hit often.
struct RouteKnownCid : RegistryCommand {
  CidValue v = 0;
  RemoteId r = *rc::gen::inRange<RemoteId>(0, kRemotes + 1);
  explicit RouteKnownCid(const Model& m) {
    if (m.cids.empty()) return;
    auto it = m.cids.begin();
    std::advance(it, *rc::gen::inRange<size_t>(0, m.cids.size()));
    v = it->first;
  }
  void checkPreconditions(const Model& m) const override { RC_PRE(m.cids.count(v) > 0); }
  void apply(Model& m) const override { m.Observe(m.PredictShort(v, r), v); }
  void Execute(const Model& m, Sut& sut) const override {
    const auto packet = testing::ShortHeaderPacket(testing::MakeCid(v, m.cid_length));
    AssertRoute(sut, m.PredictShort(v, r),
                sut.registry.RouteDatagram(packet, RemoteAddress(r), kModelLocal, m.now));
  }
  void show(std::ostream& os) const override {
    os << "RouteKnownCid(cid " << v << ", remote " << r << ")";
  }
};

struct RouteStatelessReset : RegistryCommand {
  RemoteId r = *rc::gen::inRange<RemoteId>(0, kRemotes + 1);
  TokenId t = *rc::gen::inRange<TokenId>(0, kTokens);
  explicit RouteStatelessReset(const Model&) {}
  void Execute(const Model& m, Sut& sut) const override {
    const auto packet = testing::StatelessResetPacket(TokenBytes(t));
    AssertRoute(sut, m.PredictReset(r, t),
                sut.registry.RouteDatagram(packet, RemoteAddress(r), kModelLocal, m.now));
  }
  void show(std::ostream& os) const override {
    os << "RouteStatelessReset(remote " << r << ", token " << t << ")";
  }
};

void CheckAgainstModel(Duration grace, size_t cid_length) {
  Model initial;
  initial.grace = grace;
  initial.cid_length = cid_length;
  Sut sut(initial.Settings(), *rc::gen::arbitrary<uint64_t>());
  rc::state::check(
      initial, sut,
      rc::state::gen::execOneOfWithArgs<
          Open, Open, Register, Register, Register, Promote, Retire, Retire, RetirePriorTo,
          AdvanceTimeAndExpire, AdvanceTimeAndExpire, AdvanceToNextDeadline, Remove, BindOrUnbind,
          BindOrUnbind, AddInitialDcid, RemoveInitialDcids, AddOrRemoveToken, RoutePacket,
          RoutePacket, RouteKnownCid, RouteKnownCid, RouteStatelessReset>());
}

RC_GTEST_PROP(ConnectionIdRegistryModelTest, MatchesTheReferenceModelWithAGraceWindow, ()) {
  CheckAgainstModel(milliseconds(100), 8);
}

RC_GTEST_PROP(ConnectionIdRegistryModelTest, MatchesTheReferenceModelWithLongCids, ()) {
  CheckAgainstModel(milliseconds(100), 16);
}

RC_GTEST_PROP(ConnectionIdRegistryModelTest, MatchesTheReferenceModelWithZeroGrace, ()) {
  CheckAgainstModel(Duration::zero(), 8);
}

}  // namespace
}  // namespace p2pquic::model
