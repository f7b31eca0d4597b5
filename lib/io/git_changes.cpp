#include "io/git_changes.h"

#include <algorithm>
#include <filesystem>

#include "io/subprocess.h"

namespace promvet::io {
namespace {

namespace fs = std::filesystem;

// A path in git's C-style quotes ("a\tb") as written when it has unusual characters.
std::string unquote(std::string_view s) {
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return std::string(s);
  std::string out;
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    if (s[i] != '\\' || i + 2 >= s.size()) {
      out += s[i];
      continue;
    }
    char c = s[++i];
    if (c >= '0' && c <= '7' && i + 2 < s.size() - 1) {
      out += static_cast<char>(((c - '0') << 6) | ((s[i + 1] - '0') << 3) | (s[i + 2] - '0'));
      i += 2;
      continue;
    }
    switch (c) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'r': out += '\r'; break;
      case 'v': out += '\v'; break;
      default: out += c;
    }
  }
  return out;
}

uint64_t number(std::string_view s, size_t* at) {
  uint64_t v = 0;
  while (*at < s.size() && s[*at] >= '0' && s[*at] <= '9') v = v * 10 + static_cast<uint64_t>(s[(*at)++] - '0');
  return v;
}

ProcessResult git(const std::vector<std::string>& args, int timeout_ms) {
  std::vector<std::string> argv = {"git", "-c", "core.quotePath=false"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, timeout_ms);
}

std::string first_line(const std::string& s) {
  std::string line = s.substr(0, s.find('\n'));
  return line;
}

}  // namespace

std::map<std::string, std::vector<std::pair<uint64_t, uint64_t>>> parse_diff_new_lines(std::string_view diff) {
  std::map<std::string, std::vector<std::pair<uint64_t, uint64_t>>> out;
  std::string current;                  // empty: the new side is /dev/null (a deleted file)
  uint64_t old_left = 0, new_left = 0;  // lines of the current hunk still to come
  size_t at = 0;
  while (at < diff.size()) {
    size_t nl = diff.find('\n', at);
    std::string_view line = diff.substr(at, (nl == std::string_view::npos ? diff.size() : nl) - at);
    at = nl == std::string_view::npos ? diff.size() : nl + 1;
    // A hunk's own lines first: an added line may well read "+++ x".
    if (!line.empty() && line[0] == '-' && old_left > 0) {
      --old_left;
    } else if (!line.empty() && line[0] == '+' && new_left > 0) {
      --new_left;
    } else if (!line.empty() && line[0] == '\\') {
      // "\ No newline at end of file"
    } else if (line.rfind("diff --git ", 0) == 0) {
      current.clear();
      old_left = new_left = 0;
    } else if (line.rfind("+++ ", 0) == 0) {
      std::string path = unquote(line.substr(4));
      current = path.rfind("b/", 0) == 0 ? path.substr(2) : std::string();
      if (!current.empty()) out[current];  // a file with only deletions is still listed
    } else if (line.rfind("@@ -", 0) == 0) {
      // @@ -a[,b] +c[,d] @@: lines c .. c+d-1 of the new side (counts default to 1).
      size_t p = 4;
      number(line, &p);
      old_left = 1;
      if (p < line.size() && line[p] == ',') ++p, old_left = number(line, &p);
      size_t plus = line.find(" +", p);
      if (plus == std::string_view::npos) continue;
      p = plus + 2;
      uint64_t start = number(line, &p);
      new_left = 1;
      if (p < line.size() && line[p] == ',') ++p, new_left = number(line, &p);
      if (new_left > 0 && !current.empty()) out[current].push_back({start, start + new_left - 1});
    }
  }
  return out;
}

bool ChangedLines::touches(const std::string& path, uint64_t first, uint64_t last) const {
  std::string p = resolved_path(path);
  if (std::find(whole_.begin(), whole_.end(), p) != whole_.end()) return true;
  auto it = ranges_.find(p);
  if (it == ranges_.end()) return false;
  if (first == 0) return true;
  last = std::max(first, last);
  for (const auto& [a, b] : it->second)
    if (a <= last && first <= b) return true;
  return false;
}

std::string resolved_path(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (ec) return fs::absolute(path).lexically_normal().string();
  return p.string();
}

bool git_changed_lines(const std::string& dir, const std::optional<std::string>& ref, ChangedLines* out,
                       std::string* error, int timeout_ms) {
  ProcessResult top = git({"-C", dir, "rev-parse", "--show-toplevel"}, timeout_ms);
  if (!top.error.empty()) {
    *error = top.error;
    return false;
  }
  if (top.exit_code != 0) {
    *error = "--changed-since: " + dir + " is not inside a git repository (" + first_line(top.err) + ")";
    return false;
  }
  std::string root = first_line(top.out);
  std::vector<std::string> diff = {"-C",
                                   root,
                                   "diff",
                                   "--unified=0",
                                   "--no-color",
                                   "--no-ext-diff",
                                   "--no-renames",
                                   "--src-prefix=a/",
                                   "--dst-prefix=b/"};
  if (ref) {
    if (ref->empty() || ref->front() == '-') {
      *error = "--changed-since: unknown revision '" + *ref + "'";
      return false;
    }
    ProcessResult verify = git({"-C", root, "rev-parse", "--verify", "--quiet", *ref + "^{commit}"}, timeout_ms);
    if (!verify.error.empty() || verify.exit_code != 0) {
      *error = verify.error.empty() ? "--changed-since: unknown revision '" + *ref + "'" : verify.error;
      return false;
    }
    diff.push_back(first_line(verify.out));
  } else {
    diff.push_back("--cached");  // pre-commit: what the commit will hold
  }
  diff.push_back("--");
  ProcessResult d = git(diff, timeout_ms);
  if (!d.error.empty() || d.exit_code != 0) {
    *error = d.error.empty() ? "git diff failed: " + first_line(d.err) : d.error;
    return false;
  }
  for (const auto& [path, ranges] : parse_diff_new_lines(d.out)) {
    std::string full = resolved_path(root + "/" + path);
    if (ranges.empty()) out->add_range(full, 0, 0);  // touched, no line left to blame
    for (const auto& [a, b] : ranges) out->add_range(full, a, b);
  }
  if (ref) {
    ProcessResult others = git({"-C", root, "ls-files", "-z", "--others", "--exclude-standard"}, timeout_ms);
    if (!others.error.empty() || others.exit_code != 0) {
      *error = others.error.empty() ? "git ls-files failed: " + first_line(others.err) : others.error;
      return false;
    }
    size_t at = 0;
    while (at < others.out.size()) {
      size_t end = others.out.find('\0', at);
      if (end == std::string::npos) end = others.out.size();
      if (end > at) out->add_whole_file(resolved_path(root + "/" + others.out.substr(at, end - at)));
      at = end + 1;
    }
  }
  return true;
}

}  // namespace promvet::io
