// A long `groups` sequence read in parts on several threads (rules_internal.h). Groups are
// independent but for two things, both settled when the parts are joined in file order: a group
// name repeated in the file (a part notes its names and where the report would go) and the
// LogQL note's count and first expression. Each part writes expressions and diagnostics in the
// order one loader would, so the joined SourceFile is the one a single thread builds.
#include <algorithm>
#include <iterator>
#include <memory>

#include "base/go_quote.h"
#include "base/parts.h"
#include "sources/diagnostic_ids.h"
#include "sources/rules_internal.h"

namespace promvet::sources::rules_internal {

namespace {

// Below this many YAML nodes in the groups a thread costs more than the part it reads.
constexpr uint64_t kMinNodesForParts = 16384;

}  // namespace

Loader::Loader(const Loader& parent, SourceFile& out) : s_(parent.s_), out_(out) {
  li_ = parent.li_;
  doc_ = parent.doc_;
  doc_end_line_ = parent.doc_end_line_;
  crd_ = parent.crd_;
  choice_ = parent.choice_;
  logql_seen_ = parent.logql_seen_;
  part_ = true;
}

size_t Loader::parts_for_groups(const YNode& gs, uint64_t* total) const {
  const size_t parts = std::min<size_t>(threads_, gs.children.size());
  if (parts < 2) return 1;
  uint64_t nodes = 0;
  for (uint32_t g : gs.children) nodes += node(g).weight;
  if (total) *total = nodes;
  return nodes < kMinNodesForParts ? 1 : parts;
}

bool Loader::groups_in_parts(const YNode& gs) {
  if (part_) return false;
  uint64_t total = 0;
  const size_t parts = parts_for_groups(gs, &total);
  if (parts < 2) return false;
  const size_t n = gs.children.size();

  // Cut where the nodes read so far pass k/parts of all (a group's nodes are its cost).
  std::vector<size_t> begin = {0};
  uint64_t sum = 0;
  for (size_t gi = 0; gi < n && begin.size() < parts; ++gi) {
    sum += node(gs.children[gi]).weight;
    if (sum * parts >= total * begin.size() && gi + 1 < n) begin.push_back(gi + 1);
  }
  begin.push_back(n);
  const size_t count = begin.size() - 1;

  // The first part writes into this loader's SourceFile (its expressions are reserved for the
  // whole file), the others into their own, moved in after.
  std::vector<SourceFile> outs(count - 1);
  std::vector<std::unique_ptr<Loader>> loaders;  // the part constructor is private: no emplace
  for (size_t k = 0; k < count; ++k)
    loaders.push_back(std::unique_ptr<Loader>(new Loader(*this, k == 0 ? out_ : outs[k - 1])));
  base::run_parts(count, [&](size_t k) {
    for (size_t gi = begin[k]; gi < begin[k + 1]; ++gi) loaders[k]->group_at(gs, gi);
  });
  for (size_t k = 0; k < count; ++k) absorb(*loaders[k], k == 0 ? out_ : outs[k - 1]);
  return true;
}

// Appends a part's output to this loader's (unless it wrote there), with the repeated group
// names it could not see.
void Loader::absorb(Loader& part, SourceFile& part_out) {
  std::vector<Diagnostic>& diags = part_out.diagnostics;
  size_t inserted = 0;
  for (const PendingName& p : part.pending_names_) {
    if (group_names_.insert(p.name).second) continue;
    Diagnostic d = make_diag(ids::kDuplicateGroup,
                             "groupname: " + base::go_quote(p.name) + " is repeated in the same file", *p.group);
    diags.insert(diags.begin() + static_cast<std::ptrdiff_t>(p.at + inserted), std::move(d));
    ++inserted;
  }
  if (&part_out != &out_) {
    out_.diagnostics.insert(out_.diagnostics.end(), std::make_move_iterator(diags.begin()),
                            std::make_move_iterator(diags.end()));
    out_.expressions.insert(out_.expressions.end(), std::make_move_iterator(part_out.expressions.begin()),
                            std::make_move_iterator(part_out.expressions.end()));
  }
  if (part.skipped_logql_ > 0 && skipped_logql_ == 0) {
    first_logql_ = part.first_logql_;
    first_sign_ = part.first_sign_;
  }
  skipped_logql_ += part.skipped_logql_;
}

}  // namespace promvet::sources::rules_internal
