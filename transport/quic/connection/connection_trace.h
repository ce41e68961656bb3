// ConnectionTrace: optional diagnostics a QuicConnection can emit for
// tools (the simulator's qlog and TLS key log). Production passes none;
// then nothing is formatted and nothing is kept.
//
// Contract: called from inside QuicConnection calls on the connection's
// thread; an implementation only records (it must not call back into the
// connection). The data is valid during the call only.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace p2pquic {

class ConnectionTrace {
 public:
  virtual ~ConnectionTrace() = default;
  // Whether OnQlog should be called at all (ngtcp2 formats qlog only then).
  virtual bool WantsQlog() const = 0;
  // A piece of the connection's qlog (JSON text, ngtcp2's format); `final`
  // on the last piece, which may be empty.
  virtual void OnQlog(std::string_view text, bool final) = 0;
  // A TLS secret in NSS key log terms (label, client random, secret), so a
  // packet capture can be decrypted (Wireshark's "(Pre)-Master-Secret log").
  virtual void OnTlsSecret(std::string_view label, std::span<const uint8_t> client_random,
                           std::span<const uint8_t> secret) = 0;
};

}  // namespace p2pquic
