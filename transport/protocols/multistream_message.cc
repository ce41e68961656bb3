#include "transport/protocols/multistream_message.h"

#include "transport/protocols/uvarint.h"

namespace p2pquic::protocols {
namespace {

constexpr uint8_t kNewline = '\n';

}  // namespace

void AppendMultistreamMessage(std::string_view text, std::vector<uint8_t>& out) {
  AppendUvarint(text.size() + 1, out);
  out.insert(out.end(), text.begin(), text.end());
  out.push_back(kNewline);
}

void AppendMultistreamListReply(std::span<const std::string> protocols, std::vector<uint8_t>& out) {
  std::vector<uint8_t> body;
  for (const std::string& protocol : protocols) AppendMultistreamMessage(protocol, body);
  AppendMultistreamMessage(
      std::string_view(reinterpret_cast<const char*>(body.data()), body.size()), out);
}

bool IsValidProtocolId(std::string_view id) {
  return !id.empty() && id.size() + 1 <= kMaxMultistreamMessageBytes &&
         id.find('\n') == std::string_view::npos && id != kMultistreamNotAvailable &&
         id != kMultistreamList;
}

bool AllValidProtocolIds(std::span<const std::string> ids) {
  for (const std::string& id : ids) {
    if (!IsValidProtocolId(id)) return false;
  }
  return true;
}

}  // namespace p2pquic::protocols
