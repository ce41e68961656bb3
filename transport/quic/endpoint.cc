#include "transport/quic/endpoint.h"

#include <ngtcp2/ngtcp2.h>
#include <ngtcp2/ngtcp2_crypto.h>

#include <algorithm>
#include <utility>

namespace p2pquic {
namespace {

// RFC 9000 §14.1: a client's Initial datagram is at least 1200 bytes; only
// such datagrams earn a Version Negotiation answer (no amplification).
constexpr size_t kMinInitialDatagram = 1200;
// RFC 9000 §10.3: a stateless reset is 21+ bytes and must be smaller than
// the packet it answers, so resets cannot loop between two endpoints.
constexpr size_t kMaxStatelessResetSize = 43;
constexpr size_t kResetTokenBytes = NGTCP2_STATELESS_RESET_TOKENLEN;
constexpr size_t kMinResetRandom = NGTCP2_MIN_STATELESS_RESET_RANDLEN;
constexpr size_t kScratchSize = 1500;
// One GSO send carries at most 64 segments and must stay below the 64 KiB
// IP datagram limit.
constexpr size_t kMaxBatchSegments = 64;
constexpr size_t kMaxBatchBytes = 64000;
constexpr int kMaxCidDraws = 8;
// RFC 9002 §6.1.2's timer granularity. ngtcp2 can report an expiry that is
// already due but that it will not act on yet (a retired CID's removal waits
// for the pacer, which only yields within a millisecond of its slot); a
// timer re-armed at the same instant would spin, so it waits this long.
constexpr Duration kTimerGranularity = std::chrono::milliseconds(1);

}  // namespace

// --- Per-connection glue ------------------------------------------------------------------

class Endpoint::Link final : public CidObserver, public ConnectionObserver {
 public:
  Link(Endpoint& endpoint, ConnectionHandle handle, bool inbound, const NetworkPath& path,
       EndpointDelegate::ConnectionParts parts)
      : endpoint_(endpoint), handle_(handle), inbound_(inbound), bound_(path), parts_(parts) {
    if (endpoint_.tracer_ != nullptr) {
      trace_ = endpoint_.tracer_->OnConnectionCreated(handle, inbound, path);
    }
  }

  CidRegistration OnIssueCid(const ConnectionId& cid, uint64_t sequence,
                             const StatelessResetToken&) override {
    if (sequence > 0 && endpoint_.cid_registration_delay_ > Duration::zero()) {
      sequences_.emplace_back(cid, sequence);
      DelayRegistration(cid, sequence);
      if (endpoint_.tracer_ != nullptr) {
        endpoint_.tracer_->OnCidIssued(handle_, cid, sequence, false);
      }
      return CidRegistration::kRegistered;
    }
    switch (endpoint_.registry_.IssueCid(handle_, cid, sequence)) {
      case RegistryResult::kOk:
      case RegistryResult::kAlreadyDone:
        sequences_.emplace_back(cid, sequence);
        if (endpoint_.tracer_ != nullptr) {
          endpoint_.tracer_->OnCidIssued(handle_, cid, sequence, true);
        }
        return CidRegistration::kRegistered;
      case RegistryResult::kCidCollision:
        return CidRegistration::kCollision;
      default:
        return CidRegistration::kRefused;
    }
  }

  void OnRetireCid(const ConnectionId& cid) override {
    uint64_t sequence;
    if (!SequenceOf(cid, &sequence)) return;
    CancelDelayedRegistration(sequence);
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

  void OnHandshakeCompleted() override {
    endpoint_.registry_.Promote(handle_);
    // The client has our CIDs now; its own choice of DCID is history.
    endpoint_.registry_.RemoveInitialDcids(handle_);
    ++endpoint_.stats_.handshakes_completed;
    if (!completed_) --endpoint_.pending_handshakes_;
    completed_ = true;
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

  bool SequenceOf(const ConnectionId& cid, uint64_t* sequence) const {
    for (const auto& [known, seq] : sequences_) {
      if (known == cid) {
        *sequence = seq;
        return true;
      }
    }
    return false;
  }

  // The delayed registration of (cid, sequence) is due: enter it unless the
  // fallback path already did (kAlreadyDone) or it was retired meanwhile.
  void RegisterDelayed(const ConnectionId& cid, uint64_t sequence) {
    CancelDelayedRegistration(sequence);
    if (endpoint_.registry_.IssueCid(handle_, cid, sequence) == RegistryResult::kOk &&
        endpoint_.tracer_ != nullptr) {
      endpoint_.tracer_->OnCidRegistered(handle_, cid, sequence);
    }
  }

  void CancelAllTimers() {
    endpoint_.clock_.Cancel(timer);
    for (const auto& [sequence, id] : delayed_) endpoint_.clock_.Cancel(id);
    delayed_.clear();
  }

  QuicConnection::Context ContextFor(const Endpoint& endpoint) {
    return {&endpoint.config_.quic, endpoint.tls_.get(),     parts_.verifier, this, this,
            &endpoint.random_,      &endpoint.reset_secret_, trace_};
  }

  ConnectionHandle handle() const { return handle_; }
  bool inbound() const { return inbound_; }
  bool completed() const { return completed_; }
  // The path whose 4-tuple the registry has bound for this connection.
  NetworkPath& bound() { return bound_; }

  std::unique_ptr<QuicConnection> quic;
  TimerId timer;
  Timestamp armed = Timestamp::max();
  Timestamp fired_at = Timestamp::min();  // When the timer last ran.
  bool busy = false;                      // Inside Read/Write/HandleExpiry: Flush waits.
  bool touched = false;                   // Read during this burst; serviced at its end.

 private:
  void DelayRegistration(const ConnectionId& cid, uint64_t sequence) {
    Endpoint& endpoint = endpoint_;
    const ConnectionHandle handle = handle_;
    const TimerId id =
        endpoint.clock_.ScheduleAt(endpoint.clock_.Now() + endpoint.cid_registration_delay_,
                                   [&endpoint, handle, cid, sequence] {
                                     if (Link* link = endpoint.FindLink(handle))
                                       link->RegisterDelayed(cid, sequence);
                                   });
    delayed_.emplace_back(sequence, id);
  }

  void CancelDelayedRegistration(uint64_t sequence) {
    for (auto it = delayed_.begin(); it != delayed_.end(); ++it) {
      if (it->first == sequence) {
        endpoint_.clock_.Cancel(it->second);
        delayed_.erase(it);
        return;
      }
    }
  }

  Endpoint& endpoint_;
  ConnectionHandle handle_;
  bool inbound_;
  bool completed_ = false;
  NetworkPath bound_;
  EndpointDelegate::ConnectionParts parts_;
  ConnectionTrace* trace_ = nullptr;
  std::vector<std::pair<ConnectionId, uint64_t>> sequences_;
  std::vector<std::pair<uint64_t, TimerId>> delayed_;  // Registrations still to come.
};

// Collects one write pass's datagrams and sends runs of equal-size ones to
// the same path as one GSO send (the last of a run may be shorter).
class Endpoint::SocketSink final : public DatagramSink {
 public:
  SocketSink(DatagramSocket& socket, EndpointStats& stats, EndpointTracer* const& tracer)
      : socket_(socket), stats_(stats), tracer_(tracer) {}

  SendResult Send(const NetworkPath& path, std::span<const uint8_t> datagram) override {
    if (tracer_ != nullptr) tracer_->OnDatagramSent(path, datagram);
    if (count_ > 0 &&
        (path != path_ || datagram.size() > segment_ || last_short_ ||
         count_ == kMaxBatchSegments || batch_.size() + datagram.size() > kMaxBatchBytes)) {
      Flush();
    }
    if (count_ == 0) {
      path_ = path;
      segment_ = datagram.size();
    }
    batch_.insert(batch_.end(), datagram.begin(), datagram.end());
    ++count_;
    last_short_ = datagram.size() < segment_;
    return SendResult::kSent;  // Loss recovery covers a failed flush.
  }

  void Flush() {
    if (count_ == 0) return;
    if (socket_.SendSegments(path_.remote, batch_, segment_) == SendResult::kSent) {
      stats_.datagrams_sent += count_;
      stats_.bytes_sent += batch_.size();
    } else {
      stats_.send_failures += count_;  // QUIC recovers: loss detection resends.
    }
    batch_.clear();
    count_ = 0;
  }

 private:
  DatagramSocket& socket_;
  EndpointStats& stats_;
  EndpointTracer* const& tracer_;  // The endpoint's, whenever it is set.
  NetworkPath path_;
  std::vector<uint8_t> batch_;
  size_t segment_ = 0;
  size_t count_ = 0;
  bool last_short_ = false;
};

// --- Endpoint ---------------------------------------------------------------------------------

Endpoint::Endpoint(const EndpointConfig& config, DatagramSocket& socket, Clock& clock,
                   Random& random, const TlsCredentials& credentials, EndpointDelegate& delegate)
    : config_(config),
      socket_(socket),
      clock_(clock),
      random_(random),
      delegate_(delegate),
      registry_(
          [&] {
            RegistrySettings settings = config.registry;
            settings.local_cid_length = config.quic.local_cid_length;
            return settings;
          }(),
          random),
      sink_(std::make_unique<SocketSink>(socket, stats_, tracer_)),
      scratch_(kScratchSize) {
  random_.Fill(reset_secret_);
  GnutlsCredentials::Create(credentials, &tls_);
  reset_tokens_ = config_.stateless_resets_per_second;
}

Endpoint::~Endpoint() {
  socket_.SetReceiveHandler(nullptr);
  socket_.SetBurstEndHandler(nullptr);
  for (auto& [index, link] : connections_) link->CancelAllTimers();
  clock_.Cancel(sweep_timer_);
}

void Endpoint::Start() {
  socket_.SetReceiveHandler([this](const ReceivedDatagram& d) { OnDatagram(d); });
  socket_.SetBurstEndHandler([this] { OnBurstEnd(); });
}

void Endpoint::OnBurstEnd() {
  std::vector<ConnectionHandle> touched;
  touched.swap(touched_);
  for (ConnectionHandle handle : touched) {
    Link* link = FindLink(handle);
    if (link != nullptr && link->touched) {
      link->touched = false;
      Service(*link);
    }
  }
}

Endpoint::Link* Endpoint::FindLink(ConnectionHandle handle) {
  auto it = connections_.find(handle.index);
  return it == connections_.end() || it->second->handle() != handle ? nullptr : it->second.get();
}

QuicConnection* Endpoint::Find(ConnectionHandle handle) {
  Link* link = FindLink(handle);
  return link == nullptr ? nullptr : link->quic.get();
}

void Endpoint::OnDatagram(const ReceivedDatagram& datagram) {
  ++stats_.datagrams_received;
  stats_.bytes_received += datagram.payload.size();
  const RouteResult route =
      registry_.RouteDatagram(datagram.payload, datagram.remote, datagram.local, clock_.Now());
  if (tracer_ != nullptr) tracer_->OnDatagramRouted(datagram, route);
  switch (route.outcome) {
    case RouteOutcome::kCidHit:
    case RouteOutcome::kInitialHit:
    case RouteOutcome::kTupleHit:
    case RouteOutcome::kRetiredInGrace:
    case RouteOutcome::kResetToken:
    case RouteOutcome::kFallback:
      if (Link* link = FindLink(route.connection)) Deliver(*link, datagram, route);
      return;
    case RouteOutcome::kMissInitial:
      Accept(datagram);
      return;
    case RouteOutcome::kUnsupportedVersion:
      SendVersionNegotiation(datagram);
      return;
    case RouteOutcome::kMissShort:
      MaybeSendStatelessReset(datagram);
      return;
    case RouteOutcome::kMissLong:
    case RouteOutcome::kMalformed:
      ++stats_.dropped;
      return;
  }
}

void Endpoint::Deliver(Link& link, const ReceivedDatagram& datagram, const RouteResult& route) {
  link.busy = true;
  const ReadResult result =
      link.quic->Read(datagram.payload, {datagram.local, datagram.remote}, clock_.Now());
  link.busy = false;
  if (result == ReadResult::kDropped) ++stats_.dropped;
  if (result == ReadResult::kClosing) ++stats_.closing_datagrams_received;
  // Only a datagram the connection authenticated (a 1-RTT packet decrypted)
  // proves the peer uses this CID; ngtcp2 takes an undecryptable one without
  // error too, and that must not bind an attacker's guess (DESIGN.md).
  if (route.outcome == RouteOutcome::kFallback && result == ReadResult::kAuthenticated) {
    // The connection decrypted it: only now may the CID route by itself.
    RoutingHeader header;
    uint64_t sequence;
    if (ParseRoutingHeader(datagram.payload, config_.quic.local_cid_length, &header) ==
            HeaderParseStatus::kOk &&
        link.SequenceOf(header.dcid, &sequence) &&
        registry_.ConfirmFallback(link.handle(), header.dcid, sequence) == RegistryResult::kOk &&
        tracer_ != nullptr) {
      tracer_->OnCidRegistered(link.handle(), header.dcid, sequence);
    }
  }
  // Answer the whole burst at once (one ACK for many packets): OnBurstEnd.
  if (!link.touched) {
    link.touched = true;
    touched_.push_back(link.handle());
  }
}

void Endpoint::Accept(const ReceivedDatagram& datagram) {
  ngtcp2_pkt_hd hd;
  if (!config_.accept_inbound || tls_ == nullptr ||
      connections_.size() >= config_.max_connections ||
      pending_handshakes_ >= config_.max_pending_handshakes ||
      ngtcp2_accept(&hd, datagram.payload.data(), datagram.payload.size()) != 0) {
    ++stats_.initials_refused;
    return;
  }
  ServerHandshakeInfo info;
  ConnectionId::FromBytes({hd.dcid.data, hd.dcid.datalen}, &info.client_dcid);
  ConnectionId::FromBytes({hd.scid.data, hd.scid.datalen}, &info.client_scid);
  info.version = hd.version;
  const ConnectionHandle handle = registry_.OpenConnection();
  if (registry_.AddInitialDcid(handle, info.client_dcid, datagram.remote) != RegistryResult::kOk) {
    registry_.RemoveConnection(handle);
    ++stats_.initials_refused;
    return;
  }
  registry_.BindAddress(handle, datagram.remote, datagram.local);
  const NetworkPath path{datagram.local, datagram.remote};
  auto link = std::make_unique<Link>(*this, handle, true, path,
                                     delegate_.OnConnectionCreated(handle, true, path));
  // The sequence-0 CID, registered before the server's first packet exists.
  ConnectionId local;
  uint8_t bytes[kMaxConnectionIdLength];
  for (int draw = 0; draw < kMaxCidDraws; ++draw) {
    random_.Fill({bytes, config_.quic.local_cid_length});
    ConnectionId::FromBytes({bytes, config_.quic.local_cid_length}, &local);
    if (link->OnIssueCid(local, 0, {}) == CidRegistration::kRegistered) break;
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
  ++stats_.handshakes_started;
  ++pending_handshakes_;
  Link& placed = *connections_.emplace(handle.index, std::move(link)).first->second;
  Deliver(placed, datagram, MakeRoute(RouteOutcome::kInitialHit, handle));
}

DialResult Endpoint::Dial(const SocketAddress& remote, ConnectionHandle* handle) {
  if (connections_.size() >= config_.max_connections) return DialResult::kLimitExceeded;
  if (tls_ == nullptr) return DialResult::kSetupFailed;
  *handle = registry_.OpenConnection();
  const NetworkPath path{socket_.LocalAddress(), remote};
  registry_.BindAddress(*handle, remote, path.local);
  auto link = std::make_unique<Link>(*this, *handle, false, path,
                                     delegate_.OnConnectionCreated(*handle, false, path));
  const CreateResult created =
      QuicConnection::CreateClient(link->ContextFor(*this), path, clock_.Now(), &link->quic);
  if (created != CreateResult::kOk) {
    registry_.RemoveConnection(*handle);
    delegate_.OnConnectionClosed(*handle, {CloseCause::kSetupFailed, ToString(created), {}});
    return DialResult::kSetupFailed;
  }
  ++stats_.handshakes_started;
  ++pending_handshakes_;
  Link& placed = *connections_.emplace(handle->index, std::move(link)).first->second;
  Service(placed);
  return DialResult::kOk;
}

void Endpoint::Flush(ConnectionHandle handle) {
  Link* link = FindLink(handle);
  if (link != nullptr && !link->busy) Service(*link);
}

void Endpoint::Close(ConnectionHandle handle, uint64_t app_error_code) {
  Link* link = FindLink(handle);
  if (link == nullptr) return;
  link->quic->Close(app_error_code, clock_.Now());
  if (!link->busy) Service(*link);
}

MigrateResult Endpoint::Migrate(const SocketAddress& new_local) {
  // Refuse while nothing has changed yet: moving the socket first would
  // strand a connection that cannot follow on an address that no longer
  // receives (found by the scenario exploration test).
  for (const auto& [index, link] : connections_) {
    if (link->inbound()) return MigrateResult::kServesInbound;
    const MigrateResult blocker = link->quic->MigrationBlocker();
    if (blocker != MigrateResult::kOk) return blocker;
  }
  const SocketAddress old_local = socket_.LocalAddress();
  if (socket_.Rebind(new_local) != RebindResult::kRebound) return MigrateResult::kRebindFailed;
  const SocketAddress bound = socket_.LocalAddress();  // Port 0 picked one.
  std::vector<ConnectionHandle> handles;
  for (const auto& [index, link] : connections_) handles.push_back(link->handle());
  MigrateResult first_failure = MigrateResult::kOk;
  size_t migrated = 0;
  for (ConnectionHandle handle : handles) {
    Link* link = FindLink(handle);
    if (link == nullptr) continue;
    const MigrateResult result =
        link->quic->Migrate(bound, MigrationMode::kImmediate, clock_.Now());
    if (result == MigrateResult::kOk) {
      ++migrated;
      ++stats_.migrations;
      Rebind(*link, {bound, link->bound().remote});
      if (!link->busy) Service(*link);  // PATH_CHALLENGE and data on the new path.
    } else if (first_failure == MigrateResult::kOk) {
      first_failure = result;
    }
  }
  // Nobody could follow (no spare CID, which only ngtcp2 knows): go back.
  if (migrated == 0 && first_failure != MigrateResult::kOk) socket_.Rebind(old_local);
  return first_failure;
}

void Endpoint::Rebind(Link& link, const NetworkPath& path) {
  if (link.bound() == path) return;
  registry_.UnbindAddress(link.handle(), link.bound().remote, link.bound().local);
  registry_.BindAddress(link.handle(), path.remote, path.local);
  link.bound() = path;
}

void Endpoint::Service(Link& link) {
  link.busy = true;
  const uint64_t resent = link.quic->closing_period().answers_sent();
  link.quic->Write(clock_.Now(), *sink_);
  stats_.connection_closes_resent += link.quic->closing_period().answers_sent() - resent;
  link.busy = false;
  sink_->Flush();
  if (link.quic->state() == ConnectionState::kClosed) {
    Remove(link);
    return;
  }
  ArmTimer(link);
}

void Endpoint::ArmTimer(Link& link) {
  Timestamp deadline = link.quic->Expiry();
  if (deadline <= link.fired_at) deadline = link.fired_at + kTimerGranularity;
  if (deadline == link.armed) return;
  clock_.Cancel(link.timer);
  link.armed = deadline;
  if (deadline == Timestamp::max()) return;
  const ConnectionHandle handle = link.handle();
  link.timer = clock_.ScheduleAt(deadline, [this, handle] {
    Link* due = FindLink(handle);
    if (due == nullptr) return;
    due->armed = Timestamp::max();
    due->fired_at = clock_.Now();
    due->busy = true;
    due->quic->HandleExpiry(clock_.Now());
    due->busy = false;
    Service(*due);
  });
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
  if (!link.completed()) --pending_handshakes_;
  connections_.erase(handle.index);  // Destroys `link`.
  ++stats_.connections_closed;
  if (tracer_ != nullptr) tracer_->OnConnectionRemoved(handle, end);
  delegate_.OnConnectionClosed(handle, end);
}

void Endpoint::SendVersionNegotiation(const ReceivedDatagram& datagram) {
  if (datagram.payload.size() < kMinInitialDatagram) return;
  ngtcp2_version_cid vc;
  if (ngtcp2_pkt_decode_version_cid(&vc, datagram.payload.data(), datagram.payload.size(),
                                    config_.quic.local_cid_length) !=
      NGTCP2_ERR_VERSION_NEGOTIATION) {
    return;
  }
  const uint32_t supported[] = {NGTCP2_PROTO_VER_V1};
  uint8_t unused;
  random_.Fill({&unused, 1});
  const ngtcp2_ssize n = ngtcp2_pkt_write_version_negotiation(
      scratch_.data(), scratch_.size(), unused, vc.scid, vc.scidlen, vc.dcid, vc.dcidlen, supported,
      std::size(supported));
  if (n <= 0) return;
  ++stats_.version_negotiations_sent;
  sink_->Send({datagram.local, datagram.remote}, {scratch_.data(), static_cast<size_t>(n)});
  sink_->Flush();
}

bool Endpoint::TakeResetToken(Timestamp now) {
  const double rate = config_.stateless_resets_per_second;
  const double elapsed = std::chrono::duration<double>(now - reset_refill_).count();
  reset_tokens_ = std::min(rate, reset_tokens_ + std::max(0.0, elapsed) * rate);
  reset_refill_ = now;
  if (reset_tokens_ < 1) return false;
  reset_tokens_ -= 1;
  return true;
}

void Endpoint::MaybeSendStatelessReset(const ReceivedDatagram& datagram) {
  RoutingHeader header;
  // Smaller than what it answers (so resets cannot ping-pong), 21+ bytes.
  if (datagram.payload.size() < 1 + 1 + kMinResetRandom + kResetTokenBytes ||
      ParseRoutingHeader(datagram.payload, config_.quic.local_cid_length, &header) !=
          HeaderParseStatus::kOk ||
      !TakeResetToken(clock_.Now())) {
    ++stats_.stateless_resets_suppressed;
    return;
  }
  // The token for this DCID, as the connection that owned it would have
  // announced it (same secret): a peer that lost us learns it for sure.
  StatelessResetToken token;
  ngtcp2_cid cid;
  ngtcp2_cid_init(&cid, header.dcid.bytes().data(), header.dcid.size());
  ngtcp2_crypto_generate_stateless_reset_token(token.data(), reset_secret_.data(),
                                               reset_secret_.size(), &cid);
  const size_t size = std::min(datagram.payload.size() - 1, kMaxStatelessResetSize);
  uint8_t unpredictable[kMaxStatelessResetSize];
  const size_t random_length = size - 1 - kResetTokenBytes;
  random_.Fill({unpredictable, random_length});
  const ngtcp2_ssize n = ngtcp2_pkt_write_stateless_reset(scratch_.data(), size, token.data(),
                                                          unpredictable, random_length);
  if (n <= 0) return;
  ++stats_.stateless_resets_sent;
  sink_->Send({datagram.local, datagram.remote}, {scratch_.data(), static_cast<size_t>(n)});
  sink_->Flush();
}

}  // namespace p2pquic
