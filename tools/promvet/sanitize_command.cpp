#include "sanitize_command.h"

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "naming/names.h"

namespace promvet::cli {
namespace {

struct SanitizeOptions {
  std::vector<std::string> metrics;
  std::vector<std::string> labels;
  std::string escaping;
  bool unescape = false;
};

// One name; false when it has no usable result (reported on stderr).
bool convert(const std::string& name, naming::NameKind kind, const SanitizeOptions& o,
             std::optional<naming::EscapingScheme> scheme) {
  if (!scheme) {
    naming::SanitizeResult r =
        kind == naming::NameKind::kMetric ? naming::sanitize_metric_name(name) : naming::sanitize_label_name(name);
    if (!r.ok) {
      std::cerr << "promvet: error: " << r.error << '\n';
      return false;
    }
    std::cout << r.name << '\n';
    return true;
  }
  if (o.unescape) {
    std::optional<std::string> back = naming::unescape_name(name, *scheme);
    if (!back) {
      std::cerr << "promvet: error: \"" << name << "\" cannot be unescaped with the "
                << naming::escaping_scheme_name(*scheme) << " scheme"
                << (*scheme == naming::EscapingScheme::kUnderscores ? " (it is lossy)" : "") << '\n';
      return false;
    }
    std::cout << *back << '\n';
    return true;
  }
  std::string escaped = naming::escape_name(name, *scheme, kind);
  if (escaped.empty()) {
    std::cerr << "promvet: error: cannot escape an empty name\n";
    return false;
  }
  std::cout << escaped << '\n';
  if (!naming::escaping_is_reversible(name, *scheme, kind)) {
    std::cerr << "promvet: note: \"" << escaped << "\" cannot be unescaped back to \"" << name << "\" ("
              << naming::escaping_scheme_name(*scheme) << " is lossy for it)\n";
  }
  return true;
}

int run_sanitize(const SanitizeOptions& o) {
  if (o.metrics.empty() && o.labels.empty()) {
    std::cerr << "promvet: error: give --metric NAME... or --label NAME...\n";
    return 2;
  }
  std::optional<naming::EscapingScheme> scheme;
  if (!o.escaping.empty()) scheme = naming::parse_escaping_scheme(o.escaping);
  if (o.unescape && !scheme) {
    std::cerr << "promvet: error: --unescape needs --escaping dots or values\n";
    return 2;
  }
  bool all_ok = true;
  for (const std::string& n : o.metrics) all_ok &= convert(n, naming::NameKind::kMetric, o, scheme);
  for (const std::string& n : o.labels) all_ok &= convert(n, naming::NameKind::kLabel, o, scheme);
  std::cout.flush();
  return all_ok ? 0 : 1;
}

}  // namespace

void add_sanitize_command(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<SanitizeOptions>();
  CLI::App* cmd =
      app.add_subcommand("sanitize",
                         "Turn names into valid Prometheus metric or label names (one result per line), or escape "
                         "and unescape them with a Prometheus 3 escaping scheme");
  auto* metric = cmd->add_option("--metric", o->metrics, "Metric names to sanitize (colons kept)");
  auto* label =
      cmd->add_option("--label", o->labels, "Label names to sanitize (no colons, never a reserved \"__\" name)");
  metric->excludes(label);
  cmd->add_option("--escaping", o->escaping, "Escape with this Prometheus 3 scheme instead of sanitizing")
      ->check(CLI::IsMember({"underscores", "dots", "values"}));
  cmd->add_flag("--unescape", o->unescape, "Reverse --escaping (dots and values only)");
  cmd->callback([o, exit_code]() { *exit_code = run_sanitize(*o); });
}

}  // namespace promvet::cli
