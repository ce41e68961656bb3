// TimelineParser: the "timeline" array of a scenario file, checked in order.
// It tracks what earlier events created (connections, streams), closed or
// moved (host addresses, link conditions), so each event can only refer to
// what exists at its time, and partial conditions and default migration
// addresses resolve to complete values.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "scenarios/error_sink.h"
#include "scenarios/json_field_reader.h"
#include "scenarios/scenario.h"

namespace p2pquic::scenarios {

// What the whole timeline created, for checking expectations.
struct TimelineFacts {
  struct Connection {
    std::string from;        // The dialer.
    std::string to;          // The dialed (listening) host.
    bool closed = false;     // A close event names it.
    bool forgotten = false;  // Its dialer restarted (a restart event) before any close.
  };
  struct Stream {
    bool finished = false;  // A send with fin: true ended it.
  };
  std::map<std::string, Connection> connections;
  std::map<std::string, Stream> streams;
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

  // Reads the required "connection": dialed earlier, not closed since.
  void ReadOpenConnection(JsonFieldReader& reader, std::string* out);
  // Reads the required "stream": opened earlier, not ended, connection open.
  void ReadOpenStream(JsonFieldReader& reader, std::string* out);
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
  std::map<std::string, std::string> stream_connection_;
  std::map<std::string, std::string> connection_dialer_;
  // The restart event (index) that made each forgotten connection's dialer forget it.
  std::map<std::string, size_t> forgotten_by_;
  // Conditions of each direction that has an override or a set_link so far.
  std::map<std::pair<std::string, std::string>, LinkConditions> links_;
  TimelineFacts facts_;
  Duration at_{};  // The event being parsed.
  size_t index_ = 0;
  // Each direction's blackhole still in force: until when, which event.
  std::map<std::pair<std::string, std::string>, std::pair<Duration, size_t>> blackholes_;
};

}  // namespace p2pquic::scenarios
