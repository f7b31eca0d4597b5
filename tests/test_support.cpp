#include "test_support.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace promvet::test {

std::string source_dir() { return PROMVET_SOURCE_DIR; }
std::string testdata(const std::string& rel) { return source_dir() + "/testdata/" + rel; }

std::string shared_dir() {
  std::string dir = source_dir() + "/../shared";
  return access(dir.c_str(), R_OK) == 0 ? dir : std::string();
}

std::string cli() { return PROMVET_CLI; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool have_program(const std::string& name) {
  std::string cmd = "command -v " + name + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

std::string write_temp(const std::string& name, const std::string& content) {
  std::string path = "/tmp/promvet-test-" + std::to_string(::getpid()) + "-" + name;
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f) {
    std::fwrite(content.data(), 1, content.size(), f);
    std::fclose(f);
  }
  return path;
}

std::string shell_quote(const std::string& s) { return "'" + s + "'"; }

namespace {
std::string slurp_and_remove(const std::string& path) {
  std::string s = read_file(path);
  std::remove(path.c_str());
  return s;
}
}  // namespace

CommandResult run(const std::string& shell_command, int timeout_seconds) {
  char out_tmpl[] = "/tmp/promvet-test-out-XXXXXX";
  char err_tmpl[] = "/tmp/promvet-test-err-XXXXXX";
  int out_fd = mkstemp(out_tmpl);
  int err_fd = mkstemp(err_tmpl);
  close(out_fd);
  close(err_fd);
  std::string cmd = "timeout -k 5 " + std::to_string(timeout_seconds) + " /bin/sh -c '" ;
  for (char c : shell_command) {
    if (c == '\'') cmd += "'\\''";
    else cmd += c;
  }
  cmd += "' </dev/null >" + std::string(out_tmpl) + " 2>" + std::string(err_tmpl);
  int status = std::system(cmd.c_str());
  CommandResult r;
  r.out = slurp_and_remove(out_tmpl);
  r.err = slurp_and_remove(err_tmpl);
  if (status != -1 && WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  return r;
}

}  // namespace promvet::test
