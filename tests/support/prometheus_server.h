// Starts the real Prometheus server (Debian's `prometheus`) on 127.0.0.1 with a free port and a
// temporary data directory, scraping one loopback target every second. Bounded and
// self-stopping: the server runs under `timeout`, gets SIGTERM when the test process dies
// (PR_SET_PDEATHSIG), and stop() terminates it and removes the directory.
//
//   PrometheusServer p;
//   if (!p.available()) GTEST_SKIP() << "prometheus not installed";
//   ASSERT_TRUE(p.start(target_host_port, "/file", {{"path", fixture}})) << p.log();
//   ASSERT_TRUE(p.wait_for_scrape()) << p.log();
//   read_prometheus_api(p.url(), ...);
#pragma once

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>

#include "../test_support.h"
#include "fixture_server.h"
#include "inventory/http_fetch.h"

namespace promvet::test {

class PrometheusServer {
 public:
  PrometheusServer() = default;
  PrometheusServer(const PrometheusServer&) = delete;  // owns a process and a directory
  PrometheusServer& operator=(const PrometheusServer&) = delete;
  ~PrometheusServer() { stop(); }

  static bool available() { return have_program("prometheus"); }

  // Scrapes http://<target><metrics_path>?<params> every second.
  bool start(const std::string& target, const std::string& metrics_path,
             const std::map<std::string, std::string>& params, int max_seconds = 240) {
    char tmpl[] = "/tmp/promvet-prometheus-XXXXXX";
    if (!mkdtemp(tmpl)) return false;
    dir_ = tmpl;
    port_ = closed_port();
    std::ofstream cfg(dir_ + "/prometheus.yml");
    cfg << "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        << "scrape_configs:\n  - job_name: fixture\n    metrics_path: " << metrics_path << "\n";
    if (!params.empty()) {
      cfg << "    params:\n";
      for (const auto& [k, v] : params) cfg << "      " << k << ": ['" << v << "']\n";
    }
    cfg << "    static_configs:\n      - targets: ['" << target << "']\n";
    cfg.close();
    std::string listen = "--web.listen-address=127.0.0.1:" + std::to_string(port_);
    std::string config = "--config.file=" + dir_ + "/prometheus.yml";
    std::string data = "--storage.tsdb.path=" + dir_ + "/data";
    std::string seconds = std::to_string(max_seconds);
    std::string log = dir_ + "/log";
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
      }
      execlp("timeout", "timeout", seconds.c_str(), "prometheus", config.c_str(), data.c_str(), listen.c_str(),
             "--storage.tsdb.retention.time=1h", "--log.level=warn", (char*)nullptr);
      _exit(127);
    }
    if (pid_ < 0) return false;
    return wait_until([&] { return get("/-/ready").find("Ready") != std::string::npos; }, 60);
  }

  // Until the target has been scraped successfully (up == 1).
  bool wait_for_scrape(int seconds = 60) {
    return wait_until([&] { return get("/api/v1/query?query=up%3D%3D1").find("\"fixture\"") != std::string::npos; },
                      seconds);
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string log() const { return dir_.empty() ? "" : read_file(dir_ + "/log"); }

  void stop() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      for (int i = 0; i < 100 && waitpid(pid_, nullptr, WNOHANG) == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (waitpid(pid_, nullptr, WNOHANG) == 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
      }
      pid_ = -1;
    }
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
      dir_.clear();
    }
  }

 private:
  std::string get(const std::string& path) const {
    inventory::FetchOptions o;
    o.timeout_seconds = 2;
    o.accept = "*/*";
    std::string body;
    inventory::fetch(
        url() + path, o, [](std::string_view) {},
        [&](std::string_view c) {
          body.append(c);
          return true;
        });
    return body;
  }

  template <class F>
  bool wait_until(F ready, int seconds) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < until) {
      if (ready()) return true;
      if (pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;  // exited early: the log says why
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }

  pid_t pid_ = -1;
  int port_ = 0;
  std::string dir_;
};

}  // namespace promvet::test
