// TimelineParser: the "timeline" array of a scenario file, checked in order.
// It tracks what earlier events created (connections, streams), closed or
// moved (host addresses, link conditions), so each event can only refer to
// what exists at its time, and partial conditions and default migration
// addresses resolve to complete values.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "scenarios/format/error_sink.h"
#include "scenarios/format/json_field_reader.h"
#include "scenarios/format/scenario.h"

namespace p2pquic::scenarios {

// What a stream speaks, set by the event that opened it. Every stream is
// negotiated with multistream-select; the kind decides which events and
// expectations may name it.
enum class StreamKind : uint8_t {
  kTransfer,  // open_stream: the transfer test protocol; `send` and `reset_stream` act on it.
  kPing,      // ping: /ipfs/ping/1.0.0.
  kIdentify,  // identify: /ipfs/id/1.0.0.
  kPerf,      // perf: /perf/1.0.0.
};

// "transfer", "ping", "identify", "perf": as error messages name a kind.
const char* ToString(StreamKind kind);
// The protocol ID a stream of `kind` negotiates, e.g. "/ipfs/ping/1.0.0".
const char* ProtocolOf(StreamKind kind);
// The action that opens a stream of `kind`.
Action OpenedBy(StreamKind kind);
// "a ping stream (/ipfs/ping/1.0.0)": a stream of `kind` in an error message.
std::string Describe(StreamKind kind);

// What the whole timeline created, for checking expectations.
struct TimelineFacts {
  struct Connection {
    std::string from;     // The dialer.
    std::string to;       // The dialed (listening) host.
    bool closed = false;  // A close event names it.
    // The end whose close event closed it; meaningful only when `closed`.
    ConnectionSide closed_by = ConnectionSide::kDialer;
    bool forgotten = false;  // Its dialer restarted (a restart event) before any close.
  };
  struct Stream {
    StreamKind kind = StreamKind::kTransfer;
    bool finished = false;    // A send with fin: true ended it (transfer streams).
    bool reset = false;       // A reset_stream event names it (transfer streams).
    uint64_t ping_count = 0;  // The pings a ping stream sends; 0 for the other kinds.
  };
  std::map<std::string, Connection> connections;
  std::map<std::string, Stream> streams;
  bool flooded = false;  // A flood event exists.
};

class TimelineParser {
 public:
  // `scenario` (which must outlive the parser) has its duration, hosts and
  // links parsed; errors go to `errors`.
  TimelineParser(const Scenario& scenario, ErrorSink& errors);

  // Parses `timeline`, the array at `path`, into `out`.
  void Parse(const nlohmann::json& timeline, const std::string& path, std::vector<Event>* out);

  const TimelineFacts& facts() const { return facts_; }

 private:
  void ParseEvent(const nlohmann::json& value, const std::string& path, Event* out);
  void ParseTime(JsonFieldReader& reader, Duration* at);

  void ParseAction(JsonFieldReader& reader, DialAction* out);
  void ParseAction(JsonFieldReader& reader, OpenStreamAction* out);
  void ParseAction(JsonFieldReader& reader, SendAction* out);
  void ParseAction(JsonFieldReader& reader, RebindAction* out);
  void ParseAction(JsonFieldReader& reader, MigrateAction* out);
  void ParseAction(JsonFieldReader& reader, PartitionAction* out);
  void ParseAction(JsonFieldReader& reader, HealAction* out);
  void ParseAction(JsonFieldReader& reader, BlackholeAction* out);
  void ParseAction(JsonFieldReader& reader, SetLinkAction* out);
  void ParseAction(JsonFieldReader& reader, DelayCidRegistrationAction* out);
  void ParseAction(JsonFieldReader& reader, CloseAction* out);
  void ParseAction(JsonFieldReader& reader, RestartAction* out);
  void ParseAction(JsonFieldReader& reader, ResetStreamAction* out);
  void ParseAction(JsonFieldReader& reader, PingAction* out);
  void ParseAction(JsonFieldReader& reader, IdentifyAction* out);
  void ParseAction(JsonFieldReader& reader, PerfAction* out);
  void ParseAction(JsonFieldReader& reader, FloodAction* out);

  // Reads the required "connection": dialed earlier, not closed since.
  void ReadOpenConnection(JsonFieldReader& reader, std::string* out);
  // Reads the optional "side" acting on `connection`: the listener only if
  // it has not forgotten the connection in a restart.
  void ReadSide(JsonFieldReader& reader, const std::string& connection, ConnectionSide* out);
  // Reads the required "stream" a stream of `kind` opened on `connection`
  // by `side` will have: a new name among the streams of every kind.
  void ReadNewStream(JsonFieldReader& reader, const std::string& connection, ConnectionSide side,
                     StreamKind kind, std::string* out);
  // Reads the required "stream" of `action` (send, reset_stream): a
  // transfer stream opened earlier and not reset since.
  void ReadTransferStream(JsonFieldReader& reader, Action action, std::string* out);
  // Fails at "stream" unless the end that opened `stream` still holds its
  // connection: not closed, not forgotten in a restart.
  void CheckStreamConnection(JsonFieldReader& reader, const std::string& stream);
  // Reads the migration target of `host` ("address", or the next port).
  void ReadMigrationAddress(JsonFieldReader& reader, const std::string& host, SocketAddress* out);
  void ReadPartitionHost(const nlohmann::json& value, const std::string& path,
                         std::set<std::string>* seen, std::string* out);
  // The host currently bound at `address`, or null.
  const std::string* HostAt(const SocketAddress& address) const;

  const Scenario& scenario_;
  ErrorSink& errors_;
  Duration previous_at_{};
  std::map<std::string, SocketAddress> addresses_;  // Each host's current local address.
  std::set<std::string> dialers_;                   // Hosts that have dialed.
  // Where each stream was opened: its connection and the end that opened it.
  struct OpenedStream {
    std::string connection;
    ConnectionSide side = ConnectionSide::kDialer;
  };
  std::map<std::string, OpenedStream> opened_streams_;
  std::map<std::string, std::string> connection_dialer_;
  // The restart event (index) that made each forgotten connection's dialer forget it.
  std::map<std::string, size_t> forgotten_by_;
  // The restart event (index) that made a connection's listener forget its
  // end of it; the dialer's end lives on.
  std::map<std::string, size_t> listener_forgotten_by_;
  // The reset_stream event (index) that reset each reset stream.
  std::map<std::string, size_t> reset_by_;
  // Conditions of each direction that has an override or a set_link so far.
  std::map<std::pair<std::string, std::string>, LinkConditions> links_;
  TimelineFacts facts_;
  Duration at_{};  // The event being parsed.
  size_t index_ = 0;
  // Each direction's blackhole still in force: until when, which event.
  std::map<std::pair<std::string, std::string>, std::pair<Duration, size_t>> blackholes_;
};

}  // namespace p2pquic::scenarios
