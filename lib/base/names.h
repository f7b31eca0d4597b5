#pragma once
// Prometheus' legacy name character sets (model.IsValidLegacyMetricName / LabelName.IsValid
// under the legacy scheme): metric names [a-zA-Z_:][a-zA-Z0-9_:]*, label names
// [a-zA-Z_][a-zA-Z0-9_]*. The UTF-8 scheme and the rest of the naming rules live in lib/naming.
#include <string_view>

namespace promvet::base {

bool is_legacy_metric_name(std::string_view name);
bool is_legacy_label_name(std::string_view name);

}  // namespace promvet::base
