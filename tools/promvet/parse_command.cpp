#include "parse_command.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "promql/ast_json.h"
#include "feature_flags.h"
#include "promql/parse.h"

namespace promvet::cli {
namespace {

struct ParseCommandOptions {
  std::string expr;
  bool expr_given = false;
  std::string each_line;
  bool json = false;
  bool experimental = false;
  std::vector<std::string> features;
};

// "L:C: parse error: MSG" → "L:C: MSG" (the --each-line form).
std::string without_parse_error(std::string formatted) {
  static const std::string kTag = " parse error:";
  size_t at = formatted.find(kTag);
  if (at != std::string::npos) formatted.erase(at, kTag.size());
  return formatted;
}

int run_one(const ParseCommandOptions& o) {
  promql::ParseOptions po = feature_parse_options(o.features, o.experimental);
  promql::ParseResult r = promql::parse(o.expr, po);
  if (!r.ok()) {
    std::cout << promql::format_error(o.expr, *r.error) << '\n';
    return 1;
  }
  if (o.json) std::cout << promql::to_json(*r.expr, o.expr, 2) << '\n';
  return 0;
}

// A line longer than the parser accepts is kept only up to that size plus one byte (the parser
// refuses it with its own message); the rest is skipped, but a run this much longer without a
// newline (/dev/zero, `yes | tr -d '\n'`) stops reading instead of being skipped forever.
constexpr std::size_t kLineRunSlack = 64u << 20;

int run_each_line(const ParseCommandOptions& o) {
  const bool from_stdin = o.each_line == "-";
  const std::string name = from_stdin ? "<stdin>" : o.each_line;
  int fd = from_stdin ? STDIN_FILENO : ::open(o.each_line.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    std::cerr << "promvet: error: cannot open " << o.each_line << ": " << std::strerror(errno) << '\n';
    return 2;
  }
  promql::ParseOptions po = feature_parse_options(o.features, o.experimental);
  const std::size_t keep = po.max_bytes + 1;
  std::string line;
  std::size_t line_bytes = 0;  // the whole line so far, also what was not kept
  std::uint64_t line_no = 1;
  std::string out;
  out.reserve(1 << 16);
  bool all_ok = true;
  auto finish_line = [&] {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    promql::ParseResult r = promql::parse(line, po);
    if (r.ok()) {
      out += "ok\n";
    } else {
      all_ok = false;
      out += "error: ";
      out += without_parse_error(promql::format_error(line, *r.error));
      out += '\n';
    }
    if (out.size() >= (1 << 16)) {
      std::cout << out;
      out.clear();
    }
    line.clear();
    line_bytes = 0;
    ++line_no;
  };
  std::string error;
  std::vector<char> buf(1 << 20);
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = "cannot read " + o.each_line + ": " + std::strerror(errno);
      break;
    }
    if (n == 0) {
      if (line_bytes > 0) finish_line();  // a last line without its newline
      break;
    }
    std::string_view chunk(buf.data(), static_cast<std::size_t>(n));
    while (!chunk.empty()) {
      std::size_t nl = chunk.find('\n');
      std::string_view piece = chunk.substr(0, nl);
      if (line.size() < keep) line.append(piece.substr(0, keep - line.size()));
      line_bytes += piece.size();
      if (nl == std::string_view::npos) break;
      finish_line();
      chunk.remove_prefix(nl + 1);
    }
    if (line_bytes > keep + kLineRunSlack) {
      error = "\"" + name + "\": line " + std::to_string(line_no) + " runs on for more than " +
              std::to_string(keep + kLineRunSlack) + " bytes without a newline; reading stopped";
      break;
    }
  }
  if (!from_stdin) ::close(fd);
  std::cout << out;
  if (!error.empty()) {
    std::cerr << "promvet: error: " << error << '\n';
    return 2;
  }
  return all_ok ? 0 : 1;
}

int run_parse(const ParseCommandOptions& o) {
  if (o.expr_given == !o.each_line.empty()) {
    std::cerr << "promvet: error: give exactly one of -e EXPR or --each-line FILE\n";
    return 2;
  }
  if (o.json && !o.each_line.empty()) {
    std::cerr << "promvet: error: --json applies to -e EXPR only\n";
    return 2;
  }
  return o.expr_given ? run_one(o) : run_each_line(o);
}

}  // namespace

void add_parse_command(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<ParseCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "parse",
      "Check PromQL expressions: nothing is printed for a valid one (or its AST with --json); an invalid "
      "one prints LINE:COL: parse error: MESSAGE and exits 1");
  auto* e = cmd->add_option("-e,--expr", o->expr, "The expression to check");
  auto* each = cmd->add_option("--each-line", o->each_line,
                               "Check every line of FILE (- for stdin) as one expression; prints ok or "
                               "error: LINE:COL: MESSAGE per line");
  e->excludes(each);
  cmd->add_flag("--json", o->json, "Print the AST of a valid expression as JSON");
  cmd->add_flag("--enable-experimental-functions", o->experimental,
                "Accept Prometheus' experimental functions and aggregations (limitk, sort_by_label, ...); "
                "the same as --enable-feature=promql-experimental-functions");
  add_feature_flag(cmd, &o->features);
  cmd->callback([o, e, exit_code]() {
    o->expr_given = e->count() > 0;
    *exit_code = run_parse(*o);
  });
}

}  // namespace promvet::cli
