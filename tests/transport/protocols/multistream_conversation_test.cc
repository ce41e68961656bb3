// A dialer and a listener talking through an in-memory pipe that cuts the
// byte stream at random points: the outcome must not depend on the cuts.
// Then both sides are fed garbage and mutated transcripts: they must fail
// cleanly, never crash (run under ASan/UBSan in CI).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/transport/protocols/test_bytes.h"
#include "transport/protocols/multistream_dialer.h"
#include "transport/protocols/multistream_listener.h"
#include "transport/protocols/multistream_message.h"
#include "transport/runtime/seeded_random.h"

namespace p2pquic::protocols {
namespace {

using testing::Below;
using testing::Bytes;

constexpr int kSeeds = 300;
constexpr int kGarbageInputs = 3000;
constexpr size_t kMaxGarbageBytes = 300;
constexpr int kMaxSteps = 100000;

// One direction of the stream: bytes written, read back in random pieces.
struct Pipe {
  std::vector<uint8_t> bytes;
  size_t read = 0;

  bool Empty() const { return read == bytes.size(); }
  void Write(const std::vector<uint8_t>& data) {
    bytes.insert(bytes.end(), data.begin(), data.end());
  }
  std::span<const uint8_t> ReadSome(SeededRandom& random, size_t max_piece) {
    const size_t size = std::min(bytes.size() - read, Below(random, max_piece + 1));
    std::span<const uint8_t> piece(bytes.data() + read, size);
    read += size;
    return piece;
  }
};

struct Conversation {
  std::vector<std::string> proposals;
  std::vector<std::string> supported;
  std::vector<uint8_t> dialer_data;    // Written by the dialer once selected.
  std::vector<uint8_t> listener_data;  // Written by the listener once selected.
  bool optimistic = false;             // Dialer writes its data with Start's bytes.
};

struct Side {
  MultistreamOutcome outcome = MultistreamOutcome::kPending;
  MultistreamError error = MultistreamError::kNone;
  std::string protocol;
  std::vector<uint8_t> received;  // Application data after negotiation.
};

// Applies one step's results to a side; returns true when it just selected.
bool Apply(const MultistreamStep& step, Side& side, Pipe& out) {
  const bool newly_selected = side.outcome != MultistreamOutcome::kSelected &&
                              step.outcome == MultistreamOutcome::kSelected;
  out.Write(step.output);
  side.outcome = step.outcome;
  side.error = step.error;
  side.protocol = step.protocol;
  side.received.insert(side.received.end(), step.leftover.begin(), step.leftover.end());
  return newly_selected;
}

struct Ends {
  Side dialer;
  Side listener;
};

Ends Converse(const Conversation& conversation, uint64_t seed) {
  SeededRandom random(seed);
  const size_t max_piece = 1 + Below(random, 40);
  MultistreamDialer dialer(conversation.proposals);
  MultistreamListener listener(conversation.supported);
  Pipe to_listener, to_dialer;
  Ends ends;
  Apply(dialer.Start(), ends.dialer, to_listener);
  if (conversation.optimistic) to_listener.Write(conversation.dialer_data);
  Apply(listener.Start(), ends.listener, to_dialer);
  for (int step = 0; step < kMaxSteps && !(to_listener.Empty() && to_dialer.Empty()); ++step) {
    const bool toward_listener =
        to_dialer.Empty() || (!to_listener.Empty() && random.NextU64() % 2);
    if (toward_listener) {
      if (Apply(listener.Feed(to_listener.ReadSome(random, max_piece)), ends.listener, to_dialer)) {
        to_dialer.Write(conversation.listener_data);
      }
    } else if (Apply(dialer.Feed(to_dialer.ReadSome(random, max_piece)), ends.dialer,
                     to_listener) &&
               !conversation.optimistic) {
      to_listener.Write(conversation.dialer_data);
    }
  }
  return ends;
}

TEST(MultistreamConversationTest, SelectsTheSameProtocolHoweverTheStreamIsCut) {
  Conversation conversation;
  conversation.proposals = {"/yamux/1.0.0", "/ipfs/ping/1.0.0", "/perf/1.0.0"};
  conversation.supported = {"/perf/1.0.0", "/ipfs/ping/1.0.0"};
  conversation.dialer_data = Bytes("ping payload from the dialer");
  conversation.listener_data = Bytes("echo from the listener");
  for (int seed = 0; seed < kSeeds; ++seed) {
    const Ends ends = Converse(conversation, seed);
    ASSERT_EQ(ends.dialer.outcome, MultistreamOutcome::kSelected) << "seed " << seed;
    ASSERT_EQ(ends.listener.outcome, MultistreamOutcome::kSelected) << "seed " << seed;
    EXPECT_EQ(ends.dialer.protocol, "/ipfs/ping/1.0.0");
    EXPECT_EQ(ends.listener.protocol, "/ipfs/ping/1.0.0");
    EXPECT_EQ(ends.listener.received, conversation.dialer_data) << "seed " << seed;
    EXPECT_EQ(ends.dialer.received, conversation.listener_data) << "seed " << seed;
  }
}

TEST(MultistreamConversationTest, OptimisticDataAfterAnAcceptedFirstProposalArrivesIntact) {
  Conversation conversation;
  conversation.proposals = {"/ipfs/id/1.0.0"};
  conversation.supported = {"/ipfs/ping/1.0.0", "/ipfs/id/1.0.0"};
  conversation.dialer_data = Bytes("sent before any reply");
  conversation.listener_data = Bytes("identify message");
  conversation.optimistic = true;
  for (int seed = 0; seed < kSeeds; ++seed) {
    const Ends ends = Converse(conversation, seed);
    ASSERT_EQ(ends.listener.outcome, MultistreamOutcome::kSelected) << "seed " << seed;
    ASSERT_EQ(ends.dialer.outcome, MultistreamOutcome::kSelected) << "seed " << seed;
    EXPECT_EQ(ends.listener.protocol, "/ipfs/id/1.0.0");
    EXPECT_EQ(ends.listener.received, conversation.dialer_data) << "seed " << seed;
    EXPECT_EQ(ends.dialer.received, conversation.listener_data) << "seed " << seed;
  }
}

TEST(MultistreamConversationTest, EndsNotSupportedHoweverTheStreamIsCut) {
  Conversation conversation;
  conversation.proposals = {"/a/1", "/b/1", "/c/1"};
  conversation.supported = {"/d/1"};
  for (int seed = 0; seed < kSeeds; ++seed) {
    const Ends ends = Converse(conversation, seed);
    ASSERT_EQ(ends.dialer.outcome, MultistreamOutcome::kNotSupported) << "seed " << seed;
    EXPECT_EQ(ends.listener.outcome, MultistreamOutcome::kPending);
  }
}

// --- Garbage -------------------------------------------------------------------

// The invariants every step must keep, whatever it was fed.
void ExpectConsistent(const MultistreamStep& step, const std::vector<std::string>& allowed) {
  ASSERT_EQ(step.outcome == MultistreamOutcome::kProtocolError,
            step.error != MultistreamError::kNone);
  if (step.outcome == MultistreamOutcome::kSelected) {
    ASSERT_NE(std::find(allowed.begin(), allowed.end(), step.protocol), allowed.end());
  } else {
    ASSERT_TRUE(step.protocol.empty());
    ASSERT_TRUE(step.leftover.empty());
  }
  if (step.outcome == MultistreamOutcome::kProtocolError) {
    ASSERT_TRUE(step.output.empty());
  }
}

std::vector<uint8_t> RandomBytes(SeededRandom& random) {
  std::vector<uint8_t> bytes(Below(random, kMaxGarbageBytes + 1));
  random.Fill(bytes);
  return bytes;
}

// A plausible transcript with a few bytes flipped, dropped or inserted, so
// the fuzzing reaches states past the header.
std::vector<uint8_t> Mutated(std::vector<uint8_t> bytes, SeededRandom& random) {
  const int edits = 1 + static_cast<int>(Below(random, 4));
  for (int i = 0; i < edits && !bytes.empty(); ++i) {
    const size_t at = Below(random, bytes.size());
    switch (Below(random, 3)) {
      case 0:
        bytes[at] = static_cast<uint8_t>(random.NextU64());
        break;
      case 1:
        bytes.erase(bytes.begin() + static_cast<std::ptrdiff_t>(at));
        break;
      default:
        bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                     static_cast<uint8_t>(random.NextU64()));
    }
  }
  return bytes;
}

std::vector<uint8_t> PlausibleTranscript(SeededRandom& random,
                                         const std::vector<std::string>& words) {
  std::vector<uint8_t> bytes;
  AppendMultistreamMessage(kMultistreamHeader, bytes);
  const size_t messages = Below(random, 6);
  for (size_t i = 0; i < messages; ++i) {
    AppendMultistreamMessage(words[Below(random, words.size())], bytes);
  }
  return bytes;
}

template <typename Machine>
void FeedInPieces(Machine& machine, const std::vector<uint8_t>& input, SeededRandom& random,
                  const std::vector<std::string>& allowed) {
  ExpectConsistent(machine.Start(), allowed);
  for (std::span<const uint8_t> piece : testing::SplitRandomly(input, random, 64)) {
    ExpectConsistent(machine.Feed(piece), allowed);
  }
}

TEST(MultistreamConversationTest, GarbageNeverCrashesEitherSide) {
  const std::vector<std::string> proposals{"/a", "/ipfs/ping/1.0.0"};
  const std::vector<std::string> supported{"/ipfs/ping/1.0.0", "/b"};
  const std::vector<std::string> words{"na", "ls", "/a", "/b", "/ipfs/ping/1.0.0", "/zzz", ""};
  SeededRandom random(2024);
  for (int i = 0; i < kGarbageInputs; ++i) {
    const std::vector<uint8_t> input =
        i % 2 == 0 ? RandomBytes(random) : Mutated(PlausibleTranscript(random, words), random);
    MultistreamDialer dialer(proposals);
    FeedInPieces(dialer, input, random, proposals);
    MultistreamListener listener(supported);
    FeedInPieces(listener, input, random, supported);
    if (HasFatalFailure()) FAIL() << "input " << i;
  }
}

}  // namespace
}  // namespace p2pquic::protocols
