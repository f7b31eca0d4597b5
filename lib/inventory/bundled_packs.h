#pragma once
// The bundled metadata packs (lib/inventory/metadata/*.tsv, docs/metadata.md), checked and compiled
// into the program at build time by metadata_pack_compiler: nothing is read or parsed at run time,
// and a lookup is a binary search over a sorted, read-only table. The build fails on a pack that
// parse_metadata_pack() rejects, with its "path:line: message".
//
//   if (auto i = bundled::find("pg_locks_count")) {
//     PackFamily f = bundled::family(*i);                 // views into read-only program data
//     std::string_view pack = bundled::pack_name(bundled::pack_of(*i));
//   }
//
// Families are numbered 0..family_count()-1 across all packs: packs in file-name order, each
// pack's families in its (sorted) order. Thread-safe: the data is constant.
#include <cstddef>
#include <optional>
#include <string_view>

#include "inventory/metadata_pack.h"

namespace promvet::inventory::bundled {

std::size_t pack_count();
std::string_view pack_name(std::size_t pack);
std::string_view pack_path(std::size_t pack);  // the file it was compiled from, relative to the source tree
std::size_t pack_first(std::size_t pack);      // the number of its first family
std::size_t pack_size(std::size_t pack);       // how many families it lists

std::size_t family_count();  // over all packs, a family listed by two packs counted twice
PackFamily family(std::size_t i);
std::size_t pack_of(std::size_t i);

// The family of that name in the first pack that lists it.
std::optional<std::size_t> find(std::string_view name);
std::size_t distinct_family_count();

}  // namespace promvet::inventory::bundled
