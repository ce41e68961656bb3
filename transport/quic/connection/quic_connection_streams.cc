// QuicConnection's stream operations (the connection's application API);
// split from quic_connection.cc to keep each file to one concern.
#include <ngtcp2/ngtcp2.h>

#include <algorithm>
#include <vector>

#include "transport/quic/connection/quic_connection.h"

namespace p2pquic {

// --- Streams ------------------------------------------------------------------------

QuicConnection::Stream* QuicConnection::FindStream(int64_t stream_id) {
  auto it = streams_.find(stream_id);
  return it == streams_.end() ? nullptr : &it->second;
}

StreamResult QuicConnection::OpenStream(int64_t* stream_id) {
  if (state_ != ConnectionState::kEstablished) return StreamResult::kNotConnected;
  if (outbound_streams_ >= context_.config->max_outbound_streams) return StreamResult::kLocalLimit;
  const int rv = ngtcp2_conn_open_bidi_stream(conn_, stream_id, nullptr);
  if (rv == NGTCP2_ERR_STREAM_ID_BLOCKED) return StreamResult::kBlocked;
  if (rv != 0) return StreamResult::kError;
  streams_.try_emplace(*stream_id);
  ++outbound_streams_;
  return StreamResult::kOk;
}

StreamResult QuicConnection::WriteStream(int64_t stream_id, std::span<const uint8_t> data, bool fin,
                                         size_t* accepted) {
  *accepted = 0;
  if (state_ != ConnectionState::kEstablished) return StreamResult::kNotConnected;
  Stream* stream = FindStream(stream_id);
  if (stream == nullptr) return StreamResult::kUnknownStream;
  if (stream->write_closed || stream->fin_requested) return StreamResult::kShutWrite;
  *accepted = std::min(data.size(), SendSpace(stream_id, *stream));
  stream->send.Append(data.first(*accepted));
  send_budget_.Add(*accepted);
  if (*accepted < data.size()) {
    stream->wants_writable = true;
  } else if (fin) {
    stream->fin_requested = true;
  }
  return StreamResult::kOk;
}

StreamResult QuicConnection::ShutdownStream(int64_t stream_id) {
  Stream* stream = FindStream(stream_id);
  if (stream == nullptr) return StreamResult::kUnknownStream;
  if (stream->write_closed || stream->fin_requested) return StreamResult::kShutWrite;
  stream->fin_requested = true;
  return StreamResult::kOk;
}

StreamResult QuicConnection::ResetStream(int64_t stream_id, uint64_t app_error_code) {
  Stream* stream = FindStream(stream_id);
  if (stream == nullptr) return StreamResult::kUnknownStream;
  if (ngtcp2_conn_shutdown_stream_write(conn_, stream_id, app_error_code) != 0) {
    return StreamResult::kError;
  }
  stream->write_closed = true;
  return StreamResult::kOk;
}

StreamResult QuicConnection::StopSending(int64_t stream_id, uint64_t app_error_code) {
  if (FindStream(stream_id) == nullptr) return StreamResult::kUnknownStream;
  return ngtcp2_conn_shutdown_stream_read(conn_, stream_id, app_error_code) == 0
             ? StreamResult::kOk
             : StreamResult::kError;
}

StreamResult QuicConnection::ConsumeStream(int64_t stream_id, size_t bytes) {
  if (FindStream(stream_id) == nullptr) return StreamResult::kUnknownStream;
  ngtcp2_conn_extend_max_stream_offset(conn_, stream_id, bytes);
  ngtcp2_conn_extend_max_offset(conn_, bytes);
  return StreamResult::kOk;
}

size_t QuicConnection::StreamSendSpace(int64_t stream_id) const {
  auto it = streams_.find(stream_id);
  return it == streams_.end() ? 0 : SendSpace(stream_id, it->second);
}

SendBufferBudget::Windows QuicConnection::WindowsOf(int64_t stream_id, const Stream& stream) const {
  ngtcp2_conn_stat stat;
  ngtcp2_conn_get_conn_stat(conn_, &stat);
  // The peer's credit ends at sent + what is left of it; everything from
  // the acknowledged offset to there may be in flight.
  const uint64_t credit_end =
      stream.send.sent() + ngtcp2_conn_get_max_stream_data_left(conn_, stream_id);
  return {stat.cwnd, credit_end - stream.send.acked()};
}

size_t QuicConnection::SendSpace(int64_t stream_id, const Stream& stream) const {
  return send_budget_.Space(stream.send.buffered(), WindowsOf(stream_id, stream));
}

void QuicConnection::NotifyWritableStreams() {
  // Ids first: the observer may write, reset or close streams meanwhile.
  // (It may not Read, so the scratch vector is ours until we return.)
  std::vector<int64_t>& waiting = writable_scratch_;
  waiting.clear();
  for (const auto& [id, stream] : streams_) {
    if (stream.wants_writable) waiting.push_back(id);
  }
  for (int64_t id : waiting) {
    Stream* stream = FindStream(id);
    if (stream == nullptr || !stream->wants_writable || SendSpace(id, *stream) == 0) continue;
    stream->wants_writable = false;
    context_.observer->OnStreamWritable(id);
  }
}

}  // namespace p2pquic
