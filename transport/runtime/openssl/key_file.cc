#include "transport/runtime/openssl/key_file.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <span>
#include <system_error>
#include <vector>

namespace p2pquic {
namespace {

// Permission bits that let anyone but the owner near the key.
constexpr mode_t kGroupOrOtherBits = 0077;
constexpr const char* kTempSuffix = ".tmp-XXXXXX";  // mkostemp's template.

// Closes the descriptor on every path out.
class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  ~ScopedFd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }
  // Closes now, reporting the error close(2) can carry for written files.
  int Close() {
    const int result = close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

KeyFileResult Failure(KeyFileStatus status, int error_number = 0) {
  KeyFileResult result;
  result.status = status;
  result.error_number = error_number;
  return result;
}

bool WriteAll(int fd, std::span<const uint8_t> bytes) {
  while (!bytes.empty()) {
    const ssize_t written = write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes = bytes.subspan(static_cast<size_t>(written));
  }
  return true;
}

// Mode, contents, and on disk. On failure returns errno, else 0.
int FillFile(ScopedFd& file, std::span<const uint8_t> bytes) {
  if (fchmod(file.get(), kKeyFileMode) != 0 || !WriteAll(file.get(), bytes) ||
      fsync(file.get()) != 0 || file.Close() != 0) {
    return errno != 0 ? errno : EIO;
  }
  return 0;
}

KeyFileResult WriteNew(const std::string& path, std::span<const uint8_t> bytes) {
  ScopedFd file(open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, kKeyFileMode));
  if (file.get() < 0) {
    return errno == EEXIST ? Failure(KeyFileStatus::kExists, EEXIST)
                           : Failure(KeyFileStatus::kCannotOpen, errno);
  }
  const int error_number = FillFile(file, bytes);
  if (error_number == 0) return KeyFileResult{};
  unlink(path.c_str());
  return Failure(KeyFileStatus::kCannotWrite, error_number);
}

KeyFileResult ReplaceWith(const std::string& path, std::span<const uint8_t> bytes) {
  std::string temp = path + kTempSuffix;
  ScopedFd file(mkostemp(temp.data(), O_CLOEXEC));  // Created 0600, O_EXCL.
  if (file.get() < 0) return Failure(KeyFileStatus::kCannotOpen, errno);
  int error_number = FillFile(file, bytes);
  if (error_number == 0 && rename(temp.c_str(), path.c_str()) != 0) error_number = errno;
  if (error_number == 0) return KeyFileResult{};
  unlink(temp.c_str());
  return Failure(KeyFileStatus::kCannotWrite, error_number);
}

// Reads at most kMaxKeyFileBytes + 1 bytes, to tell "too large" from "fits".
KeyFileResult ReadBounded(int fd, std::vector<uint8_t>* contents) {
  contents->resize(kMaxKeyFileBytes + 1);
  size_t filled = 0;
  while (filled < contents->size()) {
    const ssize_t got = read(fd, contents->data() + filled, contents->size() - filled);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return Failure(KeyFileStatus::kCannotRead, errno);
    if (got == 0) break;
    filled += static_cast<size_t>(got);
  }
  contents->resize(filled);
  if (filled > kMaxKeyFileBytes) return Failure(KeyFileStatus::kTooLarge);
  return KeyFileResult{};
}

KeyFileResult CheckOpenedFile(int fd) {
  struct stat info;
  if (fstat(fd, &info) != 0) return Failure(KeyFileStatus::kCannotRead, errno);
  if (!S_ISREG(info.st_mode)) return Failure(KeyFileStatus::kNotRegularFile);
  if ((info.st_mode & kGroupOrOtherBits) != 0) return Failure(KeyFileStatus::kInsecurePermissions);
  if (static_cast<uint64_t>(info.st_size) > kMaxKeyFileBytes) {
    return Failure(KeyFileStatus::kTooLarge);
  }
  return KeyFileResult{};
}

}  // namespace

const char* ToString(KeyFileStatus status) {
  switch (status) {
    case KeyFileStatus::kOk:
      return "ok";
    case KeyFileStatus::kExists:
      return "key file already exists (not overwritten)";
    case KeyFileStatus::kCannotOpen:
      return "cannot open key file";
    case KeyFileStatus::kCannotWrite:
      return "cannot write key file";
    case KeyFileStatus::kCannotRead:
      return "cannot read key file";
    case KeyFileStatus::kNotRegularFile:
      return "key file is not a regular file";
    case KeyFileStatus::kTooLarge:
      return "key file is too large to be a key";
    case KeyFileStatus::kInsecurePermissions:
      return "key file is accessible by group or others (chmod 600 it)";
    case KeyFileStatus::kBadKey:
      return "key file does not hold a valid libp2p private key";
    case KeyFileStatus::kEmptyKey:
      return "cannot write an empty key";
  }
  return "unknown key file status";
}

std::string KeyFileResult::Describe() const {
  std::string text = ToString(status);
  if (status == KeyFileStatus::kBadKey) {
    text += std::string(": ") + ToString(key_status);
  } else if (error_number != 0 && status != KeyFileStatus::kExists) {
    text += ": " + std::error_code(error_number, std::generic_category()).message();
  }
  return text;
}

KeyFileResult KeyFile::Write(const std::string& path, const PrivateKey& key, Overwrite overwrite) {
  if (key.empty()) return Failure(KeyFileStatus::kEmptyKey);
  std::vector<uint8_t> bytes;
  const KeyStatus encoded = key.Encode(&bytes);
  if (encoded != KeyStatus::kOk) {
    KeyFileResult result = Failure(KeyFileStatus::kBadKey);
    result.key_status = encoded;
    return result;
  }
  const KeyFileResult result =
      overwrite == Overwrite::kRefuse ? WriteNew(path, bytes) : ReplaceWith(path, bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return result;
}

KeyFileResult KeyFile::Read(const std::string& path, PrivateKey* out) {
  ScopedFd file(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) return Failure(KeyFileStatus::kCannotOpen, errno);
  KeyFileResult result = CheckOpenedFile(file.get());
  std::vector<uint8_t> contents;
  if (result.ok()) result = ReadBounded(file.get(), &contents);
  if (result.ok()) {
    result.key_status = PrivateKey::Decode(contents, out);
    if (result.key_status != KeyStatus::kOk) result.status = KeyFileStatus::kBadKey;
  }
  OPENSSL_cleanse(contents.data(), contents.size());
  return result;
}

}  // namespace p2pquic
