#include "scenarios/runner/frame_expectation_checker.h"

#include <cstdio>

namespace p2pquic::scenarios {
namespace {

FrameFilter FilterFor(const std::string& host, const FrameSelector& selector) {
  FrameFilter filter;
  filter.host = host;
  filter.direction = selector.direction;
  filter.type = selector.frame;
  filter.sequence = selector.seq;
  return filter;
}

std::string WithNote(std::string what, const std::optional<std::string>& note) {
  if (note) what += " [" + *note + "]";
  return what;
}

// "#12 at t=0.020s": where in the run a frame was recorded.
std::string Where(const FrameEntry& entry, Timestamp start) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "#%llu at t=%.3fs",
                static_cast<unsigned long long>(entry.ordinal),
                std::chrono::duration<double>(entry.at - start).count());
  return buffer;
}

}  // namespace

std::string Describe(const FrameSelector& selector) {
  std::string text = std::string(ToString(selector.frame)) + " " + ToString(selector.direction);
  if (selector.seq) text += " seq " + std::to_string(*selector.seq);
  return text;
}

bool FrameExpectationChecker::Scope(const std::string& host, const std::optional<std::string>& name,
                                    const DialedConnection* connection, FrameFilter* filter,
                                    std::string* scope, std::string* problem) const {
  *scope = "on " + host;
  if (!name) return true;
  *scope += " (" + *name + ")";
  if (connection == nullptr) {
    *problem = "connection " + *name + " was never made";
    return false;
  }
  const std::optional<std::string> dcid = log_.OriginalDcid(connection->host, connection->handle);
  if (!dcid) {
    *problem = "no qlog header for connection " + *name + ", so its frames are unknown";
    return false;
  }
  filter->original_dcid = *dcid;
  const size_t sides = log_.MatchingConnections(host, *dcid);
  if (sides > 1) {
    *scope += ", " + std::to_string(sides) + " connections with its original DCID";
  }
  return true;
}

ExpectationResult FrameExpectationChecker::Check(const FramesExpectation& e,
                                                 const DialedConnection* connection) const {
  FrameFilter filter = FilterFor(e.host, e.select);
  std::string scope, problem;
  const bool scoped = Scope(e.host, e.connection, connection, &filter, &scope, &problem);
  ExpectationResult result;
  result.what =
      WithNote("frames " + Describe(e.select) + " " + scope + " in [" + std::to_string(e.min) +
                   ", " + (e.max ? std::to_string(*e.max) : "inf") + "]",
               e.note);
  if (!scoped) {
    result.detail = problem;
    return result;
  }
  const uint64_t seen = log_.Count(filter);
  result.detail = std::to_string(seen);
  result.met = seen >= e.min && (!e.max || seen <= *e.max);
  return result;
}

ExpectationResult FrameExpectationChecker::Check(const FrameOrderExpectation& e,
                                                 const DialedConnection* connection) const {
  FrameFilter before = FilterFor(e.host, e.before);
  std::string scope, problem;
  const bool scoped = Scope(e.host, e.connection, connection, &before, &scope, &problem);
  FrameFilter after = FilterFor(e.host, e.after);
  after.original_dcid = before.original_dcid;
  ExpectationResult result;
  result.what = WithNote(
      "frame order " + scope + ": " + Describe(e.before) + " before " + Describe(e.after), e.note);
  if (!scoped) {
    result.detail = problem;
    return result;
  }
  const FrameEntry* first = log_.First(before);
  const FrameEntry* then = log_.First(after);
  result.detail = "first " + Describe(e.before) + ": " +
                  (first ? Where(*first, start_) : std::string("never")) + "; first " +
                  Describe(e.after) + ": " + (then ? Where(*then, start_) : std::string("never"));
  result.met = first != nullptr && then != nullptr && first->ordinal < then->ordinal;
  return result;
}

}  // namespace p2pquic::scenarios
