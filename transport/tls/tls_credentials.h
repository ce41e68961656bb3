// TlsCredentials: the certificate and private key one endpoint presents in
// the TLS handshake, both DER (the key as PKCS#8 or the algorithm's own
// DER form). libp2p TLS makes a fresh self-signed one per host.
#pragma once

#include <cstdint>
#include <vector>

namespace p2pquic {

struct TlsCredentials {
  std::vector<uint8_t> certificate_der;
  std::vector<uint8_t> private_key_der;
};

}  // namespace p2pquic
