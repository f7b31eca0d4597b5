// Prometheus' feature flags that gate PromQL syntax, mapped onto parse options. The names are
// Prometheus' own (`--enable-feature=...`, docs/feature_flags.md of prometheus/prometheus).
#include "promql/parse.h"

namespace promvet::promql {

bool enable_feature(ParseOptions& options, std::string_view name) {
  if (name == kFeatureExperimentalFunctions) {
    options.enable_experimental_functions = true;
  } else if (name == kFeatureDurationExpr) {
    options.enable_duration_expressions = true;
  } else if (name == kFeatureExtendedRangeSelectors) {
    options.enable_extended_range_selectors = true;
  } else if (name == kFeatureBinopFillModifiers) {
    options.enable_binop_fill_modifiers = true;
  } else {
    return false;
  }
  return true;
}

std::string feature_names() {
  std::string out;
  for (std::string_view f : kFeatures) out += (out.empty() ? "" : ", ") + std::string(f);
  return out;
}

ParseOptions options_for_features(const std::vector<std::string>& features) {
  ParseOptions options;
  options.enable_duration_expressions = false;
  for (const std::string& f : features) enable_feature(options, f);
  return options;
}

}  // namespace promvet::promql
