// QlogFrameReader: picks the CID-relevant frames (traced_frame.h) out of one
// connection's ngtcp2 qlog as it is written, piece by piece, through
// ConnectionTrace::OnQlog. The transport knows nothing of it: frames are
// read from the diagnostics stream ngtcp2 already produces, in the
// scenarios layer, and only when a run asks for them.
//
// What ngtcp2 0.12.1 writes (lib/ngtcp2_qlog.c): JSON-SEQ, one record per
// write, "\x1e" + JSON + "\n". The first record names the connection's
// group_id, the client's original DCID, which both ends share (the way the
// runner pairs a listener's connection with its dialer's). A packet
// record ("transport:packet_sent" / "transport:packet_received") lists
// its frames in the order they are in the packet; a received stateless
// reset is a packet_received record of packet_type "stateless_reset".
//
// Cost: most records (ACK/STREAM packets, recovery metrics) are skipped by
// a substring scan; only records that hold a traced frame are parsed.
//
// Limits inherited from ngtcp2 0.12.1's qlog: a packet's frames are
// formatted into a 4 KiB buffer, and a frame that no longer fits is left
// out of the record (a packet crowded with ACK ranges could hide a frame);
// a received frame is logged after ngtcp2 processed it, and not at all if
// processing failed (the connection is then closing anyway).
//
// Contract: single-threaded; the sink is called synchronously from Feed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "scenarios/format/traced_frame.h"

namespace p2pquic::scenarios {

class QlogFrameReader {
 public:
  using FrameSink = std::function<void(FrameDirection, const TracedFrame&)>;

  explicit QlogFrameReader(FrameSink sink) : sink_(std::move(sink)) {}

  // A piece of qlog text, as ngtcp2 wrote it. Records may be split across
  // pieces or several may share one; an incomplete tail waits for the next.
  void Feed(std::string_view text);

  // The connection's qlog group_id (the client's original DCID, lowercase
  // hex); empty until the first record has been read.
  const std::string& group_id() const { return group_id_; }
  // Records that should have held traced frames but did not parse as the
  // format above (a reader bug or an ngtcp2 format change; never silent).
  uint64_t unreadable_records() const { return unreadable_records_; }

 private:
  void ReadRecord(std::string_view record);
  void ReadHeader(std::string_view record);
  void ReadPacket(std::string_view record, FrameDirection direction);

  FrameSink sink_;
  std::string pending_;  // An incomplete record from an earlier piece.
  std::string group_id_;
  bool header_read_ = false;
  uint64_t unreadable_records_ = 0;
};

}  // namespace p2pquic::scenarios
