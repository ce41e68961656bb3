#include "scenarios/runner/timeline_driver.h"

#include <algorithm>
#include <cstdlib>
#include <type_traits>
#include <variant>

#include "scenarios/runner/run_time.h"
#include "scenarios/runner/sim_link_conditions.h"
#include "transport/multiaddr/multiaddr.h"
#include "transport/protocols/identify_message.h"
#include "transport/protocols/perf_protocol.h"
#include "transport/protocols/ping_payload.h"

namespace p2pquic::scenarios {
namespace {

// Outside ports tried for a migrating NAT host's new mapping.
constexpr uint32_t kMaxNatPortProbes = 256;

// The actions that act on a stream (and so wait for their end's handshake).
template <typename T>
constexpr bool kIsStreamAction =
    std::is_same_v<T, OpenStreamAction> || std::is_same_v<T, SendAction> ||
    std::is_same_v<T, ResetStreamAction> || std::is_same_v<T, PingAction> ||
    std::is_same_v<T, IdentifyAction> || std::is_same_v<T, PerfAction>;

}  // namespace

TimelineDriver::TimelineDriver(const Scenario& scenario, sim::EventQueue& queue,
                               sim::SimNetwork& network, SimulatedHosts& hosts,
                               TimelineRecords& records, TraceWriter& writer,
                               std::vector<std::string>& failed_actions)
    : scenario_(scenario),
      queue_(queue),
      network_(network),
      hosts_(hosts),
      records_(records),
      writer_(writer),
      failed_actions_(failed_actions),
      start_(queue.Now()) {}

void TimelineDriver::Schedule() {
  for (const Event& event : scenario_.timeline) {
    queue_.Schedule(start_ + event.at, [this, &event] { Apply(event); });
  }
}

void TimelineDriver::Fail(const Event& event, const char* what, const std::string& reason) {
  failed_actions_.push_back(At(event.at) + " " + what + ": " + reason);
  writer_.Write("", "action_failed", {{"action", what}, {"reason", reason}});
}

void TimelineDriver::Apply(const Event& event) {
  writer_.Write("", "timeline", {{"action", ToString(event.kind())}});
  std::visit([&](const auto& action) { Apply(event, action); }, event.action);
}

void TimelineDriver::Apply(const Event& event, const OpenStreamAction&) { ApplyStream(event); }
void TimelineDriver::Apply(const Event& event, const SendAction&) { ApplyStream(event); }
void TimelineDriver::Apply(const Event& event, const ResetStreamAction&) { ApplyStream(event); }
void TimelineDriver::Apply(const Event& event, const PingAction&) { ApplyStream(event); }
void TimelineDriver::Apply(const Event& event, const IdentifyAction&) { ApplyStream(event); }
void TimelineDriver::Apply(const Event& event, const PerfAction&) { ApplyStream(event); }

void TimelineDriver::Apply(const Event& event, const RebindAction& action) {
  const sim::NatRebind what = action.mode == RebindMode::kPort      ? sim::NatRebind::kPort
                              : action.mode == RebindMode::kAddress ? sim::NatRebind::kAddress
                                                                    : sim::NatRebind::kBoth;
  // The mapping of where the host is now: a host that migrated took its
  // NAT along (see MigrateAction).
  const sim::NetworkResult result = network_.RebindNat(hosts_.Named(action.host).address, what);
  if (result != sim::NetworkResult::kOk) Fail(event, "rebind", sim::ToString(result));
}

void TimelineDriver::Apply(const Event& event, const MigrateAction& action) {
  HostRuntime& host = hosts_.Named(action.host);
  if (network_.HostOf(action.address) != host.id) {
    const sim::NetworkResult added = network_.AddAddress(host.id, action.address);
    if (added != sim::NetworkResult::kOk) {
      Fail(event, "migrate", sim::ToString(added));
      return;
    }
  }
  // A host behind a NAT stays behind it: its new inside address gets a
  // mapping on the same outside IP, as a NAT gives a new inside port a new
  // mapping.
  if (host.spec->nat && network_.nat().FindByInside(action.address) == nullptr) {
    const sim::NatMapping* current = network_.nat().FindByInside(host.address);
    // The new inside port's number outside too, else the next free one (a
    // rebind may have handed that port to another mapping).
    sim::NetworkResult mapped = sim::NetworkResult::kAddressInUse;
    for (uint32_t probe = 0;
         probe < kMaxNatPortProbes && mapped == sim::NetworkResult::kAddressInUse; ++probe) {
      const uint16_t port = static_cast<uint16_t>((action.address.port() + probe - 1) % 65535 + 1);
      const SocketAddress outside =
          current != nullptr ? current->outside.WithPort(port) : action.address;
      mapped = network_.AddNat(host.id, action.address, outside);
    }
    if (mapped != sim::NetworkResult::kOk) {
      Fail(event, "migrate", std::string("NAT mapping: ") + sim::ToString(mapped));
      return;
    }
  }
  const MigrateResult result = host.host->Migrate(action.address);
  if (result == MigrateResult::kDeferred) {
    host.address = action.address;  // Where it goes once it can.
    writer_.Write(action.host, "migrate_deferred", {{"to", action.address.ToString()}});
  } else if (result != MigrateResult::kOk) {
    Fail(event, "migrate", ToString(result));
  } else {
    host.address = host.host->LocalAddress();
  }
}

void TimelineDriver::Apply(const Event& event, const PartitionAction& action) {
  std::vector<sim::HostId> inside, outside;
  for (const auto& [name, host] : hosts_.all()) {
    const bool listed =
        std::find(action.hosts.begin(), action.hosts.end(), name) != action.hosts.end();
    (listed ? inside : outside).push_back(host->id);
  }
  sim::NetworkResult result;
  if (!network_.Partition(inside, outside, &result).valid()) {
    Fail(event, "partition", sim::ToString(result));
  }
}

void TimelineDriver::Apply(const Event&, const HealAction&) { network_.Heal(); }

void TimelineDriver::Apply(const Event& event, const BlackholeAction& action) {
  const sim::HostId from = hosts_.Named(action.from).id, to = hosts_.Named(action.to).id;
  const sim::NetworkResult result = network_.Blackhole(from, to);
  if (result != sim::NetworkResult::kOk) {
    Fail(event, "blackhole", sim::ToString(result));
    return;
  }
  queue_.Schedule(queue_.Now() + action.duration,
                  [this, from, to] { network_.EndBlackhole(from, to); });
}

void TimelineDriver::Apply(const Event& event, const SetLinkAction& action) {
  const sim::NetworkResult result = network_.SetConditions(
      hosts_.Named(action.from).id, hosts_.Named(action.to).id, ToSim(action.conditions));
  if (result != sim::NetworkResult::kOk) Fail(event, "set_link", sim::ToString(result));
}

void TimelineDriver::Apply(const Event&, const DelayCidRegistrationAction& action) {
  // Every worker's registrar: each worker registers its own CIDs.
  for (HostRuntime* worker : hosts_.Named(action.host).Workers()) {
    worker->registrar->set_delay(action.delay);
  }
}

void TimelineDriver::Apply(const Event&, const RestartAction& action) {
  std::string error;
  if (!hosts_.Restart(hosts_.Named(action.host), &error)) {
    failed_actions_.push_back(At(queue_.Now() - start_) + " restart: " + error);
  }
}

void TimelineDriver::Apply(const Event& event, const FloodAction& action) {
  if (flood_ == nullptr) {
    flood_ = std::make_unique<FloodAttack>(hosts_.seed(), queue_, network_, records_.floods);
  }
  // Where the target is seen from outside: its NAT's address if it has one.
  SocketAddress target = hosts_.Named(action.host).address;
  if (const sim::NatMapping* nat = network_.nat().FindByInside(target)) target = nat->outside;
  const size_t index = static_cast<size_t>(&event - scenario_.timeline.data());
  std::string error;
  if (!flood_->Start(action, index, target, &error)) Fail(event, "flood", error);
}

void TimelineDriver::Apply(const Event& event, const DialAction& action) {
  HostRuntime& from = hosts_.Named(action.from);
  ConnectionRuntime& connection = records_.connections[action.connection];
  connection.dialer = &from;
  connection.app = from.workload.get();
  connection.listener = &hosts_.Named(action.to);
  connection.dialer_seen_at = from.address;
  connection.dialed_at = queue_.Now();
  if (const sim::NatMapping* nat = network_.nat().FindByInside(from.address)) {
    connection.dialer_seen_at = nat->outside;
  }
  // The listener's /p2p/ ID in the address: the dialer authenticates it.
  std::string refused;
  connection.handle = from.host->Connect(
      Multiaddr::QuicV1(connection.listener->address, connection.listener->peer_id),
      [&refused](ConnectionHandle handle, const PeerId*, const std::string& why) {
        if (!handle.valid()) refused = why;
      });
  if (!connection.handle.valid()) {
    Fail(event, "dial", refused);
  } else {
    connection.original_dcid = connection.app->OriginalDcidOf(connection.handle);
  }
}

void TimelineDriver::Apply(const Event& event, const CloseAction& action) {
  ConnectionRuntime& connection = records_.connections.at(action.connection);
  const End end = EndOf(connection, action.side);
  if (end.record == nullptr || end.record->closed) {
    Fail(event, "close", "the connection is already gone");
    return;
  }
  connection.closed_by_timeline = true;
  connection.closed_by = action.side;
  connection.closed_at = queue_.Now();
  end.host->host->Disconnect(end.record->handle, action.error_code);
}

// The dialer's end lives in the workload of the life that dialed (gone if
// the dialer restarted since); the listener's in its current life, found by
// the connection's first DCID and the dialer's address.
TimelineDriver::End TimelineDriver::EndOf(const ConnectionRuntime& connection,
                                          ConnectionSide side) {
  End end;
  switch (side) {
    case ConnectionSide::kDialer:
      end.host = connection.dialer;
      end.workload = connection.dialer->workload.get();
      if (end.workload == connection.app && connection.handle.valid()) {
        end.record = end.workload->Connection(connection.handle);
      }
      break;
    case ConnectionSide::kListener:
      // On a multi-worker listener, the worker that owns it.
      end.host = connection.listener;
      end.workload = connection.listener->workload.get();
      if (connection.original_dcid.empty()) break;
      {
        // After a Retry: the name the server's end knows (ConnectionEnds).
        const ConnectionRecord* dialer =
            connection.app == nullptr ? nullptr : connection.app->Connection(connection.handle);
        std::vector<ConnectionId> names = {connection.original_dcid};
        if (dialer != nullptr && !dialer->retried_dcid.empty()) {
          names.push_back(dialer->retried_dcid);
        }
        for (const ConnectionId& name : names) {
          for (HostRuntime* worker : connection.listener->Workers()) {
            if (worker->workload == nullptr) continue;
            const ConnectionRecord* record =
                worker->workload->FindInbound(name, connection.dialer_seen_at);
            if (record == nullptr) continue;
            end.host = worker;
            end.workload = worker->workload.get();
            end.record = record;
            return end;
          }
        }
      }
      break;
  }
  return end;
}

StreamRuntime& TimelineDriver::StreamOf(const Event& event) {
  const auto open = [&](const std::string& connection, const std::string& name,
                        ConnectionSide side) -> StreamRuntime& {
    auto [it, fresh] = records_.streams.try_emplace(name);
    if (fresh) {
      it->second.kind = event.kind();
      it->second.connection = &records_.connections.at(connection);
      it->second.side = side;
      it->second.tag = ++records_.transfer_streams;
    }
    return it->second;
  };
  return std::visit(
      [&](const auto& action) -> StreamRuntime& {
        using T = std::decay_t<decltype(action)>;
        if constexpr (std::is_same_v<T, SendAction> || std::is_same_v<T, ResetStreamAction>) {
          return records_.streams.at(action.stream);
        } else if constexpr (kIsStreamAction<T>) {
          return open(action.connection, action.stream, action.side);
        } else {
          std::abort();  // Only stream actions come here (their Apply overloads).
        }
      },
      event.action);
}

void TimelineDriver::ApplyStream(const Event& event) {
  StreamRuntime& stream = StreamOf(event);
  ConnectionRuntime& connection = *stream.connection;
  const End end = EndOf(connection, stream.side);
  // The listener's end may not exist yet (its Initial is still on the way):
  // it waits, like an end still handshaking, unless the dialer's is gone.
  const ConnectionRecord* dialer_end = EndOf(connection, ConnectionSide::kDialer).record;
  const bool listener_pending = end.record == nullptr && stream.side == ConnectionSide::kListener &&
                                dialer_end != nullptr && !dialer_end->closed;
  if ((end.record == nullptr && !listener_pending) ||
      (end.record != nullptr && end.record->closed)) {
    Fail(event, ToString(event.kind()), "the connection is gone");
    return;
  }
  auto& waiting = connection.waiting[static_cast<size_t>(stream.side)];
  if (end.record == nullptr || !end.record->established || !waiting.empty()) {
    waiting.push_back(&event);
    return;
  }
  RunStreamAction(event, stream, end);
}

void TimelineDriver::RunStreamAction(const Event& event, StreamRuntime& stream, const End& end) {
  std::visit(
      [&](const auto& action) {
        using T = std::decay_t<decltype(action)>;
        if constexpr (kIsStreamAction<T>) {
          Perform(event, stream, end, action);
        } else {
          std::abort();  // Only stream actions come here (ApplyStream).
        }
      },
      event.action);
}

void TimelineDriver::OpenProtocolStream(const Event& event, StreamRuntime& stream, const End& end,
                                        std::string_view protocol,
                                        std::unique_ptr<StreamHandler> handler,
                                        const std::string& name) {
  const OpenStreamResult result =
      end.host->host->OpenStream(end.record->handle, {std::string(protocol)}, std::move(handler));
  stream.opened = result == OpenStreamResult::kOk;
  stream.opener = end.workload;
  if (!stream.opened) Fail(event, ToString(event.kind()), ToString(result));
  writer_.Write(end.host->spec->name, "stream",
                {{"stream", name}, {"protocol", std::string(protocol)}, {"opened", stream.opened}});
}

void TimelineDriver::Perform(const Event& event, StreamRuntime& stream, const End& end,
                             const OpenStreamAction& action) {
  stream.opener = end.workload;
  const SendStatus status = end.workload->OpenTransfer(end.record->handle, stream.tag);
  stream.opened = status == SendStatus::kQueued;
  if (!stream.opened) Fail(event, "open_stream", ToString(status));
  writer_.Write(end.host->spec->name, "stream",
                {{"stream", action.stream}, {"tag", stream.tag}, {"opened", stream.opened}});
}

void TimelineDriver::Perform(const Event& event, StreamRuntime& stream, const End& end,
                             const SendAction& action) {
  stream.requested += action.bytes;
  const SendStatus status = stream.opened ? end.workload->Send(stream.tag, action.bytes, action.fin)
                                          : SendStatus::kStreamError;
  if (status != SendStatus::kQueued) Fail(event, "send", ToString(status));
  writer_.Write(end.host->spec->name, "stream",
                {{"stream", action.stream}, {"queued", stream.requested}, {"fin", action.fin}});
}

void TimelineDriver::Perform(const Event& event, StreamRuntime& stream, const End& end,
                             const ResetStreamAction& action) {
  const SendStatus status =
      stream.opened ? end.workload->Reset(stream.tag, action.error_code) : SendStatus::kStreamError;
  if (status != SendStatus::kQueued) {
    Fail(event, "reset_stream", "the stream is already gone (it completed or failed)");
  }
  writer_.Write(end.host->spec->name, "stream",
                {{"stream", action.stream}, {"reset", action.error_code}});
}

void TimelineDriver::Perform(const Event& event, StreamRuntime& stream, const End& end,
                             const PingAction& action) {
  Libp2pHost& host = *end.host->host;
  OpenProtocolStream(
      event, stream, end, protocols::kPingProtocolId,
      std::make_unique<PingClient>(host.clock(), host.random(), static_cast<int>(action.count),
                                   action.interval, nullptr,
                                   [&stream](const PingReport& report) { stream.ping = report; }),
      action.stream);
}

void TimelineDriver::Perform(const Event& event, StreamRuntime& stream, const End& end,
                             const IdentifyAction& action) {
  OpenProtocolStream(event, stream, end, protocols::kIdentifyProtocolId,
                     std::make_unique<IdentifyClient>(
                         [&stream](const IdentifyReport& report) { stream.identify = report; }),
                     action.stream);
}

void TimelineDriver::Perform(const Event& event, StreamRuntime& stream, const End& end,
                             const PerfAction& action) {
  Libp2pHost& host = *end.host->host;
  OpenProtocolStream(event, stream, end, protocols::kPerfProtocolId,
                     std::make_unique<PerfClientHandler>(
                         host.clock(), action.upload_bytes, action.download_bytes,
                         [&stream](const PerfReport& report) { stream.perf = report; }),
                     action.stream);
}

void TimelineDriver::OnEstablished(HostRuntime& host, HostWorkload& workload,
                                   ConnectionHandle handle) {
  const ConnectionRecord* record = workload.Connection(handle);
  for (auto& [name, connection] : records_.connections) {
    // Handles start over in each life of a host: the workload tells them
    // apart. The listener's end is this one if it is the end EndOf finds.
    ConnectionSide side;
    if (connection.dialer == &host && connection.app == &workload && connection.handle == handle) {
      side = ConnectionSide::kDialer;
    } else if (connection.listener == &host && record != nullptr && record->inbound &&
               EndOf(connection, ConnectionSide::kListener).record == record) {
      side = ConnectionSide::kListener;
    } else {
      continue;
    }
    std::vector<const Event*> waiting;
    waiting.swap(connection.waiting[static_cast<size_t>(side)]);
    for (const Event* event : waiting) ApplyStream(*event);
  }
}

}  // namespace p2pquic::scenarios
