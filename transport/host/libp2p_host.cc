#include "transport/host/libp2p_host.h"

#include <utility>
#include <variant>

#include "transport/protocols/multistream_dialer.h"
#include "transport/protocols/multistream_listener.h"
#include "transport/tls/libp2p_certificate.h"
#include "transport/tls/libp2p_certificate_verifier.h"

namespace p2pquic {
namespace {

// Application error code for streams we abort (negotiation failed).
constexpr uint64_t kStreamProtocolError = 1;

}  // namespace

const char* ToString(OpenStreamResult result) {
  switch (result) {
    case OpenStreamResult::kOk:
      return "ok";
    case OpenStreamResult::kNotConnected:
      return "not connected";
    case OpenStreamResult::kStreamLimit:
      return "the peer's stream limit is reached";
    case OpenStreamResult::kError:
      return "stream error";
  }
  return "unknown";
}

// --- One stream ----------------------------------------------------------------------

class Libp2pHost::Stream final : public Libp2pStream {
 public:
  using Negotiator = std::variant<protocols::MultistreamDialer, protocols::MultistreamListener>;

  Stream(Libp2pHost& host, Connection& connection, int64_t id, Negotiator negotiator,
         std::unique_ptr<StreamHandler> handler)
      : host_(host),
        connection_(connection),
        id_(id),
        negotiator_(std::move(negotiator)),
        handler_(std::move(handler)) {}

  // Libp2pStream.
  size_t Write(std::span<const uint8_t> data) override;
  void CloseWrite() override;
  void Reset(uint64_t app_error_code) override;
  size_t WriteSpace() const override;
  const std::string& protocol() const override { return protocol_; }
  const PeerId& peer() const override;
  ConnectionHandle connection() const override;

  void Begin() {
    protocols::MultistreamStep step = std::visit([](auto& n) { return n.Start(); }, negotiator_);
    WriteRaw(step.output);
  }
  void OnData(std::span<const uint8_t> data, bool fin);
  void OnWritable() {
    if (handler_ != nullptr && selected_) handler_->OnWritable(*this);
  }
  void OnReset(uint64_t code) {
    if (handler_ != nullptr && selected_) handler_->OnReset(*this, code);
  }
  void OnClosed() {
    if (handler_ != nullptr) handler_->OnClosed();
  }

 private:
  void WriteRaw(std::span<const uint8_t> bytes);
  void Negotiate(std::span<const uint8_t> data);

  Libp2pHost& host_;
  Connection& connection_;
  int64_t id_;
  Negotiator negotiator_;
  std::unique_ptr<StreamHandler> handler_;  // Null for inbound until selected.
  std::string protocol_;
  bool selected_ = false;
};

// --- One connection --------------------------------------------------------------------

class Libp2pHost::Connection final : public ConnectionObserver {
 public:
  Connection(Libp2pHost& host, ConnectionHandle handle, bool inbound, const NetworkPath& path,
             std::optional<PeerId> expected, ConnectCallback callback)
      : host_(host),
        handle_(handle),
        inbound_(inbound),
        path_(path),
        verifier_(host.clock_, std::move(expected)),
        callback_(std::move(callback)) {}

  void OnHandshakeCompleted() override {
    ready_ = true;
    if (callback_) std::exchange(callback_, nullptr)(handle_, &verifier_.peer_id(), "");
    if (host_.on_connection_ready)
      host_.on_connection_ready(handle_, verifier_.peer_id().ToString());
  }
  void OnStreamOpened(int64_t id) override {
    auto stream = std::make_unique<Stream>(
        host_, *this, id, protocols::MultistreamListener(host_.Protocols()), nullptr);
    Stream& placed = *streams_.emplace(id, std::move(stream)).first->second;
    placed.Begin();
  }
  void OnStreamData(int64_t id, std::span<const uint8_t> data, bool fin) override {
    quic()->ConsumeStream(id, data.size());
    if (Stream* stream = Find(id)) stream->OnData(data, fin);
  }
  void OnStreamWritable(int64_t id) override {
    if (Stream* stream = Find(id)) stream->OnWritable();
  }
  void OnStreamReset(int64_t id, uint64_t code) override {
    if (Stream* stream = Find(id)) stream->OnReset(code);
  }
  void OnStreamWriteStopped(int64_t id) override {
    if (Stream* stream = Find(id)) stream->OnReset(0);
  }
  void OnStreamClosed(int64_t id, uint64_t) override {
    auto it = streams_.find(id);
    if (it == streams_.end()) return;
    std::unique_ptr<Stream> stream = std::move(it->second);
    streams_.erase(it);
    stream->OnClosed();
  }

  OpenStreamResult Open(std::vector<std::string> protocols,
                        std::unique_ptr<StreamHandler> handler) {
    QuicConnection* connection = quic();
    if (!ready_ || connection == nullptr) return OpenStreamResult::kNotConnected;
    int64_t id;
    switch (connection->OpenStream(&id)) {
      case StreamOpenResult::kOk:
        break;
      case StreamOpenResult::kPeerLimit:
      case StreamOpenResult::kLocalLimit:
        return OpenStreamResult::kStreamLimit;
      case StreamOpenResult::kNotConnected:  // ready_ said otherwise: a QUIC-level error.
      case StreamOpenResult::kError:
        return OpenStreamResult::kError;
    }
    auto stream = std::make_unique<Stream>(
        host_, *this, id, protocols::MultistreamDialer(std::move(protocols)), std::move(handler));
    Stream& placed = *streams_.emplace(id, std::move(stream)).first->second;
    placed.Begin();
    return OpenStreamResult::kOk;
  }

  // The connection is gone: tell whoever waits, close every stream.
  void Closed(const std::string& reason) {
    std::string detail = reason;
    if (verifier_.status() != PeerCertificateStatus::kOk &&
        verifier_.status() != PeerCertificateStatus::kNotVerified) {
      detail = verifier_.Describe();
    }
    if (callback_ && host_.dial_phase_ == Libp2pHost::DialPhase::kDialing &&
        host_.dialing_ == handle_) {
      // Inside Connect's Dial: Connect reports it once Dial returned.
      host_.dial_callback_ = std::exchange(callback_, nullptr);
      host_.dial_closed_reason_ = detail;
    } else if (callback_) {
      std::exchange(callback_, nullptr)(handle_, nullptr, detail);
    }
    for (auto& [id, stream] : streams_) stream->OnClosed();
    streams_.clear();
  }

  QuicConnection* quic() const { return host_.endpoint_->Find(handle_); }
  Stream* Find(int64_t id) {
    auto it = streams_.find(id);
    return it == streams_.end() ? nullptr : it->second.get();
  }
  void Flush() { host_.endpoint_->Flush(handle_); }

  ConnectionHandle handle() const { return handle_; }
  const PeerId& peer() const { return verifier_.peer_id(); }
  bool ready() const { return ready_; }
  const NetworkPath& path() const { return path_; }
  Libp2pCertificateVerifier& verifier() { return verifier_; }

 private:
  Libp2pHost& host_;
  ConnectionHandle handle_;
  bool inbound_;
  NetworkPath path_;
  Libp2pCertificateVerifier verifier_;
  ConnectCallback callback_;
  bool ready_ = false;
  std::map<int64_t, std::unique_ptr<Stream>> streams_;
};

// --- Stream behaviour ------------------------------------------------------------------------

size_t Libp2pHost::Stream::Write(std::span<const uint8_t> data) {
  QuicConnection* quic = connection_.quic();
  size_t accepted = 0;
  if (quic != nullptr) quic->WriteStream(id_, data, false, &accepted);
  connection_.Flush();
  return accepted;
}

void Libp2pHost::Stream::WriteRaw(std::span<const uint8_t> bytes) {
  // Negotiation messages are tiny; the send buffer always has room for them.
  if (!bytes.empty()) Write(bytes);
}

void Libp2pHost::Stream::CloseWrite() {
  if (QuicConnection* quic = connection_.quic()) quic->ShutdownStream(id_);
  connection_.Flush();
}

void Libp2pHost::Stream::Reset(uint64_t app_error_code) {
  if (QuicConnection* quic = connection_.quic()) {
    quic->ResetStream(id_, app_error_code);
    quic->StopSending(id_, app_error_code);
  }
  connection_.Flush();
}

size_t Libp2pHost::Stream::WriteSpace() const {
  QuicConnection* quic = connection_.quic();
  return quic == nullptr ? 0 : quic->StreamSendSpace(id_);
}

const PeerId& Libp2pHost::Stream::peer() const { return connection_.peer(); }
ConnectionHandle Libp2pHost::Stream::connection() const { return connection_.handle(); }

void Libp2pHost::Stream::OnData(std::span<const uint8_t> data, bool fin) {
  if (!selected_) {
    Negotiate(data);
  } else if (!data.empty()) {
    handler_->OnData(*this, data);
  }
  if (fin && selected_ && handler_ != nullptr) handler_->OnRemoteClosed(*this);
}

void Libp2pHost::Stream::Negotiate(std::span<const uint8_t> data) {
  protocols::MultistreamStep step = std::visit([&](auto& n) { return n.Feed(data); }, negotiator_);
  WriteRaw(step.output);
  switch (step.outcome) {
    case protocols::MultistreamOutcome::kPending:
      return;
    case protocols::MultistreamOutcome::kSelected:
      protocol_ = step.protocol;
      if (handler_ == nullptr) handler_ = host_.MakeHandler(protocol_);
      if (handler_ == nullptr) {  // Unregistered since the listener said yes.
        Reset(kStreamProtocolError);
        return;
      }
      selected_ = true;
      handler_->OnOpen(*this);
      if (!step.leftover.empty()) handler_->OnData(*this, step.leftover);
      return;
    case protocols::MultistreamOutcome::kNotSupported:
    case protocols::MultistreamOutcome::kProtocolError:
      if (handler_ != nullptr) {
        handler_->OnNegotiationFailed(step.outcome == protocols::MultistreamOutcome::kNotSupported
                                          ? "the peer supports none of the protocols"
                                          : protocols::ToString(step.error));
      }
      Reset(kStreamProtocolError);
      return;
  }
}

// --- Host ----------------------------------------------------------------------------------------

Libp2pHost::Libp2pHost(const HostOptions& options, PrivateKey identity, Clock& clock,
                       Random& random)
    : options_(options),
      identity_(std::move(identity)),
      peer_id_(PeerId::FromPublicKey(identity_.public_key())),
      clock_(clock),
      random_(random) {}

Libp2pHost::~Libp2pHost() {
  connections_.Clear();
  endpoint_.reset();
}

HostStatus Libp2pHost::Create(const HostOptions& options, PrivateKey identity,
                              DatagramSocket& socket, Clock& clock, Random& random,
                              std::unique_ptr<Libp2pHost>* out) {
  if (CheckEndpointConfig(options.endpoint) != EndpointConfigStatus::kOk) {
    return HostStatus::kBadEndpointConfig;
  }
  std::unique_ptr<Libp2pHost> host(new Libp2pHost(options, std::move(identity), clock, random));
  if (Libp2pCertificate::Create(host->identity_, random, clock.WallNow(), {},
                                &host->credentials_) != CertificateStatus::kOk) {
    return HostStatus::kCertificateFailed;
  }
  host->endpoint_ = std::make_unique<Endpoint>(options.endpoint, socket, clock, random,
                                               host->credentials_, *host);
  *out = std::move(host);
  return HostStatus::kOk;
}

Multiaddr Libp2pHost::ListenAddress() const {
  return Multiaddr::QuicV1(endpoint_->local_address(), peer_id_);
}

void Libp2pHost::Handle(std::string protocol, HandlerFactory factory) {
  handlers_[std::move(protocol)] = std::move(factory);
}

std::vector<std::string> Libp2pHost::Protocols() const {
  std::vector<std::string> names;
  for (const auto& [name, factory] : handlers_) names.push_back(name);
  return names;
}

std::unique_ptr<StreamHandler> Libp2pHost::MakeHandler(const std::string& protocol) const {
  auto it = handlers_.find(protocol);
  return it == handlers_.end() ? nullptr : it->second();
}

ConnectionHandle Libp2pHost::Connect(const Multiaddr& address, ConnectCallback callback,
                                     bool allow_any_peer) {
  if (!address.peer_id().has_value() && !allow_any_peer) {
    callback({}, nullptr, "the address has no /p2p/<peer-id>: the peer cannot be authenticated");
    return {};
  }
  dial_expected_peer_ = address.peer_id();
  dial_callback_ = std::move(callback);
  dial_phase_ = DialPhase::kDialing;
  ConnectionHandle handle;
  const DialResult result = endpoint_->Dial(address.socket_address(), &handle);
  dial_phase_ = DialPhase::kIdle;
  dialing_ = {};
  dial_expected_peer_.reset();
  // Set when no connection took the callback, or the one that did closed
  // inside Dial (Connection::Closed handed it back).
  ConnectCallback unreported = std::exchange(dial_callback_, nullptr);
  const std::string closed_reason = std::exchange(dial_closed_reason_, {});
  if (result != DialResult::kOk) {
    std::string why = ToString(result);
    if (!closed_reason.empty()) why += ": " + closed_reason;
    if (unreported) unreported({}, nullptr, why);
    return {};
  }
  // Dialled, then closed at once: the handle is returned, so it is named.
  if (unreported) unreported(handle, nullptr, closed_reason);
  return handle;
}

EndpointDelegate::ConnectionParts Libp2pHost::OnConnectionCreated(ConnectionHandle handle,
                                                                  bool inbound,
                                                                  const NetworkPath& path) {
  std::optional<PeerId> expected;
  ConnectCallback callback;
  if (!inbound) {
    expected = std::exchange(dial_expected_peer_, std::nullopt);
    callback = std::exchange(dial_callback_, nullptr);
    if (dial_phase_ == DialPhase::kDialing) dialing_ = handle;
  }
  auto connection = std::make_unique<Connection>(*this, handle, inbound, path, std::move(expected),
                                                 std::move(callback));
  Connection& placed = connections_.Insert(handle, std::move(connection));
  if (on_connection_created) on_connection_created(handle, inbound, path);
  return {&placed, &placed.verifier()};
}

void Libp2pHost::OnConnectionClosed(ConnectionHandle handle, const ConnectionEnd& end) {
  const std::string& reason = end.reason;
  std::unique_ptr<Connection> connection = connections_.Take(handle);
  if (connection == nullptr) return;
  connection->Closed(reason);
  if (on_connection_closed) on_connection_closed(handle, end);
}

Libp2pHost::Connection* Libp2pHost::FindConnection(ConnectionHandle handle) const {
  return connections_.Find(handle);
}

OpenStreamResult Libp2pHost::OpenStream(ConnectionHandle handle, std::vector<std::string> protocols,
                                        std::unique_ptr<StreamHandler> handler) {
  Connection* connection = FindConnection(handle);
  if (connection == nullptr) return OpenStreamResult::kNotConnected;
  return connection->Open(std::move(protocols), std::move(handler));
}

void Libp2pHost::Disconnect(ConnectionHandle handle, uint64_t app_error_code) {
  endpoint_->Close(handle, app_error_code);
}

void Libp2pHost::DisconnectAll() {
  for (ConnectionHandle handle : connections_.Handles()) endpoint_->Close(handle, 0);
}

const PeerId* Libp2pHost::PeerOf(ConnectionHandle handle) const {
  Connection* connection = FindConnection(handle);
  return connection == nullptr || !connection->ready() ? nullptr : &connection->peer();
}

std::optional<SocketAddress> Libp2pHost::RemoteAddressOf(ConnectionHandle handle) const {
  Connection* connection = FindConnection(handle);
  if (connection == nullptr) return std::nullopt;
  // The path the connection was created on goes stale when the peer moves.
  if (const QuicConnection* quic = connection->quic()) return quic->path().remote;
  return connection->path().remote;
}

MigrateResult Libp2pHost::Migrate(const SocketAddress& new_local) {
  return endpoint_->Migrate(new_local);
}

}  // namespace p2pquic
