#include "transport/quic/endpoint/endpoint.h"

#include <ngtcp2/ngtcp2.h>

#include <algorithm>
#include <utility>

namespace p2pquic {
namespace {
// The shortest DCID ngtcp2_accept takes in a client Initial (RFC 9000 §7.2).
constexpr size_t kMinRetryScidLength = 8;
}  // namespace
// --- Per-connection glue ------------------------------------------------------------------

class Endpoint::Link final : public ConnectionDriver::Driven,
                             public CidObserver,
                             public ConnectionObserver,
                             public CidRegistrar::Listener {
 public:
  Link(Endpoint& endpoint, ConnectionHandle handle, bool inbound, const NetworkPath& path,
       EndpointDelegate::ConnectionParts parts, bool validated = false)
      : Driven(handle),
        endpoint_(endpoint),
        inbound_(inbound),
        validated_(validated),
        bound_(path),
        source_(path.remote),
        parts_(parts) {
    if (endpoint_.tracer_ != nullptr) {
      trace_ = endpoint_.tracer_->OnConnectionCreated(handle, inbound, path);
    }
  }

  CidRegistration OnIssueCid(const ConnectionId& cid, uint64_t sequence,
                             const StatelessResetToken&) override {
    switch (endpoint_.registrar_.Register(endpoint_.registry_, handle_, cid, sequence, *this)) {
      case CidEntryResult::kDeferred:
        // Announced now, entered later (OnDeferredCidEntered).
        sequences_.emplace_back(cid, sequence);
        if (endpoint_.tracer_ != nullptr) {
          endpoint_.tracer_->OnCidIssued(handle_, cid, sequence, false);
        }
        return CidRegistration::kRegistered;
      case CidEntryResult::kEntered:
        consecutive_collisions_ = 0;
        sequences_.emplace_back(cid, sequence);
        if (endpoint_.tracer_ != nullptr) {
          endpoint_.tracer_->OnCidIssued(handle_, cid, sequence, true);
        }
        return CidRegistration::kRegistered;
      case CidEntryResult::kCollision:
        // Every draw goes through here, so here is where a collision storm
        // (CidGenerator gives up after kMaxDraws) is counted.
        ++endpoint_.stats_.cid_collisions;
        if (++consecutive_collisions_ == CidGenerator::kMaxDraws) {
          ++endpoint_.stats_.cid_draws_exhausted;
          consecutive_collisions_ = 0;
        }
        return CidRegistration::kCollision;
      case CidEntryResult::kRefused:
        return CidRegistration::kRefused;
    }
    return CidRegistration::kRefused;
  }

  // CidRegistrar::Listener: a deferred entry was made.
  void OnDeferredCidEntered(ConnectionHandle, const ConnectionId& cid, uint64_t sequence) override {
    if (endpoint_.tracer_ != nullptr) endpoint_.tracer_->OnCidRegistered(handle_, cid, sequence);
  }

  void OnRetireCid(const ConnectionId& cid) override {
    uint64_t sequence;
    if (!SequenceOf(cid, &sequence)) return;
    endpoint_.registrar_.Withdraw(handle_, sequence);
    endpoint_.registry_.RetireCid(handle_, sequence, endpoint_.clock_.Now());
    if (endpoint_.tracer_ != nullptr) endpoint_.tracer_->OnCidRetired(handle_, cid, sequence);
    endpoint_.ArmSweep();
  }

  void OnPathValidation(const NetworkPath& path, PathValidation result) override {
    if (result == PathValidation::kSucceeded) {
      ++endpoint_.stats_.path_validations_succeeded;
      endpoint_.Rebind(*this, path);
    } else {
      ++endpoint_.stats_.path_validations_failed;
    }
    if (endpoint_.tracer_ != nullptr) endpoint_.tracer_->OnPathValidation(handle_, path, result);
  }

  void OnPeerCid(PeerCidUse use, uint64_t sequence, const ConnectionId&,
                 const std::optional<StatelessResetToken>& token) override {
    if (!token) return;  // A client's first CID carries none.
    auto held = std::find_if(tokens_.begin(), tokens_.end(),
                             [&](const PeerToken& t) { return t.sequence == sequence; });
    if (use == PeerCidUse::kDeactivated) {
      // ngtcp2 may deactivate a CID it never activated (bound to a path the
      // peer only probed): nothing was registered for it then.
      if (held == tokens_.end()) return;
      endpoint_.registry_.RemoveResetToken(handle_, held->remote, held->token);
      tokens_.erase(held);
      return;
    }
    if (held != tokens_.end()) return;  // Activated again (a path change): still held.
    // Refused only for a token another connection holds from the same
    // address (a peer that repeats tokens) or past the per-connection
    // limit: ngtcp2 still recognises such a reset if it reaches us by CID
    // or address, it just cannot route by token.
    const RegistryResult added = endpoint_.registry_.AddResetToken(handle_, bound_.remote, *token);
    if (added == RegistryResult::kOk) tokens_.push_back({sequence, *token, bound_.remote});
  }

  // The peer is at `remote` now: its tokens move there with it (resets
  // come from the peer's address, and the registry keys tokens by it).
  void RekeyResetTokens(const SocketAddress& remote) {
    for (PeerToken& held : tokens_) {
      if (held.remote == remote) continue;
      endpoint_.registry_.RemoveResetToken(handle_, held.remote, held.token);
      held.remote = remote;
      if (endpoint_.registry_.AddResetToken(handle_, remote, held.token) != RegistryResult::kOk) {
        held.remote = SocketAddress();  // Not registered anywhere now.
      }
    }
  }

  void OnPathMtuBlackHole(const NetworkPath& path, size_t probed_size, size_t base_size) override {
    ++endpoint_.stats_.pmtu_black_holes;
    if (endpoint_.tracer_ != nullptr) {
      endpoint_.tracer_->OnPathMtuBlackHole(handle_, path, probed_size, base_size);
    }
  }

  void OnHandshakeCompleted() override {
    endpoint_.registry_.Promote(handle_);
    // The client has our CIDs now, but a late duplicate of its first
    // Initial may still come: keep its DCIDs routable here a while.
    if (inbound_) ForgetInitialDcidsLater();
    ++endpoint_.stats_.handshakes_completed;
    if (!completed_) {
      --endpoint_.pending_handshakes_;
      if (inbound_) endpoint_.admission_.Finished(source_, validated_);
    }
    completed_ = true;
    if (inbound_) SendNewToken();
    if (endpoint_.tracer_ != nullptr) endpoint_.tracer_->OnHandshakeCompleted(handle_);
    parts_.observer->OnHandshakeCompleted();
  }
  void OnStreamOpened(int64_t id) override {
    ++endpoint_.stats_.streams_accepted;
    parts_.observer->OnStreamOpened(id);
  }
  void OnStreamData(int64_t id, std::span<const uint8_t> data, bool fin) override {
    parts_.observer->OnStreamData(id, data, fin);
  }
  void OnStreamWritable(int64_t id) override { parts_.observer->OnStreamWritable(id); }
  void OnStreamReset(int64_t id, uint64_t code) override {
    parts_.observer->OnStreamReset(id, code);
  }
  void OnStreamWriteStopped(int64_t id) override { parts_.observer->OnStreamWriteStopped(id); }
  void OnStreamClosed(int64_t id, uint64_t code) override {
    parts_.observer->OnStreamClosed(id, code);
  }
  // Client: a server's NEW_TOKEN, kept for the next Dial to its address.
  void OnNewToken(std::span<const uint8_t> token) override {
    if (inbound_) return;
    const TokenStoreResult stored = endpoint_.token_cache_.Store(bound_.remote, token);
    if (stored == TokenStoreResult::kStored || stored == TokenStoreResult::kReplaced ||
        stored == TokenStoreResult::kEvicted) {
      ++endpoint_.stats_.new_tokens_received;
    }
  }

  bool SequenceOf(const ConnectionId& cid, uint64_t* sequence) const {
    for (const auto& [known, seq] : sequences_) {
      if (known == cid) {
        *sequence = seq;
        return true;
      }
    }
    return false;
  }

  void CancelAllTimers() {
    endpoint_.driver_.Forget(*this);
    endpoint_.clock_.Cancel(initial_dcids_timer_);
    endpoint_.registrar_.WithdrawAll(handle_);
  }

  QuicConnection::Context ContextFor(const Endpoint& endpoint) {
    return {&endpoint.config_.quic,
            endpoint.tls_.get(),
            parts_.verifier,
            this,
            this,
            &endpoint.random_,
            &endpoint.reset_secret_,
            trace_,
            endpoint.config_.cid_minter};
  }

  bool inbound() const { return inbound_; }
  bool validated() const { return validated_; }
  // The address HandshakeAdmission counted this inbound handshake against.
  const SocketAddress& source() const { return source_; }
  bool completed() const { return completed_; }
  // The path whose 4-tuple the registry has bound for this connection.
  NetworkPath& bound() { return bound_; }

 private:
  // Server: a NEW_TOKEN token for the client's address (RFC 9000 §8.1.3),
  // sent with the handshake's end, so its next connection skips the Retry.
  void SendNewToken() {
    if (endpoint_.config_.new_tokens != NewTokenPolicy::kSend) return;
    std::vector<uint8_t> token;
    if (endpoint_.validator_.MintRegularToken(bound_.remote, endpoint_.clock_.Now(), &token) !=
        TokenMintResult::kOk) {
      return;
    }
    if (quic->SubmitNewToken(token) == NewTokenResult::kOk) ++endpoint_.stats_.new_tokens_sent;
  }

  void ForgetInitialDcidsLater() {
    Endpoint& endpoint = endpoint_;
    const ConnectionHandle handle = handle_;
    initial_dcids_timer_ = endpoint.clock_.ScheduleAt(
        endpoint.clock_.Now() + endpoint.config_.initial_dcid_linger,
        [&endpoint, handle] { endpoint.registry_.RemoveInitialDcids(handle); });
  }

  Endpoint& endpoint_;
  bool inbound_;
  bool validated_;  // Inbound: the client's address was proven by a token.
  bool completed_ = false;
  NetworkPath bound_;
  SocketAddress source_;
  EndpointDelegate::ConnectionParts parts_;
  ConnectionTrace* trace_ = nullptr;
  TimerId initial_dcids_timer_;
  int consecutive_collisions_ = 0;
  std::vector<std::pair<ConnectionId, uint64_t>> sequences_;
  // The peer's reset tokens this connection holds in the registry: one per
  // peer CID in use, by that CID's sequence number.
  struct PeerToken {
    uint64_t sequence;
    StatelessResetToken token;
    SocketAddress remote;  // Its registry key; empty when it could not move (RekeyResetTokens).
  };
  std::vector<PeerToken> tokens_;
};

// --- Endpoint ---------------------------------------------------------------------------------

namespace {
TokenSecret TokenSecretFor(const EndpointConfig& config, Random& random) {
  if (config.token_secret) return *config.token_secret;
  TokenSecret secret;
  random.Fill(secret);
  return secret;
}

HandshakeAdmission::Settings AdmissionSettingsFor(const EndpointConfig& config) {
  HandshakeAdmission::Settings settings;
  settings.policy = config.retry_policy;
  settings.max_connections = config.max_connections;
  settings.max_pending_handshakes = config.max_pending_handshakes;
  settings.retry_threshold = config.retry_threshold;
  settings.max_unvalidated_per_source = config.max_unvalidated_per_source;
  settings.max_pending_memory = config.max_pending_memory;
  return settings;
}
}  // namespace

Endpoint::Endpoint(const EndpointConfig& config, DatagramSocket& socket, Clock& clock,
                   Random& random, const TlsCredentials& credentials, EndpointDelegate& delegate)
    : config_(config),
      config_status_(CheckEndpointConfig(config)),
      socket_(socket),
      clock_(clock),
      random_(random),
      delegate_(delegate),
      validator_(config.tokens, TokenSecretFor(config, random)),
      admission_(AdmissionSettingsFor(config)),
      token_cache_(config.token_cache_capacity),
      registry_(
          [&] {
            RegistrySettings settings = config.registry;
            settings.local_cid_length = config.quic.local_cid_length;
            return settings;
          }(),
          random),
      registrar_(config.cid_registrar != nullptr ? *config.cid_registrar : immediate_registrar_),
      cid_generator_(random, config.cid_minter, config.quic.local_cid_length),
      sink_(std::make_unique<SocketSink>(socket, config.max_held_datagrams, stats_, tracer_)),
      responder_({.local_cid_length = config.quic.local_cid_length,
                  .resets_per_second = config.stateless_resets_per_second,
                  .resets_per_prefix_per_second = config.stateless_resets_per_prefix_per_second,
                  .reset_prefix_burst = config.stateless_reset_prefix_burst,
                  .version_negotiations_per_second = config.version_negotiations_per_second,
                  .version_negotiations_per_prefix_per_second =
                      config.version_negotiations_per_prefix_per_second,
                  .minter = config.cid_minter,
                  .retries_per_second = config.retries_per_second,
                  .retries_per_prefix_per_second = config.retries_per_prefix_per_second,
                  .retry_prefix_burst = config.retry_prefix_burst},
                 random, reset_secret_, *sink_, stats_, tracer_),
      driver_(clock, *sink_, stats_, *this) {
  if (config_.stateless_reset_secret) {
    reset_secret_ = *config_.stateless_reset_secret;
  } else {
    random_.Fill(reset_secret_);
  }
  GnutlsCredentials::Create(credentials, &tls_);
}

Endpoint::~Endpoint() {
  socket_.SetReceiveHandler(nullptr);
  socket_.SetBurstEndHandler(nullptr);
  socket_.SetWritableHandler(nullptr);
  for (auto [handle, link] : connections_) link.CancelAllTimers();
  clock_.Cancel(sweep_timer_);
}

void Endpoint::Start() {
  socket_.SetReceiveHandler([this](const ReceivedDatagram& d) { OnDatagram(d); });
  socket_.SetBurstEndHandler([this] { OnBurstEnd(); });
  socket_.SetWritableHandler([this] { OnWritable(); });
}

void Endpoint::OnWritable() { driver_.OnWritable(); }

void Endpoint::OnBurstEnd() {
  driver_.OnBurstEnd();
  // A NEW_CONNECTION_ID this burst brought may be what a deferred move
  // waits for; the burst is done, so no connection is inside a read.
  if (pending_migration_) RetryPendingMigration();
}

Endpoint::Link* Endpoint::FindLink(ConnectionHandle handle) { return connections_.Find(handle); }

ConnectionDriver::Driven* Endpoint::FindDriven(ConnectionHandle handle) { return FindLink(handle); }

void Endpoint::RemoveClosed(ConnectionHandle handle) {
  if (Link* link = FindLink(handle)) Remove(*link);
}

QuicConnection* Endpoint::Find(ConnectionHandle handle) {
  Link* link = FindLink(handle);
  return link == nullptr ? nullptr : link->quic.get();
}

void Endpoint::OnDatagram(const ReceivedDatagram& datagram) {
  ++stats_.datagrams_received;
  stats_.bytes_received += datagram.payload.size();
  // The one parse of this datagram's header: every branch below that needs
  // a header field takes it from here.
  RoutingHeader header;
  const RouteResult route = registry_.RouteDatagram(datagram.payload, datagram.remote,
                                                    datagram.local, clock_.Now(), &header);
  if (tracer_ != nullptr) tracer_->OnDatagramRouted(datagram, header, route);
  switch (route.outcome) {
    case RouteOutcome::kCidHit:
    case RouteOutcome::kInitialHit:
    case RouteOutcome::kTupleHit:
    case RouteOutcome::kRetiredInGrace:
    case RouteOutcome::kResetToken:
    case RouteOutcome::kFallback:
      if (Link* link = FindLink(route.connection)) Deliver(*link, datagram, route, &header);
      return;
    case RouteOutcome::kMissInitial:
      Accept(datagram);
      return;
    case RouteOutcome::kUnsupportedVersion:
      responder_.AnswerUnsupportedVersion(datagram, clock_.Now());
      return;
    case RouteOutcome::kMissShort:
      // An empty DCID (zero-length CIDs) names no CID, so no reset token
      // exists that the peer could recognise: nothing to answer with.
      if (header.dcid.empty()) {
        ++stats_.dropped;
        return;
      }
      responder_.AnswerUnknownShortHeader(datagram, header, clock_.Now());
      return;
    case RouteOutcome::kMissLong:
    case RouteOutcome::kMalformed:
      ++stats_.dropped;
      return;
  }
}

void Endpoint::Deliver(Link& link, const ReceivedDatagram& datagram, const RouteResult& route,
                       const RoutingHeader* header) {
  // The driver services the connection at the burst end (one ACK for many
  // packets).
  const ReadResult result = driver_.Read(link, datagram.payload, {datagram.local, datagram.remote});
  if (result == ReadResult::kDropped) ++stats_.dropped;
  if (route.outcome == RouteOutcome::kInitialHit && link.completed()) ++stats_.late_initials;
  if (result == ReadResult::kReset) ++stats_.stateless_resets_received;
  if (result == ReadResult::kClosing) ++stats_.closing_datagrams_received;
  // Only a datagram the connection authenticated (a 1-RTT packet decrypted)
  // proves the peer uses this CID; ngtcp2 takes an undecryptable one without
  // error too, and that must not bind an attacker's guess (the registry's
  // contract).
  if (route.outcome == RouteOutcome::kFallback && result == ReadResult::kAuthenticated) {
    // The connection decrypted it: only now may the CID route by itself.
    // A kFallback route comes from a parsed short header (OnDatagram).
    uint64_t sequence;
    if (header != nullptr && link.SequenceOf(header->dcid, &sequence) &&
        registry_.ConfirmFallback(link.handle(), header->dcid, sequence) == RegistryResult::kOk &&
        tracer_ != nullptr) {
      tracer_->OnCidRegistered(link.handle(), header->dcid, sequence);
    }
  }
}

void Endpoint::Refuse(AdmissionReason reason) {
  ++stats_.initials_refused;
  switch (reason) {
    case AdmissionReason::kConnectionsFull:
      ++stats_.initials_refused_connections_full;
      return;
    case AdmissionReason::kPendingFull:
      ++stats_.initials_refused_pending_full;
      return;
    case AdmissionReason::kPerSourceLimit:
      ++stats_.initials_refused_per_source;
      return;
    case AdmissionReason::kMemoryCap:
      ++stats_.initials_refused_memory_cap;
      return;
    case AdmissionReason::kInvalidRetryToken:
    case AdmissionReason::kExpiredRetryToken:
      ++stats_.initials_refused_invalid_token;
      return;
    case AdmissionReason::kNone:
    case AdmissionReason::kPolicy:
    case AdmissionReason::kLoad:
      return;
  }
}

AddressProof Endpoint::CheckToken(const ReceivedDatagram& datagram, std::span<const uint8_t> token,
                                  ServerHandshakeInfo* info) {
  const Timestamp now = clock_.Now();
  switch (AddressValidator::KindOf(token)) {
    case TokenKind::kNone:
    case TokenKind::kUnknown:
      return AddressProof::kNone;
    case TokenKind::kRetry: {
      ConnectionId original;
      switch (validator_.CheckRetryToken(token, datagram.remote, info->client_dcid, info->version,
                                         now, &original)) {
        case TokenCheck::kValid:
          ++stats_.retry_tokens_accepted;
          info->retried_dcid = original;
          info->validated_token.assign(token.begin(), token.end());
          return AddressProof::kValidated;
        case TokenCheck::kExpired:
          ++stats_.retry_tokens_expired;
          return AddressProof::kExpiredRetryToken;
        case TokenCheck::kInvalid:
          ++stats_.retry_tokens_invalid;
          return AddressProof::kInvalidRetryToken;
      }
      return AddressProof::kInvalidRetryToken;
    }
    case TokenKind::kRegular:
      // RFC 9000 §8.1.3: a NEW_TOKEN token that fails is as good as none
      // (the client cannot tell it was refused; a Retry may follow).
      if (validator_.CheckRegularToken(token, datagram.remote, now) != TokenCheck::kValid) {
        ++stats_.regular_tokens_invalid;
        return AddressProof::kNone;
      }
      ++stats_.regular_tokens_accepted;
      info->validated_token.assign(token.begin(), token.end());
      return AddressProof::kValidated;
  }
  return AddressProof::kNone;
}

void Endpoint::SendRetry(const ReceivedDatagram& datagram,
                         const StatelessResponder::InitialIds& ids) {
  if (responder_.TakeRetry(datagram.remote, clock_.Now()) !=
      StatelessResponder::RetryBudget::kGranted) {
    return;  // Counted; the client's Initial retransmission may find budget.
  }
  // The client's next Initial carries this SCID as its DCID. Random, not
  // minted for a worker: any worker sharing the token secret can check the
  // token, wherever steering sends that Initial. At least 8 bytes whatever
  // our CID length: ngtcp2_accept refuses an Initial whose DCID is shorter
  // (RFC 9000 §7.2), so a shorter one failed every retried client (found by
  // the simulator's flood campaign: tests/scenarios/found/
  // retry-with-short-server-cids.json).
  const ConnectionId retry_scid =
      cid_generator_.DrawUnregistered(std::max(config_.quic.local_cid_length, kMinRetryScidLength));
  std::vector<uint8_t> token;
  if (validator_.MintRetryToken(datagram.remote, retry_scid, ids.dcid, ids.version, clock_.Now(),
                                &token) != TokenMintResult::kOk ||
      !responder_.AnswerWithRetry(datagram, ids, retry_scid, token)) {
    ++stats_.initials_refused;
  }
}

void Endpoint::Accept(const ReceivedDatagram& datagram) {
  ngtcp2_pkt_hd hd;
  if (!config_.accept_inbound || config_status_ != EndpointConfigStatus::kOk || tls_ == nullptr ||
      ngtcp2_accept(&hd, datagram.payload.data(), datagram.payload.size()) != 0) {
    ++stats_.initials_refused;
    return;
  }
  ServerHandshakeInfo info;
  ConnectionId::FromBytes({hd.dcid.data, hd.dcid.datalen}, &info.client_dcid);
  ConnectionId::FromBytes({hd.scid.data, hd.scid.datalen}, &info.client_scid);
  info.version = hd.version;
  const StatelessResponder::InitialIds ids{info.client_dcid, info.client_scid, info.version};
  const AddressProof proof = CheckToken(datagram, {hd.token.base, hd.token.len}, &info);
  const AdmissionDecision decision = admission_.Decide(datagram.remote, proof, connections_.size());
  switch (decision.verdict) {
    case AdmissionVerdict::kAccept:
      break;
    case AdmissionVerdict::kRetry:
      SendRetry(datagram, ids);
      return;
    case AdmissionVerdict::kRefuse:
      Refuse(decision.reason);
      if ((proof == AddressProof::kInvalidRetryToken ||
           proof == AddressProof::kExpiredRetryToken) &&
          responder_.TakeRetry(datagram.remote, clock_.Now()) ==
              StatelessResponder::RetryBudget::kGranted) {
        responder_.AnswerInvalidToken(datagram, ids);
      }
      return;
  }
  const bool validated = proof == AddressProof::kValidated;
  const ConnectionHandle handle = registry_.OpenConnection();
  if (registry_.AddInitialDcid(handle, info.client_dcid, datagram.remote) != RegistryResult::kOk) {
    registry_.RemoveConnection(handle);
    ++stats_.initials_refused;
    return;
  }
  registry_.BindAddress(handle, datagram.remote, datagram.local);
  const NetworkPath path{datagram.local, datagram.remote};
  auto link = std::make_unique<Link>(*this, handle, true, path,
                                     delegate_.OnConnectionCreated(handle, true, path), validated);
  // The sequence-0 CID, registered before the server's first packet exists.
  ConnectionId local;
  const CidDrawResult drawn = cid_generator_.Draw(
      [&](const ConnectionId& cid) { return link->OnIssueCid(cid, 0, {}); }, &local);
  if (drawn != CidDrawResult::kRegistered) {
    registry_.RemoveConnection(handle);
    ++stats_.initials_refused;
    delegate_.OnConnectionClosed(handle, {CloseCause::kSetupFailed, ToString(drawn), {}});
    return;
  }
  const CreateResult created = QuicConnection::CreateServer(link->ContextFor(*this), path, info,
                                                            local, clock_.Now(), &link->quic);
  if (created != CreateResult::kOk) {
    registry_.RemoveConnection(handle);
    ++stats_.initials_refused;
    delegate_.OnConnectionClosed(handle,
                                 {CloseCause::kSetupFailed, ToString(created), info.client_dcid});
    return;
  }
  ++stats_.connections_accepted;
  ++stats_.handshakes_started;
  ++pending_handshakes_;
  admission_.Started(datagram.remote, validated);
  Link& placed = connections_.Insert(handle, std::move(link));
  Deliver(placed, datagram, MakeRoute(RouteOutcome::kInitialHit, handle), nullptr);
}

DialResult Endpoint::Dial(const SocketAddress& remote, ConnectionHandle* handle) {
  if (config_status_ != EndpointConfigStatus::kOk) return DialResult::kBadConfig;
  if (connections_.size() >= config_.max_connections) return DialResult::kLimitExceeded;
  if (tls_ == nullptr) return DialResult::kSetupFailed;
  const NetworkPath path{socket_.LocalAddress(), remote};
  if (config_.quic.local_cid_length == 0 && HoldsTuple(path)) return DialResult::kTupleInUse;
  *handle = registry_.OpenConnection();
  registry_.BindAddress(*handle, remote, path.local);
  auto link = std::make_unique<Link>(*this, *handle, false, path,
                                     delegate_.OnConnectionCreated(*handle, false, path));
  // A NEW_TOKEN token this server gave us: our address counts as validated.
  const std::vector<uint8_t> token = token_cache_.Take(remote);
  const CreateResult created =
      QuicConnection::CreateClient(link->ContextFor(*this), path, clock_.Now(), &link->quic, token);
  if (created != CreateResult::kOk) {
    registry_.RemoveConnection(*handle);
    delegate_.OnConnectionClosed(*handle, {CloseCause::kSetupFailed, ToString(created), {}});
    return DialResult::kSetupFailed;
  }
  ++stats_.handshakes_started;
  ++pending_handshakes_;
  Link& placed = connections_.Insert(*handle, std::move(link));
  driver_.Service(placed);
  return DialResult::kOk;
}

bool Endpoint::HoldsTuple(const NetworkPath& path) {
  for (auto [handle, link] : connections_) {
    if (link.bound() == path) return true;
  }
  return false;
}

void Endpoint::Flush(ConnectionHandle handle) {
  Link* link = FindLink(handle);
  if (link != nullptr) driver_.ServiceNow(*link);
}

void Endpoint::Close(ConnectionHandle handle, uint64_t app_error_code) {
  Link* link = FindLink(handle);
  if (link == nullptr) return;
  link->quic->Close(app_error_code, clock_.Now());
  driver_.ServiceNow(*link);
}

namespace {
// Blockers the peer's next packets remove on their own (HANDSHAKE_DONE, a
// NEW_CONNECTION_ID): a move waits for them instead of failing.
bool Transient(MigrateResult blocker) {
  return blocker == MigrateResult::kNotConfirmed || blocker == MigrateResult::kNoSpareCid;
}
}  // namespace

MigrateResult Endpoint::MigrationBlocker() const {
  MigrateResult waiting = MigrateResult::kOk;
  for (const auto [handle, link] : connections_) {
    if (link.inbound()) return MigrateResult::kServesInbound;
    const MigrateResult blocker = link.quic->MigrationBlocker(clock_.Now());
    if (Transient(blocker)) {
      waiting = blocker;
    } else if (blocker != MigrateResult::kOk) {
      return blocker;
    }
  }
  return waiting;
}

MigrateResult Endpoint::Migrate(const SocketAddress& new_local) {
  pending_migration_.reset();
  // Refuse while nothing has changed yet: moving the socket first would
  // strand a connection that cannot follow on an address that no longer
  // receives (found by the scenario exploration test).
  const MigrateResult blocker = MigrationBlocker();
  if (Transient(blocker)) {
    pending_migration_ = new_local;
    ++stats_.migrations_deferred;
    return MigrateResult::kDeferred;
  }
  if (blocker != MigrateResult::kOk) return blocker;
  return MoveTo(new_local);
}

void Endpoint::RetryPendingMigration() {
  const MigrateResult blocker = MigrationBlocker();
  if (Transient(blocker)) return;  // Still waiting.
  const SocketAddress target = *pending_migration_;
  pending_migration_.reset();
  if (blocker != MigrateResult::kOk || MoveTo(target) != MigrateResult::kOk) {
    ++stats_.migrations_abandoned;
  }
}

MigrateResult Endpoint::MoveTo(const SocketAddress& new_local) {
  const SocketAddress old_local = socket_.LocalAddress();
  if (socket_.Rebind(new_local) != RebindResult::kRebound) return MigrateResult::kRebindFailed;
  const SocketAddress bound = socket_.LocalAddress();  // Port 0 picked one.
  MigrateResult first_failure = MigrateResult::kOk;
  size_t migrated = 0;
  for (ConnectionHandle handle : connections_.Handles()) {
    Link* link = FindLink(handle);
    if (link == nullptr) continue;
    const MigrateResult result =
        link->quic->Migrate(bound, MigrationMode::kImmediate, clock_.Now());
    if (result == MigrateResult::kOk) {
      ++migrated;
      ++stats_.migrations;
      Rebind(*link, {bound, link->bound().remote});
      driver_.ServiceNow(*link);  // PATH_CHALLENGE and data on the new path.
    } else if (first_failure == MigrateResult::kOk) {
      first_failure = result;
    }
  }
  // Nobody could follow (ngtcp2 refused after all): go back.
  if (migrated == 0 && first_failure != MigrateResult::kOk) socket_.Rebind(old_local);
  return first_failure;
}

void Endpoint::Rebind(Link& link, const NetworkPath& path) {
  if (link.bound() == path) return;
  registry_.UnbindAddress(link.handle(), link.bound().remote, link.bound().local);
  registry_.BindAddress(link.handle(), path.remote, path.local);
  link.bound() = path;
  link.RekeyResetTokens(path.remote);
}

void Endpoint::ArmSweep() {
  Timestamp next;
  if (!registry_.NextExpiry(&next) || next >= sweep_deadline_) return;
  clock_.Cancel(sweep_timer_);
  sweep_deadline_ = next;
  sweep_timer_ = clock_.ScheduleAt(next, [this] {
    sweep_deadline_ = Timestamp::max();
    registry_.ExpireRetired(clock_.Now());
    ArmSweep();
  });
}

void Endpoint::Remove(Link& link) {
  const ConnectionHandle handle = link.handle();
  // Every way to kClosed sets a cause; kLocalError is only a safe default.
  const ConnectionEnd end{link.quic->close_cause().value_or(CloseCause::kLocalError),
                          link.quic->close_reason(), link.quic->original_dcid()};
  link.CancelAllTimers();
  registry_.RemoveConnection(handle);
  if (!link.completed()) {
    --pending_handshakes_;
    if (link.inbound()) admission_.Finished(link.source(), link.validated());
  }
  connections_.Erase(handle);  // Destroys `link`.
  ++stats_.connections_closed;
  if (tracer_ != nullptr) tracer_->OnConnectionRemoved(handle, end);
  delegate_.OnConnectionClosed(handle, end);
}

}  // namespace p2pquic
