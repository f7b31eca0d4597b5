#include "inventory_command.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

#include "expfmt/parser.h"
#include "input_flags.h"
#include "io/bounded_read.h"
#include "io/output_file.h"
#include "policy_packs.h"
#include "inventory/api_inventory.h"
#include "inventory/input_source.h"
#include "inventory/inventory.h"
#include "inventory/metadata_pack.h"
#include "metadata_command.h"

namespace promvet::cli {
namespace {

struct InventoryOptions {
  std::vector<std::string> inputs;
  InputFlags input;
  std::string output = "-";
  std::vector<std::string> target_labels;
  std::size_t max_label_values = 100;
  ApiFlags api;
  bool builtin = false;      // add the bundled metadata packs' families
  std::string pack;          // write a metadata pack of this name instead of JSON
  std::string pack_version;  // the exporter version the pack's families were seen in
};

// The bundled packs' families as an inventory input per pack: type, unit, label names.
bool merge_builtin(inventory::Inventory& into) {
  checks::LoadedMetadata loaded;
  if (!load_builtin_metadata(&loaded)) return false;
  for (const auto& pack : loaded.metadata->packs()) {
    inventory::Inventory one(into.limits());
    for (const inventory::PackFamily& pf : pack->families()) {
      inventory::Family* f = one.family(pf.name);
      if (!f) break;
      f->type = pf.type;
      f->unit = std::string(pf.unit);
      f->sources.push_back("builtin:" + std::string(pack->name()));
      for (std::string_view rest = pf.labels; !rest.empty();) {
        std::size_t comma = rest.find(',');
        one.label(*f, rest.substr(0, comma));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    }
    inventory::Source s;
    s.name = "builtin:" + std::string(pack->name());
    s.kind = "builtin-metadata";
    one.add_source(s);
    into.merge(one);
  }
  return true;
}

bool is_inventory_json(const std::string& input) {
  return !inventory::is_url(input) && input != "-" && std::filesystem::path(input).extension() == ".json";
}

// Saved inventories and policy packs are read whole; far above any real one, the bounds only keep
// /dev/zero or a pipe that never closes from filling memory.
constexpr std::uint64_t kMaxWholeFileBytes = 1ull << 30;
constexpr std::uint64_t kMaxPolicyBytes = 64u << 20;

// A saved inventory given as INPUT is merged as it is (no target labels: they were applied when
// it was built).
bool merge_json(const std::string& path, inventory::Inventory& into) {
  std::string text, error;
  if (!io::read_file(path, kMaxWholeFileBytes, &text, &error)) {
    std::cerr << "promvet: error: " << error << '\n';
    return false;
  }
  inventory::ReadInventory r = inventory::from_json(text, into.limits());
  if (!r.inventory) {
    std::cerr << "promvet: error: " << path << ": " << r.error << '\n';
    return false;
  }
  into.merge(*r.inventory);
  return true;
}

bool merge_exposition(const std::string& input, const InventoryOptions& o, const inventory::FetchOptions& fetch,
                      const std::map<std::string, std::string>& target_labels, inventory::Inventory& into) {
  inventory::Inventory one(into.limits());
  inventory::Source source;
  source.name = input == "-" ? "<stdin>" : inventory::redact_url(input);
  source.kind = input == "-" ? "stdin" : inventory::is_url(input) ? "url" : "file";
  source.target_labels = target_labels;
  inventory::InventoryBuilder builder(one, source);
  std::unique_ptr<expfmt::Parser> parser;
  expfmt::Format format = expfmt::Format::kText;
  std::string refusal;
  auto on_start = [&](const inventory::InputStart& start) {
    refusal = content_type_refusal(o.input, start);
    format = choose_format(o.input, start);
    expfmt::ParserOptions po;
    po.format = format;
    parser = std::make_unique<expfmt::Parser>(po, builder);
  };
  auto on_chunk = [&](std::string_view chunk) {
    if (!refusal.empty()) return false;
    parser->feed(chunk);
    return true;
  };
  inventory::ReadResult r = inventory::read_input(input, fetch, on_start, on_chunk, make_input_limits(o.input));
  if (!refusal.empty()) {
    std::cerr << "promvet: error: " << source.name << ": " << refusal << '\n';
    return false;
  }
  if (!r.ok) {
    std::cerr << "promvet: error: " << r.error << '\n';
    return false;
  }
  parser->finish();
  builder.finish(format);
  if (parser->error_count() > 0) {
    std::cerr << "promvet: warning: " << source.name << ": " << parser->error_count()
              << " format errors, lines with syntax errors were skipped (see promvet metrics)\n";
  }
  into.merge(one);
  return true;
}

int run_inventory(const InventoryOptions& o) {
  if (!o.pack.empty() && (!inventory::valid_pack_name(o.pack) || o.pack_version.empty() ||
                          o.pack_version.find_first_of("\t\n\r,") != std::string::npos)) {
    std::cerr << "promvet: error: --pack needs a name of [A-Za-z0-9_.-] and --pack-version a version without tabs\n";
    return 2;
  }
  if (o.inputs.empty() && o.api.url.empty() && !o.builtin) {
    std::cerr << "promvet: error: no INPUT given (a file, - for stdin, an http(s) URL, or an inventory .json)\n";
    return 2;
  }
  std::map<std::string, std::string> target_labels;
  for (const std::string& kv : o.target_labels) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "promvet: error: --target-label \"" << kv << "\" is not of the form name=value\n";
      return 2;
    }
    target_labels[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  inventory::FetchOptions fetch;
  if (std::string error; !make_fetch_options(o.input, &fetch, &error)) {
    std::cerr << "promvet: error: " << error << '\n';
    return 2;
  }
  inventory::Limits limits;
  limits.max_label_values = o.max_label_values;
  inventory::Inventory inv(limits);
  bool failed = false;
  for (const std::string& input : o.inputs) {
    bool ok = is_inventory_json(input) ? merge_json(input, inv) : merge_exposition(input, o, fetch, target_labels, inv);
    failed = failed || !ok;
  }
  if (!o.api.url.empty() && !merge_prometheus_api(o.api, o.input, inv)) failed = true;
  if (o.builtin && !merge_builtin(inv)) failed = true;
  if (failed) return 2;
  std::string json =
      o.pack.empty() ? inventory::to_json(inv) : inventory::to_metadata_pack(inv, o.pack, o.pack_version);
  if (o.output == "-") {
    std::cout << json;
  } else {
    std::string error;
    if (!io::write_file(
            o.output, [&](std::ostream& out) { out << json; }, &error)) {
      std::cerr << "promvet: error: " << error << '\n';
      return 2;
    }
    std::uint64_t series = 0;
    for (const auto& [name, f] : inv.families()) series += f.series;
    std::cerr << "promvet: wrote " << inv.families().size() << " metric families (" << series << " series) from "
              << inv.sources().size() << " inputs to " << o.output << '\n';
  }
  if (inv.truncated()) std::cerr << "promvet: warning: the inventory was truncated at its size limits\n";
  return 0;
}

}  // namespace

void add_api_flags(CLI::App* cmd, ApiFlags* flags) {
  cmd->add_option("--from-prometheus", flags->url,
                  "Read metadata and series from a Prometheus-compatible HTTP API (Prometheus, Thanos, Mimir, "
                  "VictoriaMetrics); basic auth as http://user:password@host");
  cmd->add_option("--match", flags->match,
                  "With --from-prometheus: series selector to read (repeatable; default: every metric)")
      ->allow_extra_args(false);
  cmd->add_option("--series-limit", flags->series_limit, "With --from-prometheus: read at most this many series")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

bool merge_prometheus_api(const ApiFlags& api, const InputFlags& input, inventory::Inventory& into) {
  inventory::ApiOptions options;
  if (std::string error; !make_fetch_options(input, &options.fetch, &error)) {
    std::cerr << "promvet: error: " << error << '\n';
    return false;
  }
  // Each API answer is parsed whole; JSON takes several times its size in memory.
  options.fetch.max_bytes = std::min<std::uint64_t>(options.fetch.max_bytes, 64u << 20);
  options.series_limit = api.series_limit;
  options.match = api.match;
  inventory::Inventory one(into.limits());
  inventory::ApiResult r = inventory::read_inventory_from_api(api.url, options, one);
  if (!r.ok) {
    std::cerr << "promvet: error: " << inventory::redact_url(api.url) << ": " << r.error << '\n';
    return false;
  }
  for (const std::string& w : r.warnings)
    std::cerr << "promvet: warning: " << inventory::redact_url(api.url) << ": " << w << '\n';
  into.merge(one);
  return true;
}

bool load_lint_inventory(const std::string& inventory_flag, const std::vector<std::string>& policy_flags,
                         const checks::Config& config, LintInventory* out) {
  namespace fs = std::filesystem;
  auto relative_to_config = [&](const std::string& p) {
    if (p.empty() || inventory::is_url(p) || fs::path(p).is_absolute() || config.dir.empty()) return p;
    return (fs::path(config.dir) / p).string();
  };
  // Packs first: policy/deprecated-metric needs them with or without an inventory.
  std::vector<std::string> packs;
  for (const std::string& p : policy_flags) {
    if (!resolve_policy_pack(p, "", &packs.emplace_back())) return false;
  }
  for (const std::string& p : config.policies) {
    if (!resolve_policy_pack(p, config.dir, &packs.emplace_back())) return false;
  }
  for (const std::string& path : packs) {
    std::string text, error;
    if (!io::read_file(path, kMaxPolicyBytes, &text, &error)) {
      std::cerr << "promvet: error: policy pack: " << error << '\n';
      return false;
    }
    std::vector<naming::PolicyError> errors;
    std::optional<naming::Policy> policy = naming::Policy::parse(text, path, &errors);
    for (const naming::PolicyError& e : errors) std::cerr << e.to_string() << '\n';
    if (!policy) return false;
    out->policies.push_back(std::move(*policy));
  }
  std::string input = !inventory_flag.empty() ? inventory_flag : relative_to_config(config.inventory);
  if (input.empty()) return true;
  InventoryOptions o;
  inventory::FetchOptions fetch;
  if (std::string error; !make_fetch_options(o.input, &fetch, &error)) {
    std::cerr << "promvet: error: " << error << '\n';
    return false;
  }
  bool ok = is_inventory_json(input) ? merge_json(input, out->inventory)
                                     : merge_exposition(input, o, fetch, {}, out->inventory);
  if (!ok) return false;
  out->loaded = true;
  return true;
}

void add_inventory_command(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<InventoryOptions>();
  CLI::App* cmd = app.add_subcommand(
      "inventory",
      "Build a metric inventory (families, types, labels and their values) from /metrics expositions "
      "for `promvet lint --inventory`");
  cmd->add_option("INPUT", o->inputs,
                  "A file, - for stdin, an http(s):// /metrics URL, or an inventory .json to merge (repeatable)");
  add_input_flags(cmd, &o->input);
  add_api_flags(cmd, &o->api);
  cmd->add_option("--output,-o", o->output, "Write the inventory JSON here (- for stdout)")->capture_default_str();
  cmd->add_option("--target-label", o->target_labels,
                  "Add label name=value to every series of the expositions read, as Prometheus adds job (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--max-label-values", o->max_label_values,
                  "Values kept per label; beyond them the label is marked capped")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_flag("--builtin", o->builtin, "Add the families of the bundled metadata packs (see promvet metadata)");
  cmd->add_option("--pack", o->pack,
                  "Write a bundled-metadata pack of this name (docs/metadata.md) instead of inventory JSON");
  cmd->add_option("--pack-version", o->pack_version, "With --pack: the exporter version the families were seen in");
  cmd->callback([o, exit_code]() { *exit_code = run_inventory(*o); });
}

}  // namespace promvet::cli
