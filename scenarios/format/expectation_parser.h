// ExpectationParser: the "expect" array of a scenario file. Expectations are
// checked after the run, so they may name any connection or stream the
// timeline creates, wherever in the timeline it does.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/format/error_sink.h"
#include "scenarios/format/json_field_reader.h"
#include "scenarios/format/scenario.h"
#include "scenarios/format/timeline_parser.h"

namespace p2pquic::scenarios {

class ExpectationParser {
 public:
  // `scenario` has its hosts parsed; `facts` describe its whole timeline.
  // Both must outlive the parser; errors go to `errors`.
  ExpectationParser(const Scenario& scenario, const TimelineFacts& facts, ErrorSink& errors);

  // Parses `expect`, the array at `path`, into `out`.
  void Parse(const nlohmann::json& expect, const std::string& path, std::vector<Expectation>* out);

 private:
  void ParseExpectation(const nlohmann::json& value, const std::string& path, Expectation* out);

  void ParseCheck(JsonFieldReader& reader, ConnectionExpectation* out);
  void ParseCheck(JsonFieldReader& reader, StreamIntactExpectation* out);
  void ParseCheck(JsonFieldReader& reader, RouteCountExpectation* out);
  void ParseCheck(JsonFieldReader& reader, PathValidatedExpectation* out);
  void ParseCheck(JsonFieldReader& reader, RegistryEmptyExpectation* out);
  void ParseCheck(JsonFieldReader& reader, StatelessResetsExpectation* out);
  void ParseCheck(JsonFieldReader& reader, HandshakesExpectation* out);
  void ParseCheck(JsonFieldReader& reader, FramesExpectation* out);
  void ParseCheck(JsonFieldReader& reader, FrameOrderExpectation* out);

  // The optional "connection" of a frame expectation: dialed in the
  // timeline, with `host` at one of its ends.
  void ReadFrameConnection(JsonFieldReader& reader, const std::string& host,
                           std::optional<std::string>* out);
  // "frame", "direction" and "seq" of `reader`'s object; `field` is where an
  // error about the whole selector is reported. A stateless reset the host
  // sends belongs to no connection, so it cannot be asked for on one.
  void ReadFrameSelector(JsonFieldReader& reader, bool on_connection, FrameSelector* out);
  // The frame_order selector object at `field`.
  void ReadFrameSelectorObject(JsonFieldReader& reader, std::string_view field, bool on_connection,
                               FrameSelector* out);
  void ReadNote(JsonFieldReader& reader, std::optional<std::string>* out);
  void ParseCheck(JsonFieldReader& reader, DeliveredExpectation* out);
  void ParseCheck(JsonFieldReader& reader, StreamExpectation* out);
  void ParseCheck(JsonFieldReader& reader, PingExpectation* out);
  void ParseCheck(JsonFieldReader& reader, IdentifyExpectation* out);
  void ParseCheck(JsonFieldReader& reader, PerfExpectation* out);
  void ParseCheck(JsonFieldReader& reader, FloodAnswersExpectation* out);

  // The required "stream" of an expectation of kind `asking`: one of `kind`
  // the timeline opens.
  void ReadStream(JsonFieldReader& reader, ExpectationKind asking, StreamKind kind,
                  std::string* out);
  // The optional "protocols" of an identify expectation: distinct protocol IDs.
  void ReadProtocols(JsonFieldReader& reader, std::vector<std::string>* out);
  // The optional "max": >= `min`.
  void ReadMax(JsonFieldReader& reader, uint64_t min, std::optional<uint64_t>* out);

  const Scenario& scenario_;
  const TimelineFacts& facts_;
  ErrorSink& errors_;
};

}  // namespace p2pquic::scenarios
