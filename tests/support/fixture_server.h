// Starts tests/support/http_fixture_server.py for a test binary and knows
// its port. The child exits when its stdin (our pipe) closes, so a crashed
// or killed test binary cannot leave it running; stop() also reaps it.
//
//   FixtureServer s;
//   if (!s.start()) GTEST_SKIP() << "no python3";
//   fetch(s.url("/metrics"), ...);
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "../test_support.h"

namespace promvet::test {

class FixtureServer {
 public:
  FixtureServer() = default;
  FixtureServer(const FixtureServer&) = delete;  // owns a child process
  FixtureServer& operator=(const FixtureServer&) = delete;
  ~FixtureServer() { stop(); }

  // With a certificate and key (PEM files), the server speaks HTTPS and url() says so.
  bool start(int max_seconds = 120, const std::string& tls_cert = "", const std::string& tls_key = "") {
    if (!have_program("python3")) return false;
    std::string script = source_dir() + "/tests/support/http_fixture_server.py";
    std::string max = std::to_string(max_seconds);
    std::vector<const char*> argv = {"python3", script.c_str(), "--max-seconds", max.c_str()};
    if (!tls_cert.empty()) argv.insert(argv.end(), {"--tls-cert", tls_cert.c_str(), "--tls-key", tls_key.c_str()});
    argv.push_back(nullptr);
    scheme_ = tls_cert.empty() ? "http" : "https";
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) != 0) return false;
    if (pipe2(out, O_CLOEXEC) != 0) {
      close(in[0]);
      close(in[1]);
      return false;
    }
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      execvp("python3", const_cast<char* const*>(argv.data()));
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    stdout_ = out[0];
    if (pid_ < 0) {
      stop();
      return false;
    }
    // The first stdout line is the port; python gets 15 s to print it.
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{stdout_, POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) continue;
      char buf[64];
      ssize_t n = read(stdout_, buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<size_t>(n));
    }
    port_ = std::atoi(line.c_str());
    if (port_ <= 0) stop();
    return port_ > 0;
  }

  void stop() {
    if (stdin_ >= 0) close(stdin_);
    stdin_ = -1;
    if (pid_ > 0) {
      for (int i = 0; i < 50 && pid_ > 0; ++i) {
        if (waitpid(pid_, nullptr, WNOHANG) == pid_) pid_ = -1;
        else std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      if (pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
      }
    }
    pid_ = -1;
    if (stdout_ >= 0) close(stdout_);
    stdout_ = -1;
    port_ = 0;
  }

  int port() const { return port_; }
  std::string url(const std::string& path) const { return scheme_ + "://127.0.0.1:" + std::to_string(port_) + path; }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  int port_ = 0;
  std::string scheme_ = "http";
};

// A loopback port nothing listens on: bound, then closed without listen().
inline int closed_port() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  close(s);
  return ntohs(a.sin_port);
}

// A gtest fixture whose test suite shares one server; its tests skip when
// python3 is missing.
class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new FixtureServer;
    if (!server_->start()) {
      delete server_;
      server_ = nullptr;
    }
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    if (server_ == nullptr) GTEST_SKIP() << "python3 fixture server unavailable";
  }
  static std::string url(const std::string& path) { return server_->url(path); }

 private:
  static inline FixtureServer* server_ = nullptr;
};

}  // namespace promvet::test
