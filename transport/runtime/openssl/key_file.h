// KeyFile: a libp2p identity on disk. The file holds exactly the libp2p
// PrivateKey protobuf bytes (`{Type, Data}`, see crypto.proto) — the format
// go-libp2p's crypto.MarshalPrivateKey and js-libp2p's
// privateKeyToProtobuf produce, so keys move between implementations as is.
// Files are created with mode 0600 and never overwritten unless asked; a key
// file readable by group or others is refused on reading (as ssh does).
#pragma once

#include <cstdint>
#include <string>

#include "transport/identity/key_status.h"
#include "transport/identity/private_key.h"

namespace p2pquic {

// Larger than any key file we write (an 8192-bit RSA key is ~4.7 KB).
inline constexpr size_t kMaxKeyFileBytes = 64 * 1024;
inline constexpr unsigned kKeyFileMode = 0600;

enum class KeyFileStatus : uint8_t {
  kOk,
  kExists,               // Write with kRefuse: the file is already there.
  kCannotOpen,           // open(2) failed (see error_number).
  kCannotWrite,          // write/fsync/rename failed (see error_number); nothing left behind.
  kCannotRead,           // read(2)/fstat(2) failed (see error_number).
  kNotRegularFile,       // A directory, device or the like.
  kTooLarge,             // Over kMaxKeyFileBytes: not a key file.
  kInsecurePermissions,  // Group or others may access it: chmod 600.
  kBadKey,               // The contents are not a valid libp2p private key (see key_status).
  kEmptyKey,             // Write of a default-constructed PrivateKey.
};

const char* ToString(KeyFileStatus status);

// What happened, with the OS or key detail where there is one.
struct KeyFileResult {
  KeyFileStatus status = KeyFileStatus::kOk;
  int error_number = 0;                   // errno, for kCannot*.
  KeyStatus key_status = KeyStatus::kOk;  // For kBadKey.

  bool ok() const { return status == KeyFileStatus::kOk; }
  // One line, e.g. "cannot open key file: Permission denied".
  std::string Describe() const;
};

class KeyFile {
 public:
  enum class Overwrite : uint8_t { kRefuse, kReplace };

  // Writes `key` to `path` with mode 0600. kRefuse creates the file with
  // O_CREAT|O_EXCL and fails with kExists if anything is at `path`; kReplace
  // writes a temporary file beside it and renames it over, so a crash leaves
  // either the old key or the new one, never half of either.
  static KeyFileResult Write(const std::string& path, const PrivateKey& key, Overwrite overwrite);

  // Reads and decodes the key at `path`. On error `out` is unchanged.
  static KeyFileResult Read(const std::string& path, PrivateKey* out);
};

}  // namespace p2pquic
