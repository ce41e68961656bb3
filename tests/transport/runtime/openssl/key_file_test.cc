#include "transport/runtime/openssl/key_file.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "transport/runtime/seeded_random.h"

namespace p2pquic {
namespace {

// Written as raw bytes: the peer-ids spec's Ed25519 PrivateKey vector.
constexpr uint8_t kSpecEd25519PrivateKey[] = {
    0x08, 0x01, 0x12, 0x40, 0x7e, 0x08, 0x30, 0x61, 0x7c, 0x4a, 0x7d, 0xe8, 0x39, 0x25,
    0xdf, 0xb2, 0x69, 0x45, 0x56, 0xb1, 0x29, 0x36, 0xc4, 0x77, 0xa0, 0xe1, 0xfe, 0xb2,
    0xe1, 0x48, 0xec, 0x9d, 0xa6, 0x0f, 0xee, 0x7d, 0x1e, 0xd1, 0xe8, 0xfa, 0xe2, 0xc4,
    0xa1, 0x44, 0xb8, 0xbe, 0x8f, 0xd4, 0xb4, 0x7b, 0xf3, 0xd3, 0xb3, 0x4b, 0x87, 0x1c,
    0x3c, 0xac, 0xf6, 0x01, 0x0f, 0x0e, 0x42, 0xd4, 0x74, 0xfc, 0xe2, 0x7e};

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TEST_TMPDIR");
    std::string base = (tmp != nullptr ? tmp : "/tmp");
    dir_ = base + "/key_file_test." + std::to_string(getpid()) + "." +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    ASSERT_EQ(mkdir(dir_.c_str(), 0700), 0);
  }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  static PrivateKey Generated(uint64_t seed, KeyType type = KeyType::kEd25519) {
    SeededRandom random(seed);
    PrivateKey key;
    EXPECT_EQ(PrivateKey::Generate(type, random, &key), KeyStatus::kOk);
    return key;
  }

  static std::vector<uint8_t> Encoded(const PrivateKey& key) {
    std::vector<uint8_t> bytes;
    EXPECT_EQ(key.Encode(&bytes), KeyStatus::kOk);
    return bytes;
  }

  static std::vector<uint8_t> Contents(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  static void WriteRaw(const std::string& path, const std::vector<uint8_t>& bytes, mode_t mode) {
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<long>(bytes.size()));
    ASSERT_EQ(chmod(path.c_str(), mode), 0);
  }

  static mode_t Mode(const std::string& path) {
    struct stat info {};
    EXPECT_EQ(stat(path.c_str(), &info), 0);
    return info.st_mode & 07777;
  }

  std::vector<std::string> DirectoryEntries() const {
    std::vector<std::string> names;
    DIR* dir = opendir(dir_.c_str());
    while (dirent* entry = readdir(dir)) {
      const std::string name = entry->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    closedir(dir);
    return names;
  }

  std::string dir_;
};

TEST_F(KeyFileTest, WritesTheRawPrivateKeyProtobufWithMode0600) {
  const PrivateKey key = Generated(1);
  const std::string path = Path("identity.key");
  ASSERT_TRUE(KeyFile::Write(path, key, KeyFile::Overwrite::kRefuse).ok());
  EXPECT_EQ(Mode(path), 0600u);
  EXPECT_EQ(Contents(path), Encoded(key));
}

TEST_F(KeyFileTest, ModeIs0600WhateverTheUmask) {
  for (mode_t mask : {mode_t{0}, mode_t{022}, mode_t{077}}) {
    const mode_t old = umask(mask);
    const std::string path = Path("key." + std::to_string(mask));
    const KeyFileResult result = KeyFile::Write(path, Generated(2), KeyFile::Overwrite::kRefuse);
    umask(old);
    ASSERT_TRUE(result.ok()) << result.Describe();
    EXPECT_EQ(Mode(path), 0600u) << "umask " << mask;
  }
}

TEST_F(KeyFileTest, ReadsBackTheSameKeyOfEveryGeneratableType) {
  for (KeyType type : {KeyType::kEd25519, KeyType::kSecp256k1, KeyType::kEcdsa}) {
    const PrivateKey key = Generated(3, type);
    const std::string path = Path(std::string(ToString(type)) + ".key");
    ASSERT_TRUE(KeyFile::Write(path, key, KeyFile::Overwrite::kRefuse).ok());
    PrivateKey read;
    const KeyFileResult result = KeyFile::Read(path, &read);
    ASSERT_TRUE(result.ok()) << result.Describe();
    EXPECT_EQ(read.public_key(), key.public_key());
    EXPECT_EQ(Encoded(read), Encoded(key));
  }
}

TEST_F(KeyFileTest, ReadsKeysWrittenByOtherImplementations) {
  const std::string path = Path("spec.key");
  WriteRaw(path, {std::begin(kSpecEd25519PrivateKey), std::end(kSpecEd25519PrivateKey)}, 0600);
  PrivateKey key;
  ASSERT_TRUE(KeyFile::Read(path, &key).ok());
  EXPECT_EQ(key.type(), KeyType::kEd25519);
  EXPECT_EQ(Encoded(key), std::vector<uint8_t>(std::begin(kSpecEd25519PrivateKey),
                                               std::end(kSpecEd25519PrivateKey)));
}

TEST_F(KeyFileTest, RefusesToOverwriteUnlessAsked) {
  const std::string path = Path("identity.key");
  const PrivateKey first = Generated(4);
  const PrivateKey second = Generated(5);
  ASSERT_TRUE(KeyFile::Write(path, first, KeyFile::Overwrite::kRefuse).ok());
  const KeyFileResult refused = KeyFile::Write(path, second, KeyFile::Overwrite::kRefuse);
  EXPECT_EQ(refused.status, KeyFileStatus::kExists);
  EXPECT_EQ(refused.Describe(), "key file already exists (not overwritten)");
  EXPECT_EQ(Contents(path), Encoded(first));

  ASSERT_TRUE(KeyFile::Write(path, second, KeyFile::Overwrite::kReplace).ok());
  EXPECT_EQ(Contents(path), Encoded(second));
  EXPECT_EQ(Mode(path), 0600u);
  EXPECT_EQ(DirectoryEntries(), std::vector<std::string>{"identity.key"}) << "temp file left";
}

TEST_F(KeyFileTest, RefusesToWriteThroughASymlink) {
  const std::string target = Path("target");
  WriteRaw(target, {1, 2, 3}, 0644);
  ASSERT_EQ(symlink(target.c_str(), Path("link").c_str()), 0);
  EXPECT_EQ(KeyFile::Write(Path("link"), Generated(6), KeyFile::Overwrite::kRefuse).status,
            KeyFileStatus::kExists);
  EXPECT_EQ(Contents(target), (std::vector<uint8_t>{1, 2, 3}));
}

TEST_F(KeyFileTest, ReportsWhyAWriteCannotStart) {
  const KeyFileResult no_dir =
      KeyFile::Write(Path("missing/identity.key"), Generated(7), KeyFile::Overwrite::kRefuse);
  EXPECT_EQ(no_dir.status, KeyFileStatus::kCannotOpen);
  EXPECT_EQ(no_dir.Describe(), "cannot open key file: No such file or directory");
  EXPECT_EQ(KeyFile::Write(Path("missing/identity.key"), Generated(7), KeyFile::Overwrite::kReplace)
                .status,
            KeyFileStatus::kCannotOpen);
  EXPECT_EQ(KeyFile::Write(Path("empty.key"), PrivateKey(), KeyFile::Overwrite::kRefuse).status,
            KeyFileStatus::kEmptyKey);
}

TEST_F(KeyFileTest, ReadRefusesFilesOthersCanAccess) {
  const std::string path = Path("identity.key");
  ASSERT_TRUE(KeyFile::Write(path, Generated(8), KeyFile::Overwrite::kRefuse).ok());
  for (mode_t mode : {mode_t{0644}, mode_t{0640}, mode_t{0604}, mode_t{0660}}) {
    ASSERT_EQ(chmod(path.c_str(), mode), 0);
    PrivateKey key;
    const KeyFileResult result = KeyFile::Read(path, &key);
    EXPECT_EQ(result.status, KeyFileStatus::kInsecurePermissions) << std::oct << mode;
    EXPECT_TRUE(key.empty());
  }
  ASSERT_EQ(chmod(path.c_str(), 0400), 0);
  PrivateKey key;
  EXPECT_TRUE(KeyFile::Read(path, &key).ok()) << "owner-only read is fine";
}

TEST_F(KeyFileTest, ReadReportsFilesThatHoldNoKey) {
  const std::string path = Path("garbage.key");
  WriteRaw(path, {0xff, 0xff, 0xff}, 0600);
  PrivateKey key;
  const KeyFileResult garbage = KeyFile::Read(path, &key);
  EXPECT_EQ(garbage.status, KeyFileStatus::kBadKey);
  EXPECT_EQ(garbage.key_status, KeyStatus::kMalformedProtobuf);
  EXPECT_EQ(garbage.Describe(),
            "key file does not hold a valid libp2p private key: not a libp2p key protobuf");

  WriteRaw(path, {}, 0600);
  EXPECT_EQ(KeyFile::Read(path, &key).key_status, KeyStatus::kMissingField);

  WriteRaw(path, std::vector<uint8_t>(kMaxKeyFileBytes + 1, 0), 0600);
  EXPECT_EQ(KeyFile::Read(path, &key).status, KeyFileStatus::kTooLarge);
  EXPECT_TRUE(key.empty());
}

TEST_F(KeyFileTest, ReadReportsMissingFilesAndDirectories) {
  PrivateKey key;
  const KeyFileResult missing = KeyFile::Read(Path("nope.key"), &key);
  EXPECT_EQ(missing.status, KeyFileStatus::kCannotOpen);
  EXPECT_EQ(missing.Describe(), "cannot open key file: No such file or directory");
  ASSERT_EQ(mkdir(Path("dir").c_str(), 0700), 0);
  EXPECT_EQ(KeyFile::Read(Path("dir"), &key).status, KeyFileStatus::kNotRegularFile);
}

TEST_F(KeyFileTest, EveryStatusHasAReason) {
  for (int s = 0; s <= static_cast<int>(KeyFileStatus::kEmptyKey); ++s) {
    EXPECT_STRNE(ToString(static_cast<KeyFileStatus>(s)), "unknown key file status") << s;
  }
}

}  // namespace
}  // namespace p2pquic
