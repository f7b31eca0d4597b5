#include "metrics_command.h"

#include "input_flags.h"
#include "policy_packs.h"

#include <algorithm>
#include <iostream>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "checks/finding.h"
#include "checks/registry.h"
#include "expfmt/lint.h"
#include "expfmt/parser.h"
#include "expfmt/tee_handler.h"
#include "inventory/input_source.h"
#include "io/bounded_read.h"
#include "naming/policy.h"
#include "report/report.h"

namespace promvet::cli {
namespace {

using checks::Finding;
using checks::Severity;

struct MetricsOptions {
  std::vector<std::string> inputs;
  InputFlags input;
  bool no_lint = false;
  bool promlint_only = false;
  std::string output = "text";
  std::string fail_on = "warning";
  std::vector<std::string> disable;
  std::size_t max_label_values = 1000;
  std::size_t max_line_bytes = 8u << 20;
  bool list_checks = false;
  std::vector<std::string> policies;
};

// Spec violations become findings as they stream by; nothing else is kept.
class DiagnosticCollector : public expfmt::Handler {
 public:
  DiagnosticCollector(std::string file, std::vector<Finding>& out) : file_(std::move(file)), out_(out) {}
  void on_error(const expfmt::Diagnostic& d) override {
    Finding f;
    f.check_id = std::string(d.check_id);
    f.severity = d.severity;
    f.message = d.message;
    f.file = file_;
    f.line = d.pos.line;
    f.column = d.pos.column;
    f.source_line = d.line;
    out_.push_back(std::move(f));
  }

 private:
  std::string file_;
  std::vector<Finding>& out_;
};

// The default severity of a lint or policy id (the check registry's).
Severity default_severity(std::string_view id) {
  const checks::CheckInfo* info = checks::builtin_registry().info(id);
  return info ? info->severity : Severity::kWarning;
}

// A policy pack is a short YAML file; the bound only keeps /dev/zero from filling memory.
constexpr std::uint64_t kMaxPolicyBytes = 64u << 20;

// Reads and parses every --policy pack; false (errors on stderr) if any fails.
bool load_policies(const std::vector<std::string>& paths, std::vector<naming::Policy>* out) {
  bool ok = true;
  for (const std::string& arg : paths) {
    std::string path;
    if (!resolve_policy_pack(arg, "", &path)) {
      ok = false;
      continue;
    }
    std::string text, error;
    if (!io::read_file(path, kMaxPolicyBytes, &text, &error)) {
      std::cerr << "promvet: error: --policy: " << error << '\n';
      ok = false;
      continue;
    }
    std::vector<naming::PolicyError> errors;
    std::optional<naming::Policy> policy = naming::Policy::parse(text, path, &errors);
    for (const naming::PolicyError& e : errors) std::cerr << e.to_string() << '\n';
    if (policy) {
      out->push_back(std::move(*policy));
    } else {
      ok = false;
    }
  }
  return ok;
}

// Lint and policy problems carry the same fields; both become findings here.
template <typename Problem>
Finding problem_finding(Problem&& p, Severity severity, const std::string& file) {
  Finding f;
  f.check_id = std::string(p.check_id);
  f.severity = severity;
  f.message = std::move(p.message);
  f.file = file;
  f.line = p.pos.line;
  f.column = p.pos.column;
  f.metric = std::move(p.metric);
  f.source_line = std::move(p.line);
  return f;
}

// Exposition validation and lints for one input. Returns false when the
// input could not be read at all (exit code 2).
bool check_input(const std::string& input, const MetricsOptions& o, const inventory::FetchOptions& fetch_options,
                 const std::vector<naming::Policy>& policies, std::vector<Finding>& out) {
  std::string file = input == "-" ? "<stdin>" : inventory::redact_url(input);
  DiagnosticCollector collector(file, out);
  std::unique_ptr<expfmt::Linter> linter;
  std::unique_ptr<expfmt::TeeHandler> tee;
  std::unique_ptr<expfmt::Parser> parser;
  std::vector<std::unique_ptr<naming::PolicyChecker>> policy_checkers;
  std::vector<std::unique_ptr<expfmt::TeeHandler>> policy_tees;
  bool refused = false;

  auto on_start = [&](const inventory::InputStart& start) {
    if (std::string refusal = content_type_refusal(o.input, start); !refusal.empty()) {
      Finding f;
      f.check_id = std::string(expfmt::ids::kContentType);
      f.severity = Severity::kError;
      f.message = std::move(refusal);
      f.file = file;
      out.push_back(std::move(f));
      refused = true;
      return;
    }
    const expfmt::Format format = choose_format(o.input, start);
    expfmt::ParserOptions po;
    po.format = format;
    po.max_line_bytes = o.max_line_bytes;
    po.lex_thread = true;  // same findings; large inputs are lexed on a second core
    expfmt::Handler* handler = &collector;
    if (!o.no_lint) {
      expfmt::LinterOptions lo;
      lo.extended = !o.promlint_only;
      lo.max_label_values = o.max_label_values;
      linter = std::make_unique<expfmt::Linter>(format, lo);
      tee = std::make_unique<expfmt::TeeHandler>(collector, *linter);
      handler = tee.get();
    }
    for (const naming::Policy& policy : policies) {
      policy_checkers.push_back(std::make_unique<naming::PolicyChecker>(policy));
      policy_tees.push_back(std::make_unique<expfmt::TeeHandler>(*handler, *policy_checkers.back()));
      handler = policy_tees.back().get();
    }
    parser = std::make_unique<expfmt::Parser>(po, *handler);
  };
  auto on_chunk = [&](std::string_view chunk) {
    if (refused) return false;
    parser->feed(chunk);
    return true;
  };

  inventory::ReadResult r =
      inventory::read_input(input, fetch_options, on_start, on_chunk, make_input_limits(o.input, o.max_line_bytes));
  if (refused) return true;
  if (!r.ok) {
    // What the parser said about a body cut short (a "line too long" from a gzip bomb, a last
    // line without its newline) is about the cut, not about the endpoint.
    std::cerr << "promvet: error: " << r.error;
    if (!out.empty()) std::cerr << " (" << out.size() << " findings in the part read are not reported)";
    std::cerr << '\n';
    out.clear();
    return false;
  }
  parser->finish();
  if (linter) {
    for (expfmt::LintProblem& p : linter->finish()) {
      out.push_back(problem_finding(std::move(p), default_severity(p.check_id), file));
    }
  }
  for (const auto& checker : policy_checkers) {
    for (naming::PolicyProblem& p : checker->take_problems()) {
      out.push_back(problem_finding(std::move(p), default_severity(p.check_id), file));
    }
  }
  return true;
}

void list_checks() {
  auto print = [](fmt::string_view format, const auto&... args) {
    std::cout << fmt::vformat(format, fmt::make_format_args(args...));
  };
  print("{:<34} {:<8} {:<9} {}\n", "id", "severity", "promtool", "summary");
  for (const checks::CheckInfo& c : checks::builtin_registry().catalogue(checks::kMetricsCommand)) {
    std::string summary(c.summary);
    if (c.needs & checks::kNeedsPolicies) summary += " (with --policy)";
    print("{:<34} {:<8} {:<9} {}\n", c.id, checks::severity_name(c.severity), c.promtool ? "yes" : "no", summary);
  }
}

int run_metrics(const MetricsOptions& o) {
  if (o.list_checks) {
    list_checks();
    return 0;
  }
  if (o.inputs.empty()) {
    std::cerr << "promvet: error: no INPUT given (a file, - for stdin, or an http(s) URL)\n";
    return 2;
  }
  inventory::FetchOptions fetch_options;
  if (std::string error; !make_fetch_options(o.input, &fetch_options, &error)) {
    std::cerr << "promvet: error: " << error << '\n';
    return 2;
  }
  for (const std::string& id : o.disable) {
    // Exact ids only: --disable takes no family patterns.
    std::string error = id.find('*') != std::string::npos
                            ? "no such check \"" + id + "\" (see --list-checks)"
                            : checks::unknown_check_error(checks::builtin_registry(), id, checks::kMetricsCommand);
    if (!error.empty()) {
      std::cerr << "promvet: error: --disable: " << error << '\n';
      return 2;
    }
  }

  std::vector<naming::Policy> policies;
  if (!load_policies(o.policies, &policies)) return 2;

  bool tool_failed = false;
  std::vector<Finding> findings;
  for (const std::string& input : o.inputs) {
    std::vector<Finding> per_input;
    if (!check_input(input, o, fetch_options, policies, per_input)) tool_failed = true;
    std::stable_sort(per_input.begin(), per_input.end(), [](const Finding& a, const Finding& b) {
      return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    for (Finding& f : per_input) {
      if (std::find(o.disable.begin(), o.disable.end(), f.check_id) != o.disable.end()) continue;
      findings.push_back(std::move(f));
    }
  }

  if (o.output == "json") {
    report::write_json(std::cout, findings);
  } else {
    report::write_text(std::cout, findings);
  }
  if (tool_failed) return 2;
  Severity threshold = checks::parse_severity(o.fail_on).value_or(Severity::kWarning);
  for (const Finding& f : findings) {
    if (f.severity >= threshold) return 1;
  }
  return 0;
}

}  // namespace

void add_metrics_command(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<MetricsOptions>();
  CLI::App* cmd = app.add_subcommand("metrics",
                                     "Validate Prometheus text 0.0.4 / OpenMetrics 1.0 expositions and lint them like "
                                     "`promtool check metrics` (and more)");
  cmd->add_option("INPUT", o->inputs, "A file, - for stdin, or an http(s):// /metrics URL");
  add_input_flags(cmd, &o->input);
  cmd->add_flag("--no-lint", o->no_lint, "Only validate against the format specification");
  cmd->add_flag("--promlint-only", o->promlint_only, "Run only the lints `promtool check metrics` has");
  cmd->add_option("--output,-o", o->output, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--fail-on", o->fail_on, "Exit 1 when a finding has at least this severity")
      ->check(CLI::IsMember({"info", "warning", "error"}))
      ->capture_default_str();
  cmd->add_option("--disable", o->disable, "Turn off a check by id (repeatable)")->allow_extra_args(false);
  cmd->add_option("--max-label-values", o->max_label_values,
                  "expfmt/high-cardinality fires above this many values of one label in a family")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--max-line-bytes", o->max_line_bytes,
                  "Longer lines are an error and skipped; one that runs on for 64 MiB more without a newline "
                  "stops reading (exit 2)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_flag("--list-checks", o->list_checks, "List the check ids with severity and summary");
  cmd->add_option("--policy", o->policies,
                  "Apply a naming-policy pack (policies/*.yaml, see docs/policies.md; repeatable)")
      ->allow_extra_args(false);
  cmd->callback([o, exit_code]() { *exit_code = run_metrics(*o); });
}

}  // namespace promvet::cli
