#pragma once
// Canonical PromQL text, as Prometheus' String() (one line) and Pretty() (indented, wrapped).
// parse(to_string(e)) is structurally equal to e for every valid e.
#include <string>

#include "base/duration.h"
#include "promql/ast.h"

namespace promvet::promql {

std::string to_string(const Expr& e);
// Prometheus' Pretty(): nodes whose one-line form exceeds max_width are split over lines.
std::string pretty(const Expr& e, size_t max_width = 100);
// `1h30m`, `5m`, `0s` as Prometheus' model.Duration prints them; expressions as written.
std::string to_string(const Duration& d);
using base::format_duration_ms;  // lib/base/duration.h
// Go's strconv.FormatFloat(v, 'f', -1, 64) plus Inf/NaN spelling, as NumberLiteral.String().
std::string format_number(double v);
// A label or metric name, quoted with Go's %q when it is not a legacy-valid name.
std::string format_label_name(const std::string& name);
std::string quote_string(const std::string& value);  // Go's strconv.Quote: base::go_quote

}  // namespace promvet::promql
