#include "lint_fuzz_common.h"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <cstring>
#include <string>
#include <unordered_set>

#include "checks/registry.h"
#include "inventory/inventory.h"
#include "naming/policy.h"

namespace promvet::fuzz {
namespace {

// A few families of every type, with labels and values the checks look up.
constexpr std::string_view kInventory = R"(# HELP http_requests_total Requests.
# TYPE http_requests_total counter
http_requests_total{job="api",code="200",method="GET"} 10
http_requests_total{job="api",code="500",method="POST"} 1
# HELP request_duration_seconds Latency.
# TYPE request_duration_seconds histogram
request_duration_seconds_bucket{job="api",le="0.1"} 1
request_duration_seconds_bucket{job="api",le="+Inf"} 2
request_duration_seconds_sum{job="api"} 0.3
request_duration_seconds_count{job="api"} 2
# HELP rpc_latency_seconds RPC latency.
# TYPE rpc_latency_seconds summary
rpc_latency_seconds{job="api",quantile="0.5"} 0.1
rpc_latency_seconds_sum{job="api"} 1
rpc_latency_seconds_count{job="api"} 10
# HELP up Up.
# TYPE up gauge
up{job="api",instance="a:9090"} 1
# HELP vllm:num_requests_running Running.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{model_name="m"} 1
# HELP vllm:gpu_cache_usage_perc Old.
# TYPE vllm:gpu_cache_usage_perc gauge
vllm:gpu_cache_usage_perc{model_name="m"} 0.5
# HELP vllm:prompt_tokens_total Tokens.
# TYPE vllm:prompt_tokens_total counter
vllm:prompt_tokens_total{model_name="m"} 5
)";

// Minimal copy of policies/vllm.yaml's deprecations (the file is read at init when found).
constexpr std::string_view kFallbackPolicy = R"(name: vllm
product: vLLM
deprecated:
  - name: 'vllm:gpu_cache_usage_perc'
    replacement: 'vllm:kv_cache_usage_perc'
    since: '0.9.2'
    removed: '0.12.0'
  - name: 'vllm:num_requests_swapped'
    since: '0.8.0'
)";

std::string read_policy_text() {
  for (const char* path : {PROMVET_FUZZ_SOURCE_DIR "/policies/vllm.yaml", "policies/vllm.yaml"}) {
    if (FILE* f = std::fopen(path, "rb")) {
      std::string s;
      char buf[4096];
      size_t n;
      while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
      std::fclose(f);
      return s;
    }
  }
  return std::string(kFallbackPolicy);
}

inventory::Source source() {
  inventory::Source s;
  s.name = "fuzz.prom";
  s.kind = "file";
  return s;
}

struct Fixed {
  checks::Registry registry = checks::make_registry();
  inventory::Inventory inv = inventory::build_from_text(kInventory, source());
  std::vector<naming::Policy> policies;
  checks::LintOptions plain, full;
  std::unordered_set<std::string_view> ids;  // the registry's own strings
  Fixed() {
    std::vector<naming::PolicyError> errors;
    std::optional<naming::Policy> p = naming::Policy::parse(read_policy_text(), "policies/vllm.yaml", &errors);
    if (!p) {
      std::fprintf(stderr, "vllm policy does not parse\n");
      std::abort();
    }
    policies.push_back(std::move(*p));
    plain.registry = &registry;
    full.registry = &registry;
    full.inventory = &inv;
    full.policies = &policies;
    full.enable_experimental_functions = true;
    for (const checks::CheckInfo& c : registry.catalogue(checks::kLintCommand)) ids.emplace(c.id);
  }
};

Fixed& fixed_mutable() {
  static Fixed f;
  return f;
}
const Fixed& fixed() { return fixed_mutable(); }

[[noreturn]] void fail(const checks::Finding& f, std::string_view content, const char* what, const char* why) {
  std::fprintf(stderr, "%s: %s\n  finding %s %llu:%u-%llu:%u %s\n  file (%zu bytes)\n", what, why, f.check_id.c_str(),
               static_cast<unsigned long long>(f.line), f.column, static_cast<unsigned long long>(f.end_line),
               f.end_column, f.message.c_str(), content.size());
  std::abort();
}

// What lint_source clamps silently: every range a check reports must lie inside the expression
// text (expression offsets) or the file (file offsets), begin <= end, and name one of the file's
// expressions.
class StrictReporter final : public checks::Reporter {
 public:
  StrictReporter(const sources::SourceFile& file, std::string_view content) : file_(file), content_(content) {}
  void begin_check(const checks::CheckInfo& info) override { id = info.id; }
  std::string_view id;

  void report(const sources::Expression& e, promql::Range r, std::string message, std::string,
              std::optional<checks::Severity>) override {
    check_about(&e);
    if (r.begin > r.end || r.end > e.text.size()) bad("expression range", r.begin, r.end, e.text.size(), message);
    if (message.empty()) bad("empty message", r.begin, r.end, e.text.size(), message);
  }
  void report_file(uint32_t begin, uint32_t end, std::string message, const sources::Expression* about,
                   std::optional<checks::Severity>) override {
    check_about(about);
    if (begin > end || end > content_.size()) bad("file range", begin, end, content_.size(), message);
    if (message.empty()) bad("empty message", begin, end, content_.size(), message);
  }

 private:
  void check_about(const sources::Expression* e) {
    if (!e) return;
    if (file_.expressions.empty() || e < &file_.expressions.front() || e > &file_.expressions.back())
      bad("expression not of this file", 0, 0, 0, "");
  }
  [[noreturn]] void bad(const char* what, size_t begin, size_t end, size_t size, const std::string& message) {
    std::fprintf(stderr, "%.*s: bad %s [%zu, %zu) of %zu bytes: %s\n", static_cast<int>(id.size()), id.data(), what,
                 begin, end, size, message.c_str());
    std::abort();
  }
  const sources::SourceFile& file_;
  std::string_view content_;
};

// Every expression's offset map has text.size() + 1 entries, all inside the file; every source
// diagnostic lies inside the file.
void check_maps_and_diagnostics(const sources::SourceFile& file, std::string_view content) {
  for (const sources::Expression& e : file.expressions) {
    if (e.map.to_file.size() != e.text.size() + 1) {
      std::fprintf(stderr, "offset map has %zu entries for %zu bytes of text\n", e.map.to_file.size(), e.text.size());
      std::abort();
    }
    for (uint32_t o : e.map.to_file)
      if (o > content.size()) {
        std::fprintf(stderr, "offset map points to %u in a file of %zu bytes\n", o, content.size());
        std::abort();
      }
  }
  for (const sources::Diagnostic& d : file.diagnostics)
    if ((d.offset > d.end_offset && d.end_offset != 0) || d.offset > content.size() || d.end_offset > content.size()) {
      std::fprintf(stderr, "diagnostic %s at [%u, %u) of %zu bytes\n", d.check_id.c_str(), d.offset, d.end_offset,
                   content.size());
      std::abort();
    }
}

}  // namespace

const checks::LintOptions& lint_options(bool with_inventory) { return with_inventory ? fixed().full : fixed().plain; }

void check_findings(const std::vector<checks::Finding>& findings, std::string_view content, const char* what) {
  std::vector<size_t> starts{0};
  for (const char* p = content.data(); p != content.data() + content.size(); ++p) {
    p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(content.data() + content.size() - p)));
    if (!p) break;
    starts.push_back(static_cast<size_t>(p - content.data()) + 1);
  }
  // Offset of line:column, or SIZE_MAX when the line does not exist.
  auto offset_of = [&](uint64_t line, uint32_t column) -> size_t {
    if (line < 1 || line > starts.size() || column < 1) return SIZE_MAX;
    return starts[line - 1] + column - 1;
  };
  for (const checks::Finding& f : findings) {
    if (!fixed().ids.count(f.check_id)) fail(f, content, what, "check id not registered");
    if (f.message.empty()) fail(f, content, what, "empty message");
    if (f.line < 1 || f.column < 1) fail(f, content, what, "line or column below 1");
    size_t begin = offset_of(f.line, f.column);
    if (begin > content.size()) fail(f, content, what, "start outside the file");
    // A column may not run past the end of its line (the newline itself is the last place).
    size_t line_end = f.line < starts.size() ? starts[f.line] - 1 : content.size();
    if (begin > line_end) fail(f, content, what, "column past the end of its line");
    if (f.end_line != 0 || f.end_column != 0) {
      size_t end = offset_of(f.end_line, f.end_column);
      if (end > content.size()) fail(f, content, what, "end outside the file");
      if (end < begin) fail(f, content, what, "end before start");
    }
  }
}

void lint_and_check(const checks::ParsedSource& parsed, const sources::SourceFile& file, std::string_view content) {
  check_maps_and_diagnostics(file, content);
  check_findings(parsed.lint(content, lint_options(false)), content, "plain");
  // One run with the inventory and policies both collects the findings and hands every report,
  // as the check made it, to the strict reporter (LintOptions::observer). This replaced a second
  // run of every check through run_checks: the driver makes the same check calls on the same
  // parsed expressions (expression by expression instead of check by check), and each of the
  // strict reporter's assertions is about one report and the check named before it.
  StrictReporter strict(file, content);
  Fixed& f = fixed_mutable();
  f.full.observer = &strict;
  std::vector<checks::Finding> findings = parsed.lint(content, f.full);
  f.full.observer = nullptr;
  check_findings(findings, content, "inventory+policy");
}

void lint_and_check(const sources::SourceFile& file, std::string_view content) {
  lint_and_check(checks::ParsedSource(file), file, content);
}

}  // namespace promvet::fuzz
