#include "inject_command.h"

#include "input_flags.h"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "expfmt/parser.h"
#include "inventory/input_source.h"
#include "naming/inject.h"

namespace promvet::cli {
namespace {

struct InjectCliOptions {
  std::string input;
  std::vector<std::string> labels;
  std::vector<std::string> prefixes;
  std::string on_conflict = "keep";
  InputFlags input_flags;
};

std::string_view kind_word(naming::InjectProblem::Kind k) {
  switch (k) {
    case naming::InjectProblem::Kind::kParse: return "invalid input";
    case naming::InjectProblem::Kind::kConflict: return "label conflict";
    case naming::InjectProblem::Kind::kCollapse: return "series collapse";
  }
  return "";
}

int run_inject(const InjectCliOptions& o) {
  naming::InjectOptions io;
  for (const std::string& l : o.labels) {
    std::pair<std::string, std::string> kv;
    if (!naming::parse_label_assignment(l, &kv)) {
      std::cerr << "promvet: error: --label \"" << l << "\" is not of the form name=value\n";
      return 2;
    }
    io.labels.push_back(std::move(kv));
  }
  io.prefixes = o.prefixes;
  io.on_conflict = o.on_conflict == "replace" ? naming::OnConflict::kReplace
                   : o.on_conflict == "error" ? naming::OnConflict::kError
                                              : naming::OnConflict::kKeep;
  if (std::string e = naming::validate_inject_options(io); !e.empty()) {
    std::cerr << "promvet: error: " << e << '\n';
    return 2;
  }

  inventory::FetchOptions fetch_options;
  if (std::string error; !make_fetch_options(o.input_flags, &fetch_options, &error)) {
    std::cerr << "promvet: error: " << error << '\n';
    return 2;
  }

  std::unique_ptr<naming::Injector> injector;
  // std::cout is checked in main: a write error there is exit 2.
  auto sink = [](std::string_view bytes) { std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size())); };
  std::string refusal;
  auto on_start = [&](const inventory::InputStart& start) {
    refusal = content_type_refusal(o.input_flags, start);
    injector = std::make_unique<naming::Injector>(io, choose_format(o.input_flags, start), sink);
  };
  auto on_chunk = [&](std::string_view chunk) {
    if (!refusal.empty()) return false;
    injector->feed(chunk);
    return true;
  };
  inventory::ReadResult r =
      inventory::read_input(o.input, fetch_options, on_start, on_chunk, make_input_limits(o.input_flags));
  if (!refusal.empty()) {
    std::cerr << "promvet: error: " << (o.input == "-" ? "<stdin>" : inventory::redact_url(o.input)) << ": " << refusal
              << '\n';
    return 2;
  }
  if (!r.ok) {
    std::cout.flush();
    std::cerr << "promvet: error: " << r.error << '\n';
    return 2;
  }
  injector->finish();
  std::cout.flush();
  std::string file = o.input == "-" ? "<stdin>" : inventory::redact_url(o.input);
  for (const naming::InjectProblem& p : injector->problems()) {
    std::cerr << file << ':' << p.pos.line << ':' << p.pos.column << ": error: " << kind_word(p.kind) << ": "
              << p.message << '\n';
  }
  return injector->ok() ? 0 : 1;
}

}  // namespace

void add_inject_command(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<InjectCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "inject", "Add labels to every sample of an exposition and write it to stdout in the same format");
  cmd->add_option("INPUT", o->input, "A file, - for stdin, or an http(s):// /metrics URL")->required();
  cmd->add_option("--label", o->labels, "name=value to add (repeatable)")->allow_extra_args(false)->required();
  cmd->add_option("--prefix", o->prefixes, "Keep only families whose name starts with this (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--on-conflict", o->on_conflict, "When a sample already has the label")
      ->check(CLI::IsMember({"keep", "replace", "error"}))
      ->capture_default_str();
  add_input_flags(cmd, &o->input_flags);
  cmd->callback([o, exit_code]() { *exit_code = run_inject(*o); });
}

}  // namespace promvet::cli
