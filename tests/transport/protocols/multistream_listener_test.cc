#include "transport/protocols/multistream_listener.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/transport/protocols/test_bytes.h"
#include "transport/protocols/multistream_message.h"

namespace p2pquic::protocols {
namespace {

using testing::Bytes;
using testing::Concat;
using testing::Messages;

TEST(MultistreamListenerTest, StartWritesTheHeader) {
  MultistreamListener listener({"/a"});
  const MultistreamStep step = listener.Start();
  EXPECT_EQ(step.outcome, MultistreamOutcome::kPending);
  EXPECT_EQ(step.output, Messages({kMultistreamHeader}));
  EXPECT_TRUE(listener.Start().output.empty());
}

TEST(MultistreamListenerTest, EchoesAPipelinedProposalAndHandsBackTheDataAfterIt) {
  MultistreamListener listener({"/ipfs/ping/1.0.0", "/perf/1.0.0"});
  listener.Start();
  const std::vector<uint8_t> app_data =
      Concat({std::vector<uint8_t>{0x00, 0x01}, Bytes("payload")});
  const std::vector<uint8_t> one_packet =
      Concat({Messages({kMultistreamHeader, "/perf/1.0.0"}), app_data});
  const MultistreamStep step = listener.Feed(one_packet);
  EXPECT_EQ(step.outcome, MultistreamOutcome::kSelected);
  EXPECT_EQ(step.protocol, "/perf/1.0.0");
  EXPECT_EQ(step.output, Messages({"/perf/1.0.0"}));
  EXPECT_EQ(step.leftover, app_data);
}

TEST(MultistreamListenerTest, AnswersNaAndWaitsForAnotherProposal) {
  MultistreamListener listener({"/b"});
  listener.Start();
  MultistreamStep step = listener.Feed(Messages({kMultistreamHeader, "/a"}));
  EXPECT_EQ(step.outcome, MultistreamOutcome::kPending);
  EXPECT_EQ(step.output, Messages({"na"}));
  step = listener.Feed(Messages({"/b"}));
  EXPECT_EQ(step.outcome, MultistreamOutcome::kSelected);
  EXPECT_EQ(step.output, Messages({"/b"}));
}

TEST(MultistreamListenerTest, AnswersSeveralConcatenatedProposalsInOrder) {
  MultistreamListener listener({"/c"});
  listener.Start();
  const MultistreamStep step =
      listener.Feed(Messages({kMultistreamHeader, "/a", "/b", "/c", "/ignored"}));
  EXPECT_EQ(step.output, Messages({"na", "na", "/c"}));
  EXPECT_EQ(step.outcome, MultistreamOutcome::kSelected);
  EXPECT_EQ(step.leftover, Messages({"/ignored"}));
}

TEST(MultistreamListenerTest, AnswersLsWithTheSupportedList) {
  const std::vector<std::string> supported{"/ipfs/ping/1.0.0", "/ipfs/id/1.0.0"};
  MultistreamListener listener(supported);
  listener.Start();
  const MultistreamStep step = listener.Feed(Messages({kMultistreamHeader, "ls"}));
  std::vector<uint8_t> expected;
  AppendMultistreamListReply(supported, expected);
  EXPECT_EQ(step.output, expected);
  EXPECT_EQ(step.outcome, MultistreamOutcome::kPending);
}

TEST(MultistreamListenerTest, GivesUpAfterTooManyProposals) {
  MultistreamListener listener({"/wanted"});
  listener.Start();
  std::vector<uint8_t> requests = Messages({kMultistreamHeader, "ls"});
  for (size_t i = 1; i < kMaxMultistreamProposals; ++i) AppendMultistreamMessage("/nope", requests);
  MultistreamStep step = listener.Feed(requests);
  ASSERT_EQ(step.outcome, MultistreamOutcome::kPending);  // Exactly the limit: all answered.
  step = listener.Feed(Messages({"/wanted"}));
  EXPECT_EQ(step.outcome, MultistreamOutcome::kProtocolError);
  EXPECT_EQ(step.error, MultistreamError::kTooManyProposals);
  EXPECT_TRUE(step.output.empty());
}

TEST(MultistreamListenerTest, AnotherVersionHeaderIsAProtocolError) {
  MultistreamListener listener({"/a"});
  listener.Start();
  const MultistreamStep step = listener.Feed(Messages({"/a"}));
  EXPECT_EQ(step.outcome, MultistreamOutcome::kProtocolError);
  EXPECT_EQ(step.error, MultistreamError::kHeaderMismatch);
}

TEST(MultistreamListenerTest, AnEmptyListAnswersNaToEverything) {
  MultistreamListener listener({});
  listener.Start();
  const MultistreamStep step = listener.Feed(Messages({kMultistreamHeader, "/a"}));
  EXPECT_EQ(step.output, Messages({"na"}));
}

TEST(MultistreamListenerTest, RefusesAListItCannotServe) {
  MultistreamListener invalid_id({"/a", "na"});
  EXPECT_EQ(invalid_id.Start().error, MultistreamError::kInvalidLocalProtocols);
  MultistreamListener too_many(
      std::vector<std::string>(kMaxMultistreamListenerProtocols + 1, "/a"));
  EXPECT_EQ(too_many.Feed({}).error, MultistreamError::kInvalidLocalProtocols);
}

TEST(MultistreamListenerTest, ErrorsAreFinal) {
  MultistreamListener listener({"/a"});
  listener.Start();
  const std::vector<uint8_t> too_long{0x81, 0x08};
  EXPECT_EQ(listener.Feed(too_long).error, MultistreamError::kMessageTooLong);
  const MultistreamStep step = listener.Feed(Messages({kMultistreamHeader, "/a"}));
  EXPECT_EQ(step.outcome, MultistreamOutcome::kProtocolError);
  EXPECT_EQ(step.error, MultistreamError::kMessageTooLong);
  EXPECT_TRUE(step.output.empty());
}

}  // namespace
}  // namespace p2pquic::protocols
