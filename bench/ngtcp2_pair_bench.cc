#include "bench/ngtcp2_pair_bench.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "bench/bench_stats.h"
#include "bench/subprocess.h"

namespace p2pquic::bench {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

constexpr char kOpenssl[] = "/usr/bin/openssl";
constexpr char kBigFile[] = "blob";
constexpr char kSmallFile[] = "one-byte";
constexpr auto kToolTimeout = milliseconds(30000);
constexpr auto kDownloadTimeout = milliseconds(120000);
constexpr auto kServerStartTimeout = milliseconds(5000);
constexpr auto kServerPollInterval = milliseconds(10);
constexpr double kBytesPerMegabyte = 1e6;

// A throwaway directory, removed with everything in it.
struct TempDir {
  fs::path path;
  TempDir() {
    char name[] = "/tmp/p2pquic-transport-bench-XXXXXX";
    if (mkdtemp(name) != nullptr) path = name;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path.empty()) fs::remove_all(path, ignored);
  }
};

// A UDP port free on 127.0.0.1 right now (the kernel's pick; gtlsserver
// cannot be told to pick one and report it).
int FreeUdpPort() {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = -1;
  if (fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  if (fd >= 0) close(fd);
  return port;
}

// Whether some socket is bound to UDP 127.0.0.1:port (/proc/net/udp lists
// local addresses as hex, the IPv4 address in network byte order).
bool UdpPortBound(int port) {
  char needle[32];
  std::snprintf(needle, sizeof(needle), " 0100007F:%04X ", port);
  std::ifstream table("/proc/net/udp");
  std::stringstream text;
  text << table.rdbuf();
  return text.str().find(needle) != std::string::npos;
}

bool MakeCertificate(const fs::path& dir, std::string* error) {
  const CommandResult made =
      RunCommand({kOpenssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                  "-nodes", "-keyout", (dir / "key.pem").string(), "-out",
                  (dir / "cert.pem").string(), "-days", "1", "-subj", "/CN=localhost"},
                 kToolTimeout);
  if (made.exit_status == 0) return true;
  *error = std::string("cannot make a certificate with ") + kOpenssl + ": " + made.output;
  return false;
}

bool MakeFiles(const fs::path& htdocs, uint64_t bytes, std::string* error) {
  std::error_code ec;
  fs::create_directories(htdocs, ec);
  // Sparse files of zeros: nothing to write, and QUIC does not compress.
  std::ofstream(htdocs / kBigFile).close();
  std::ofstream(htdocs / kSmallFile).close();
  if (!ec) fs::resize_file(htdocs / kBigFile, bytes, ec);
  if (!ec) fs::resize_file(htdocs / kSmallFile, 1, ec);
  if (ec) *error = "cannot make the files to serve: " + ec.message();
  return !ec;
}

struct Server {
  std::unique_ptr<Subprocess> process;
  int port = -1;
};

bool StartServer(const fs::path& dir, Server* server, std::string* error) {
  server->port = FreeUdpPort();
  if (server->port < 0) {
    *error = "no free UDP port on 127.0.0.1";
    return false;
  }
  Subprocess::Options options;
  options.merge_stderr = true;
  options.output_path = (dir / "server.log").string();
  server->process = Subprocess::Spawn(
      {kGtlsServer, "-q", "-d", (dir / "htdocs").string(), "127.0.0.1",
       std::to_string(server->port), (dir / "key.pem").string(), (dir / "cert.pem").string()},
      options, error);
  if (server->process == nullptr) return false;
  const auto deadline = std::chrono::steady_clock::now() + kServerStartTimeout;
  while (!UdpPortBound(server->port)) {
    if (std::chrono::steady_clock::now() > deadline || server->process->Wait(milliseconds(0))) {
      std::ifstream log(dir / "server.log");
      std::stringstream text;
      text << log.rdbuf();
      *error = std::string(kGtlsServer) + " did not start: " + text.str();
      return false;
    }
    std::this_thread::sleep_for(kServerPollInterval);
  }
  return true;
}

std::vector<std::string> ClientArgs(int port, const char* file) {
  const std::string port_text = std::to_string(port);
  return {kGtlsClient, "-q",      "--exit-on-all-streams-close",
          "127.0.0.1", port_text, "https://127.0.0.1:" + port_text + "/" + file};
}

// One download; its wall time in seconds, or a negative value on failure.
double TimedDownload(int port, const char* file, std::string* error) {
  const CommandResult run = RunCommand(ClientArgs(port, file), kDownloadTimeout);
  if (run.exit_status == 0) return std::chrono::duration<double>(run.elapsed).count();
  *error = std::string(kGtlsClient) + " failed" + (run.timed_out ? " (timed out)" : "") + ": " +
           run.output;
  return -1;
}

// The warm-up: a download written to disk, to check that all bytes come.
bool VerifiedDownload(const fs::path& dir, int port, uint64_t bytes, std::string* error) {
  const fs::path out = dir / "download";
  fs::create_directories(out);
  std::vector<std::string> args = ClientArgs(port, kBigFile);
  args.insert(args.begin() + 1, {"--download", out.string()});
  const CommandResult run = RunCommand(args, kDownloadTimeout);
  std::error_code ec;
  const uintmax_t size = fs::file_size(out / kBigFile, ec);
  fs::remove_all(out, ec);
  if (run.exit_status == 0 && size == bytes) return true;
  *error = std::string(kGtlsClient) + " verification download failed (exit " +
           std::to_string(run.exit_status) + ", " + std::to_string(size) + " of " +
           std::to_string(bytes) + " bytes): " + run.output;
  return false;
}

bool MeasureDownloads(int port, const Ngtcp2Settings& settings, Ngtcp2Result* result) {
  std::vector<double> overheads;
  for (int i = 0; i < settings.runs; ++i) {
    const double seconds = TimedDownload(port, kSmallFile, &result->error);
    if (seconds < 0) return false;
    overheads.push_back(seconds);
  }
  const double overhead = Median(overheads);
  result->overhead_ms = overhead * 1000;
  for (int i = 0; i < settings.runs; ++i) {
    const double seconds = TimedDownload(port, kBigFile, &result->error);
    if (seconds < 0) return false;
    const double net = seconds > overhead ? seconds - overhead : seconds;
    result->download_mbps.push_back(static_cast<double>(settings.bytes) / kBytesPerMegabyte / net);
  }
  return true;
}

}  // namespace

Ngtcp2Result RunNgtcp2Pair(const Ngtcp2Settings& settings) {
  Ngtcp2Result result;
  for (const char* tool : {kGtlsServer, kGtlsClient, kOpenssl}) {
    if (access(tool, X_OK) != 0) {
      result.error = std::string(tool) +
                     " is missing (Debian packages ngtcp2-server, ngtcp2-client, openssl; "
                     "bazel/bazelw installs them)";
      return result;
    }
  }
  TempDir dir;
  Server server;
  if (dir.path.empty()) {
    result.error = "cannot make a temporary directory";
  } else if (MakeCertificate(dir.path, &result.error) &&
             MakeFiles(dir.path / "htdocs", settings.bytes, &result.error) &&
             StartServer(dir.path, &server, &result.error) &&
             VerifiedDownload(dir.path, server.port, settings.bytes, &result.error)) {
    MeasureDownloads(server.port, settings, &result);
  }
  return result;  // ~Subprocess stops the server before ~TempDir removes its files.
}

}  // namespace p2pquic::bench
