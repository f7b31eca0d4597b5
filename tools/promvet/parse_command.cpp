#include "parse_command.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "promql/ast_json.h"
#include "promql/parse.h"

namespace promvet::cli {
namespace {

struct ParseCommandOptions {
  std::string expr;
  bool expr_given = false;
  std::string each_line;
  bool json = false;
  bool experimental = false;
};

// "L:C: parse error: MSG" → "L:C: MSG" (the --each-line form).
std::string without_parse_error(std::string formatted) {
  static const std::string kTag = " parse error:";
  size_t at = formatted.find(kTag);
  if (at != std::string::npos) formatted.erase(at, kTag.size());
  return formatted;
}

int run_one(const ParseCommandOptions& o) {
  promql::ParseOptions po;
  po.enable_experimental_functions = o.experimental;
  promql::ParseResult r = promql::parse(o.expr, po);
  if (!r.ok()) {
    std::cout << promql::format_error(o.expr, *r.error) << '\n';
    return 1;
  }
  if (o.json) std::cout << promql::to_json(*r.expr, o.expr, 2) << '\n';
  return 0;
}

int run_each_line(const ParseCommandOptions& o) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (o.each_line != "-") {
    file.open(o.each_line, std::ios::binary);
    if (!file) {
      std::cerr << "promvet: error: cannot open " << o.each_line << '\n';
      return 2;
    }
    in = &file;
  }
  promql::ParseOptions po;
  po.enable_experimental_functions = o.experimental;
  std::ios::sync_with_stdio(false);
  std::string line;
  std::string out;
  out.reserve(1 << 16);
  bool all_ok = true;
  while (std::getline(*in, line)) {
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
      std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
      out.clear();
    }
  }
  if (in->bad()) {
    std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
    std::cout.flush();
    std::cerr << "promvet: error: cannot read " << o.each_line << '\n';
    return 2;
  }
  std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
  std::cout.flush();
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
      "parse", "Check PromQL expressions: nothing is printed for a valid one (or its AST with --json); an invalid "
               "one prints LINE:COL: parse error: MESSAGE and exits 1");
  auto* e = cmd->add_option("-e,--expr", o->expr, "The expression to check");
  auto* each = cmd->add_option("--each-line", o->each_line,
                               "Check every line of FILE (- for stdin) as one expression; prints ok or "
                               "error: LINE:COL: MESSAGE per line");
  e->excludes(each);
  cmd->add_flag("--json", o->json, "Print the AST of a valid expression as JSON");
  cmd->add_flag("--enable-experimental-functions", o->experimental,
                "Accept Prometheus' experimental functions and aggregations (limitk, sort_by_label, ...)");
  cmd->callback([o, e, exit_code]() {
    o->expr_given = e->count() > 0;
    *exit_code = run_parse(*o);
  });
}

}  // namespace promvet::cli
