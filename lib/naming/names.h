// Metric and label names: validity (legacy and Prometheus 3 UTF-8),
// sanitizers that turn arbitrary text into a legacy name, and the
// Prometheus 3 escaping schemes used when UTF-8 names meet a legacy consumer.
//
//   naming::sanitize_label_name("pod.ip")     -> {ok, "pod_ip"}
//   naming::sanitize_label_name("___x")       -> {ok, "x"}   (never a reserved "__" name)
//   naming::sanitize_metric_name("@#$")       -> {!ok, error "... nothing usable ..."}
//   naming::escape_name("a.b", EscapingScheme::kValues)    -> "U__a_2e_b"
//   naming::unescape_name("U__a_2e_b", EscapingScheme::kValues) -> "a.b"
//
// Pure functions over byte strings; thread-safe; never throw on bad input.
// Input that is not valid UTF-8 is handled byte by byte (each bad byte is one
// "character").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/names.h"
#include "base/utf8.h"

namespace promvet::naming {

enum class NameKind { kMetric, kLabel };

// [a-zA-Z_:][a-zA-Z0-9_:]* and [a-zA-Z_][a-zA-Z0-9_]*: lib/base/names.h
using base::is_legacy_label_name;
using base::is_legacy_metric_name;
// Prometheus 3: any non-empty valid UTF-8 string.
bool is_utf8_name(std::string_view name);
// Label names starting with "__" are reserved for Prometheus' own use.
bool is_reserved_label_name(std::string_view name);

enum class Validation { kLegacy, kUtf8 };

// "" when name is a valid metric name under v; otherwise why not, in
// promvet's message style ("metric name \"1x\" starts with a digit").
std::string metric_name_error(std::string_view name, Validation v = Validation::kLegacy);

// How a label name is going to be used: kExposed is any label a target
// exposes (reserved "__" names are refused); kAttached is a label attached to
// every sample of every family (also refuses "le" and "quantile", which carry
// histogram and summary semantics).
enum class LabelUse { kExposed, kAttached };
std::string label_name_error(std::string_view name, Validation v = Validation::kLegacy,
                             LabelUse use = LabelUse::kExposed);

struct SanitizeResult {
  bool ok = false;
  std::string name;   // the sanitized name when ok
  std::string error;  // why not, when !ok
};

// Invalid characters become "_", a leading digit gets "_" prepended
// ("123test" -> "_123test"); colons and "__" are kept. Empty input, or a
// result without any letter or digit, is an error.
SanitizeResult sanitize_metric_name(std::string_view raw);
// As above, and colons become "_". A result starting with "__" loses all its
// leading underscores ("__test" -> "test", "___x" -> "x", "__1" -> "_1"), so
// the result is never reserved.
SanitizeResult sanitize_label_name(std::string_view raw);
// prefix + "_" + sanitize_metric_name(raw); prefix must itself be a legacy
// metric name ("dynamo_component", "requests total" -> "dynamo_component_requests_total").
SanitizeResult build_prefixed_metric_name(std::string_view prefix, std::string_view raw);

// Prometheus 3 escaping schemes (the escaping= parameter of Accept headers).
enum class EscapingScheme { kUnderscores, kDots, kValues };
std::optional<EscapingScheme> parse_escaping_scheme(std::string_view s);  // "underscores"...
std::string_view escaping_scheme_name(EscapingScheme s);

// As prometheus/common model.EscapeName: underscores replaces every
// non-legacy character by "_" (a leading digit too); dots writes "_" as
// "__", "." as "_dot_" and other non-legacy characters as "__"; values keeps
// legacy names as they are and otherwise writes "U__" then "_" as "__" and
// other non-legacy characters as "_<lowercase hex code point>_" (a byte that
// is not UTF-8 as "_FFFD_"). For kind kLabel ':' counts as non-legacy.
std::string escape_name(std::string_view name, EscapingScheme scheme, NameKind kind = NameKind::kMetric);
// The inverse where one exists: nullopt for kUnderscores (lossy), and for
// text that escape_name cannot have produced (a lone "_" under dots, bad hex
// or a code point out of range under values). values: a name without the
// "U__" prefix is returned unchanged.
std::optional<std::string> unescape_name(std::string_view escaped, EscapingScheme scheme);
// unescape_name(escape_name(name)) == name.
bool escaping_is_reversible(std::string_view name, EscapingScheme scheme, NameKind kind = NameKind::kMetric);

// Label value (or quoted name) escaping of the exposition formats: '\\' ->
// "\\\\", '"' -> "\\\"", newline -> "\\n". Appends to out.
void append_escaped_label_value(std::string& out, std::string_view value);

// Byte index of the first invalid UTF-8 sequence, or npos: lib/base/utf8.h
using base::invalid_utf8_at;

}  // namespace promvet::naming
