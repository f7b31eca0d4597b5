#pragma once
// The check ids the loaders report (Diagnostic::check_id). Each is an entry of the check
// registry (lib/checks/source/module.cpp, lib/checks/rules/module.cpp) with its severity,
// summary, docs page docs/checks/<id>.md and fixture testdata/checks/<id>/.
#include <string_view>

namespace promvet::sources::ids {

// Any file.
inline constexpr std::string_view kTooLarge = "source/too-large";
inline constexpr std::string_view kTooDeep = "source/too-deep";
// Dashboards.
inline constexpr std::string_view kInvalidJson = "source/invalid-json";
inline constexpr std::string_view kSalvaged = "source/salvaged";
// YAML files.
inline constexpr std::string_view kInvalidYaml = "source/invalid-yaml";
inline constexpr std::string_view kYamlTooComplex = "source/yaml-too-complex";

// Rule files: what promtool's rulefmt and the dialects' readers reject.
inline constexpr std::string_view kDuplicateGroup = "rules/duplicate-group";
inline constexpr std::string_view kDuplicateKey = "rules/duplicate-key";
inline constexpr std::string_view kDuplicateRule = "rules/duplicate-rule";
inline constexpr std::string_view kEmptyGroupName = "rules/empty-group-name";
inline constexpr std::string_view kInvalidAnnotationName = "rules/invalid-annotation-name";
inline constexpr std::string_view kInvalidDuration = "rules/invalid-duration";
inline constexpr std::string_view kInvalidLabelName = "rules/invalid-label-name";
inline constexpr std::string_view kInvalidLabelValue = "rules/invalid-label-value";
inline constexpr std::string_view kInvalidRecordName = "rules/invalid-record-name";
inline constexpr std::string_view kInvalidRecordingField = "rules/invalid-recording-field";
inline constexpr std::string_view kInvalidTemplate = "rules/invalid-template";
inline constexpr std::string_view kInvalidType = "rules/invalid-type";
inline constexpr std::string_view kLogqlSkipped = "rules/logql-skipped";
inline constexpr std::string_view kMissingExpr = "rules/missing-expr";
inline constexpr std::string_view kMissingRecordOrAlert = "rules/missing-record-or-alert";
inline constexpr std::string_view kRecordAndAlert = "rules/record-and-alert";
inline constexpr std::string_view kUnknownField = "rules/unknown-field";

}  // namespace promvet::sources::ids
