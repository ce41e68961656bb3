// Test tool for identify_protoc_crosscheck_test.sh. Holds the same sample
// message as identify_sample.txtpb (keep the two equal).
//   identify_protoc_tool encode   writes EncodeIdentify(sample) to stdout
//   identify_protoc_tool check    decodes stdin; exit 0 iff it is the sample
#include <cstdio>
#include <cstring>
#include <iterator>
#include <string>
#include <vector>

#include "transport/protocols/identify_codec.h"

namespace p2pquic::protocols {
namespace {

constexpr size_t kPublicKeyBodyBytes = 32;
constexpr size_t kAgentPaddingChars = 140;
constexpr int kRecordStep = 7;
constexpr int kByteValues = 256;

IdentifyMessage Sample() {
  IdentifyMessage message;
  std::vector<uint8_t> key{0x08, 0x01, 0x12, 0x20};
  for (size_t i = 0; i < kPublicKeyBodyBytes; ++i) key.push_back(static_cast<uint8_t>(i));
  message.public_key = key;
  message.listen_addrs.push_back(
      {0x04, 0x7f, 0x00, 0x00, 0x01, 0x91, 0x02, 0x1f, 0x90, 0xcc, 0x03});
  std::vector<uint8_t> ip6{0x29};
  ip6.resize(16, 0x00);
  ip6.insert(ip6.end(), {0x01, 0x91, 0x02, 0x1f, 0x91, 0xcc, 0x03});
  message.listen_addrs.push_back(ip6);
  message.protocols = {"/ipfs/ping/1.0.0", "/ipfs/id/1.0.0", "/perf/1.0.0"};
  message.observed_addr =
      std::vector<uint8_t>{0x04, 0xc0, 0x00, 0x02, 0x07, 0x91, 0x02, 0xd4, 0x31, 0xcc, 0x03};
  message.protocol_version = "ipfs/0.1.0";
  message.agent_version = "p2pquic/0.1.0 " + std::string(kAgentPaddingChars, 'x');
  std::vector<uint8_t> record;
  for (int i = 0; i < kByteValues; i += kRecordStep) record.push_back(static_cast<uint8_t>(i));
  message.signed_peer_record = record;
  return message;
}

int Encode() {
  std::vector<uint8_t> out;
  const IdentifyResult result = EncodeIdentify(Sample(), out);
  if (result != IdentifyResult::kOk) {
    std::fprintf(stderr, "encode failed: %s\n", ToString(result));
    return 1;
  }
  return std::fwrite(out.data(), 1, out.size(), stdout) == out.size() ? 0 : 1;
}

int Check() {
  std::vector<uint8_t> in;
  for (int c = std::getc(stdin); c != EOF; c = std::getc(stdin))
    in.push_back(static_cast<uint8_t>(c));
  IdentifyMessage message;
  const IdentifyResult result = DecodeIdentify(in, message);
  if (result != IdentifyResult::kOk) {
    std::fprintf(stderr, "decode of %zu bytes failed: %s\n", in.size(), ToString(result));
    return 1;
  }
  if (!(message == Sample())) {
    std::fprintf(stderr, "decoded message differs from the sample\n");
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace p2pquic::protocols

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "encode") == 0) return p2pquic::protocols::Encode();
  if (argc == 2 && std::strcmp(argv[1], "check") == 0) return p2pquic::protocols::Check();
  std::fprintf(stderr, "usage: %s encode|check\n", argv[0]);
  return 2;
}
