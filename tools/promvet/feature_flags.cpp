#include "feature_flags.h"

namespace promvet::cli {

void add_feature_flag(CLI::App* cmd, std::vector<std::string>* features) {
  cmd->add_option("--enable-feature", *features,
                  "Prometheus feature flags the server runs with (comma list, repeatable): "
                  "promql-experimental-functions, promql-duration-expr, promql-extended-range-selectors, "
                  "promql-binop-fill-modifiers")
      ->delimiter(',')
      ->check(CLI::IsMember({std::string(promql::kFeatureExperimentalFunctions), std::string(promql::kFeatureDurationExpr),
                             std::string(promql::kFeatureExtendedRangeSelectors),
                             std::string(promql::kFeatureBinopFillModifiers)}));
}

promql::ParseOptions feature_parse_options(const std::vector<std::string>& features, bool experimental_alias) {
  // As Prometheus: nothing gated is on unless named (the library's default keeps duration
  // expressions on for its other users).
  promql::ParseOptions options;
  options.enable_duration_expressions = false;
  for (const std::string& f : features) promql::enable_feature(options, f);
  if (experimental_alias) options.enable_experimental_functions = true;
  return options;
}

}  // namespace promvet::cli
