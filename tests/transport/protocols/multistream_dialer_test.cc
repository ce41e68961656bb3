#include "transport/protocols/multistream_dialer.h"

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

TEST(MultistreamDialerTest, StartPipelinesTheHeaderWithTheFirstProposal) {
  MultistreamDialer dialer({"/perf/1.0.0", "/ipfs/ping/1.0.0"});
  const MultistreamStep step = dialer.Start();
  EXPECT_EQ(step.outcome, MultistreamOutcome::kPending);
  EXPECT_EQ(step.output, Messages({kMultistreamHeader, "/perf/1.0.0"}));
  EXPECT_TRUE(dialer.Start().output.empty());
}

TEST(MultistreamDialerTest, SelectsTheEchoedProposalAndHandsBackWhatFollows) {
  MultistreamDialer dialer({"/ipfs/ping/1.0.0"});
  dialer.Start();
  const std::vector<uint8_t> reply =
      Concat({Messages({kMultistreamHeader, "/ipfs/ping/1.0.0"}), Bytes("app")});
  const MultistreamStep step = dialer.Feed(reply);
  EXPECT_EQ(step.outcome, MultistreamOutcome::kSelected);
  EXPECT_EQ(step.protocol, "/ipfs/ping/1.0.0");
  EXPECT_EQ(step.leftover, Bytes("app"));
  EXPECT_TRUE(step.output.empty());
}

TEST(MultistreamDialerTest, ProposesTheNextProtocolAfterNa) {
  MultistreamDialer dialer({"/a", "/b", "/c"});
  dialer.Start();
  MultistreamStep step = dialer.Feed(Messages({kMultistreamHeader, "na"}));
  EXPECT_EQ(step.outcome, MultistreamOutcome::kPending);
  EXPECT_EQ(step.output, Messages({"/b"}));
  step = dialer.Feed(Messages({"na", "/c"}));
  EXPECT_EQ(step.output, Messages({"/c"}));
  EXPECT_EQ(step.outcome, MultistreamOutcome::kSelected);
  EXPECT_EQ(step.protocol, "/c");
}

TEST(MultistreamDialerTest, IsNotSupportedOnceEveryProposalGotNa) {
  MultistreamDialer dialer({"/a", "/b"});
  dialer.Start();
  const MultistreamStep step = dialer.Feed(Messages({kMultistreamHeader, "na", "na"}));
  EXPECT_EQ(step.outcome, MultistreamOutcome::kNotSupported);
  EXPECT_EQ(step.error, MultistreamError::kNone);
  EXPECT_EQ(step.output, Messages({"/b"}));  // The second proposal, then nothing more.
  EXPECT_EQ(dialer.Feed(Messages({"/b"})).outcome, MultistreamOutcome::kNotSupported);
}

TEST(MultistreamDialerTest, AnotherVersionHeaderIsAProtocolError) {
  MultistreamDialer dialer({"/a"});
  dialer.Start();
  const MultistreamStep step = dialer.Feed(Messages({"/multistream/2.0.0"}));
  EXPECT_EQ(step.outcome, MultistreamOutcome::kProtocolError);
  EXPECT_EQ(step.error, MultistreamError::kHeaderMismatch);
}

TEST(MultistreamDialerTest, AReplyThatIsNeitherEchoNorNaIsAProtocolError) {
  MultistreamDialer dialer({"/a", "/b"});
  dialer.Start();
  const MultistreamStep step = dialer.Feed(Messages({kMultistreamHeader, "/b"}));
  EXPECT_EQ(step.outcome, MultistreamOutcome::kProtocolError);
  EXPECT_EQ(step.error, MultistreamError::kUnexpectedMessage);
  EXPECT_TRUE(step.leftover.empty());
}

TEST(MultistreamDialerTest, FramingErrorsAreProtocolErrors) {
  {
    MultistreamDialer dialer({"/a"});
    const std::vector<uint8_t> no_newline{0x02, '/', 'a'};
    EXPECT_EQ(dialer.Feed(no_newline).error, MultistreamError::kMissingNewline);
  }
  {
    MultistreamDialer dialer({"/a"});
    const std::vector<uint8_t> empty_message{0x00};
    EXPECT_EQ(dialer.Feed(empty_message).error, MultistreamError::kMissingNewline);
  }
  {
    MultistreamDialer dialer({"/a"});
    const std::vector<uint8_t> too_long{0x81, 0x08};  // 1025.
    EXPECT_EQ(dialer.Feed(too_long).error, MultistreamError::kMessageTooLong);
  }
  {
    MultistreamDialer dialer({"/a"});
    const std::vector<uint8_t> overlong{0x83, 0x00};
    EXPECT_EQ(dialer.Feed(overlong).error, MultistreamError::kBadLengthPrefix);
  }
}

TEST(MultistreamDialerTest, RefusesAListItCannotSend) {
  const std::vector<std::vector<std::string>> bad_lists{
      {},
      {"na"},
      {"ls"},
      {""},
      {"/a\n"},
      {std::string(kMaxMultistreamMessageBytes, 'x')},
      std::vector<std::string>(kMaxMultistreamProposals + 1, "/a")};
  for (const auto& list : bad_lists) {
    MultistreamDialer dialer(list);
    const MultistreamStep step = dialer.Start();
    EXPECT_EQ(step.outcome, MultistreamOutcome::kProtocolError);
    EXPECT_EQ(step.error, MultistreamError::kInvalidLocalProtocols);
    EXPECT_TRUE(step.output.empty());
  }
  MultistreamDialer at_limit(std::vector<std::string>(kMaxMultistreamProposals, "/a"));
  EXPECT_EQ(at_limit.Start().outcome, MultistreamOutcome::kPending);
}

TEST(MultistreamDialerTest, FeedBeforeStartStillWritesTheOpeningBytesFirst) {
  MultistreamDialer dialer({"/a", "/b"});
  const MultistreamStep step = dialer.Feed(Messages({kMultistreamHeader, "na"}));
  EXPECT_EQ(step.output, Messages({kMultistreamHeader, "/a", "/b"}));
}

TEST(MultistreamDialerTest, AfterSelectionEveryByteIsApplicationData) {
  MultistreamDialer dialer({"/a"});
  dialer.Start();
  dialer.Feed(Messages({kMultistreamHeader, "/a"}));
  const std::vector<uint8_t> more = Messages({"na"});
  const MultistreamStep step = dialer.Feed(more);
  EXPECT_EQ(step.outcome, MultistreamOutcome::kSelected);
  EXPECT_EQ(step.protocol, "/a");
  EXPECT_EQ(step.leftover, more);
}

TEST(MultistreamDialerTest, NamesEveryOutcomeAndError) {
  EXPECT_STREQ(ToString(MultistreamOutcome::kSelected), "selected");
  for (MultistreamError error :
       {MultistreamError::kNone, MultistreamError::kInvalidLocalProtocols,
        MultistreamError::kBadLengthPrefix, MultistreamError::kMessageTooLong,
        MultistreamError::kMissingNewline, MultistreamError::kHeaderMismatch,
        MultistreamError::kUnexpectedMessage, MultistreamError::kTooManyProposals}) {
    EXPECT_STRNE(ToString(error), "unknown");
  }
}

}  // namespace
}  // namespace p2pquic::protocols
