#pragma once
// Go text/template text in alert labels and annotations, for the checks that look inside it:
// where its actions (`{{ ... }}`) are, and where a piece of a value is in the rule file.
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "sources/source.h"

namespace promvet::checks::templates {

// [begin, end) of the text between each `{{` and its `}}` (trim markers `{{-`/`-}}` included),
// skipping `}}` inside the action's string and character literals. An unclosed action runs to
// the end of the value.
std::vector<std::pair<size_t, size_t>> actions(std::string_view value);

// File offsets of `token`, found at `at` of the decoded value, in the raw bytes of the entry's
// value. When the raw text holds the token a different number of times (escapes, folding), the
// value's start: a position that is never wrong, only less precise.
std::pair<uint32_t, uint32_t> place(std::string_view content, const sources::RuleEntry& entry, std::string_view token,
                                    size_t at);

}  // namespace promvet::checks::templates
