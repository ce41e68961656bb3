// The p2pquic-node commands. Each returns the process exit code and prints
// one line on stderr saying why when it fails.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace p2pquic::node {

struct ListenOptions {
  std::vector<std::string> addresses;
  std::string identity_file;  // Empty: a fresh Ed25519 identity.
  std::string metrics;        // HOST:PORT for /metrics, or empty.
};
struct DialOptions {
  std::string address;
  std::string identity_file;
  std::chrono::milliseconds timeout{30000};
  bool json = false;
};

int RunListen(const ListenOptions& options);
int RunPing(const DialOptions& options, int count, std::chrono::milliseconds interval);
int RunIdentify(const DialOptions& options);
int RunPerf(const DialOptions& options, uint64_t upload, uint64_t download);
int RunKeygen(const std::string& type, const std::string& path, bool overwrite);

}  // namespace p2pquic::node
