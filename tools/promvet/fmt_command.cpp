#include "fmt_command.h"

#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "feature_flags.h"
#include "io/bounded_read.h"
#include "promql/parse.h"
#include "promql/printer.h"

namespace promvet::cli {
namespace {

struct FmtOptions {
  std::string expr;
  bool expr_given = false;
  std::string file;
  size_t width = 100;
  bool experimental = false;
  std::vector<std::string> features;
};

// Far above what the parser accepts (ParseOptions::max_bytes, which gives its own error); only
// stops an endless input (/dev/zero, a pipe that never closes) from filling memory.
constexpr std::uint64_t kMaxFileBytes = 64u << 20;

int run_fmt(const FmtOptions& o) {
  if (o.expr_given == !o.file.empty()) {
    std::cerr << "promvet: error: give exactly one of -e EXPR or FILE\n";
    return 2;
  }
  std::string source = o.expr;
  if (std::string error; !o.expr_given && !io::read_file(o.file, kMaxFileBytes, &source, &error)) {
    std::cerr << "promvet: error: " << error << '\n';
    return 2;
  }
  promql::ParseOptions po = feature_parse_options(o.features, o.experimental);
  promql::ParseResult r = promql::parse(source, po);
  if (!r.ok()) {
    std::string where = o.expr_given ? std::string() : (o.file == "-" ? "<stdin>:" : o.file + ":");
    std::cerr << where << promql::format_error(source, *r.error) << '\n';
    return 1;
  }
  std::cout << promql::pretty(*r.expr, o.width) << '\n';
  return 0;
}

}  // namespace

void add_fmt_command(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<FmtOptions>();
  CLI::App* cmd = app.add_subcommand(
      "fmt",
      "Pretty-print a PromQL expression (given with -e, or read from FILE, - for stdin) as Prometheus' "
      "Pretty() does; a parse error prints LINE:COL: parse error: MESSAGE on stderr and exits 1");
  auto* e = cmd->add_option("-e,--expr", o->expr, "The expression to format");
  auto* f = cmd->add_option("file", o->file, "File holding one expression (may span lines); - for stdin");
  e->excludes(f);
  cmd->add_option("--width", o->width, "Split nodes whose one-line form is longer than this")
      ->check(CLI::Range(size_t{1}, size_t{100000}));
  cmd->add_flag("--enable-experimental-functions", o->experimental,
                "Accept Prometheus' experimental functions and aggregations (= --enable-feature="
                "promql-experimental-functions)");
  add_feature_flag(cmd, &o->features);
  cmd->callback([o, e, exit_code]() {
    o->expr_given = e->count() > 0;
    *exit_code = run_fmt(*o);
  });
}

}  // namespace promvet::cli
