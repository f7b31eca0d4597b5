#include "metadata_command.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>
#include <system_error>
#include <vector>

#include "checks/metric_types.h"

namespace promvet::cli {
namespace {

struct MetadataOptions {
  std::vector<std::string> names;
  bool all = false;
};

// "lib/inventory/metadata/x.tsv, built in" for a compiled-in pack, the file's path for one read at run time.
std::string origin(const checks::BuiltinMetadata::Pack& p) {
  return std::string(p.path()) + (p.built_in() ? ", built in" : "");
}

void print_family(std::ostream& out, std::string_view asked, const checks::BuiltinMetadata::Entry& e) {
  out << asked;
  if (asked != e.family.name) out << " (a series of " << e.family.name << ")";
  out << ": " << expfmt::metric_type_name(e.family.type) << '\n';
  out << "  pack:    " << e.pack->name() << " (" << origin(*e.pack) << ")\n";
  out << "  version: " << e.family.version << '\n';
  if (!e.family.unit.empty()) out << "  unit:    " << e.family.unit << '\n';
  std::string labels(e.family.labels);
  for (char& c : labels)
    if (c == ',') c = ' ';
  out << "  labels:  " << (labels.empty() ? "(none)" : labels) << '\n';
}

// The family of a series name as a query writes it: the name itself, or the family of its
// `_total`/`_bucket`/`_count`/`_sum`/`_created` series when the pack types it so.
std::optional<checks::BuiltinMetadata::Entry> lookup(const checks::BuiltinMetadata& m, std::string_view name) {
  if (auto e = m.find(name)) return e;
  checks::SeriesType by_name = checks::type_from_name(name);
  if (by_name.role == checks::SeriesRole::Plain) return std::nullopt;
  auto e = m.find(by_name.family);
  if (!e) return std::nullopt;
  checks::FamilyType t = checks::to_family_type(e->family.type);
  bool total = by_name.role == checks::SeriesRole::Total;
  bool part =
      t == checks::FamilyType::Histogram || t == checks::FamilyType::Summary || t == checks::FamilyType::GaugeHistogram;
  if (total ? t != checks::FamilyType::Counter : !part && t != checks::FamilyType::Counter) return std::nullopt;
  return e;
}

int run_metadata(const MetadataOptions& o) {
  checks::LoadedMetadata loaded;
  if (!load_builtin_metadata(&loaded)) return 2;
  const checks::BuiltinMetadata& m = *loaded.metadata;
  if (m.packs().empty()) {
    std::cerr << "promvet: error: no metadata packs (an empty $PROMVET_METADATA_DIR?)\n";
    return 2;
  }
  if (o.all) {
    std::cout << "family\ttype\tunit\tlabels\tpack\tversion\n";
    for (const auto& p : m.packs())
      for (const inventory::PackFamily& f : p->families()) {
        auto e = m.find(f.name);
        if (!e || e->pack != p.get()) continue;  // listed by an earlier pack
        std::cout << f.name << '\t' << expfmt::metric_type_name(f.type) << '\t' << f.unit << '\t' << f.labels << '\t'
                  << p->name() << '\t' << f.version << '\n';
      }
    return 0;
  }
  if (o.names.empty()) {
    std::cout << "pack\tfamilies\tversions\tfile\n";
    for (const auto& p : m.packs()) {
      std::set<std::string_view> versions;
      for (const inventory::PackFamily& f : p->families()) versions.insert(f.version);
      std::string v;
      for (std::string_view s : versions) v += (v.empty() ? "" : ",") + std::string(s);
      std::cout << p->name() << '\t' << p->size() << '\t' << v << '\t' << origin(*p) << '\n';
    }
    std::cout << "total\t" << m.family_count() << " distinct families in " << m.packs().size() << " packs\n";
    return 0;
  }
  int rc = 0;
  for (const std::string& name : o.names) {
    if (auto e = lookup(m, name)) {
      print_family(std::cout, name, *e);
    } else {
      std::cout << name << ": not in the bundled metadata\n";
      rc = 1;
    }
  }
  return rc;
}

}  // namespace

bool load_builtin_metadata(checks::LoadedMetadata* out) {
  // $PROMVET_METADATA_DIR is taken as given (a wrong one is an error); otherwise the packs compiled
  // into the program, which cost nothing to load.
  const char* env = std::getenv("PROMVET_METADATA_DIR");
  if (!env || !*env) {
    out->metadata.emplace(checks::BuiltinMetadata::bundled());
    out->error.clear();
    return true;
  }
  *out = checks::BuiltinMetadata::load_dir(env);
  if (!out->metadata) {
    std::cerr << "promvet: error: metadata packs ($PROMVET_METADATA_DIR): " << out->error
              << " (see docs/metadata.md, or run lint with --no-builtin-metadata)\n";
    return false;
  }
  return true;
}

void add_metadata_command(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<MetadataOptions>();
  CLI::App* cmd = app.add_subcommand(
      "metadata",
      "Look metric names up in the bundled metadata of widely deployed exporters (type, unit, labels, "
      "pack, version); without NAME, list the packs");
  cmd->add_option("NAME", o->names, "Metric or series names, e.g. pg_locks_count, node_cpu_seconds_total");
  cmd->add_flag("--all", o->all, "Print every known family as tab-separated values");
  cmd->callback([o, exit_code]() { *exit_code = run_metadata(*o); });
}

}  // namespace promvet::cli
