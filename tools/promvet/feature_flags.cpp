#include "feature_flags.h"

namespace promvet::cli {

void add_feature_flag(CLI::App* cmd, std::vector<std::string>* features) {
  std::vector<std::string> names(promql::kFeatures.begin(), promql::kFeatures.end());
  cmd->add_option("--enable-feature", *features,
                  "Prometheus feature flags the server runs with (comma list, repeatable): " + promql::feature_names())
      ->delimiter(',')
      ->check(CLI::IsMember(names));
}

promql::ParseOptions feature_parse_options(const std::vector<std::string>& features, bool experimental_alias) {
  // As Prometheus: nothing gated is on unless named (the library's default keeps duration
  // expressions on for its other users).
  promql::ParseOptions options = promql::options_for_features(features);
  if (experimental_alias) options.enable_experimental_functions = true;
  return options;
}

}  // namespace promvet::cli
