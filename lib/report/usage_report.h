#pragma once
// Printers for the usage report (checks::UsageReport): JSON (schema in docs/usage.md), a short
// text summary, and one self-contained HTML page (inline CSS and JS, no network access) with
// summary numbers, sortable tables and a bar chart of the largest unused metrics.
#include <ostream>

#include "checks/usage.h"

namespace promvet::report {

void write_usage_json(std::ostream& out, const checks::UsageReport& report);
void write_usage_text(std::ostream& out, const checks::UsageReport& report);
void write_usage_html(std::ostream& out, const checks::UsageReport& report);

}  // namespace promvet::report
