#include "test_support.h"

#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace promvet::test {

std::string source_dir() { return PROMVET_SOURCE_DIR; }
std::string testdata(const std::string& rel) { return source_dir() + "/testdata/" + rel; }

std::string shared_dir() {
  std::string dir = source_dir() + "/../shared";
  return access(dir.c_str(), R_OK) == 0 ? dir : std::string();
}

namespace {
std::string env_or_shared(const char* variable, const std::string& below_shared) {
  if (const char* env = std::getenv(variable); env != nullptr && *env != '\0') return env;
  std::string shared = shared_dir();
  return shared.empty() ? "" : shared + "/" + below_shared;
}
bool is_directory(const std::string& path) { return !path.empty() && access((path + "/.").c_str(), R_OK) == 0; }
}  // namespace

std::string realworld_corpus_dir() {
  std::string dir = env_or_shared("PROMVET_REALWORLD_DIR", "corpus/realworld");
  return is_directory(dir) ? dir : "";
}

std::string upstream_cases_dir(const std::string& kind) {
  std::string base = env_or_shared("PROMVET_UPSTREAM_DIR", "upstream");
  std::string dir = base.empty() ? "" : base + "/" + kind;
  return is_directory(dir) ? dir : "";
}

std::string unescape_upstream_field(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    char e = s[++i];
    if (e == 'x' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e;
    }
  }
  return out;
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
  std::string cmd = "timeout -k 5 " + std::to_string(timeout_seconds) + " /bin/sh -c '";
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

std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") names.push_back(n);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

int for_each_exposition_case(ExpositionCases which, const std::function<void(const ExpositionCase&)>& visit) {
  int inputs = 0;
  if (which == ExpositionCases::kCorpus) {
    const std::string shared = shared_dir();
    if (shared.empty()) return 0;
    const std::string dir = shared + "/corpus/openmetrics-parsers";
    for (const std::string& c : list_dir(dir)) {
      const std::string path = dir + "/" + c + "/metrics";
      if (!std::ifstream(path)) continue;  // LICENSE and other files beside the cases
      const std::string text = read_file(path);
      visit(ExpositionCase{c, text, true});
      visit(ExpositionCase{c + " as text", text, false});
      ++inputs;
    }
    return inputs;
  }
  for (const char* sub : {"expfmt", "examples"}) {
    const std::string dir = testdata(sub);
    for (const std::string& f : list_dir(dir)) {
      visit(ExpositionCase{f, read_file(dir + "/" + f), f.find(".om") != std::string::npos});
      ++inputs;
    }
  }
  return inputs;
}

}  // namespace promvet::test
