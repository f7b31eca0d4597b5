// The source/* ids: what the loaders (lib/sources) and the suppression audit report about a file
// itself. Info entries: no Check object makes them.
#include "checks/registry.h"
#include "checks/suppression_audit.h"
#include "sources/diagnostic_ids.h"

namespace promvet::checks {

void register_source_checks(Registry& r) {
  namespace ids = sources::ids;
  r.add_info({kExpiredSuppression, Severity::kWarning,
              "a suppression whose until= date has passed (it no longer suppresses)", Stage::kFile});
  r.add_info({ids::kInvalidJson, Severity::kError, "a dashboard file that is not valid JSON", Stage::kLoad});
  r.add_info({ids::kInvalidYaml, Severity::kError, "a rule file that is not valid YAML", Stage::kLoad});
  r.add_info(
      {ids::kSalvaged, Severity::kInfo, "expressions recovered from a dashboard that is not valid JSON", Stage::kLoad});
  r.add_info({ids::kTooDeep, Severity::kError, "nesting deeper than the loader's limit", Stage::kLoad});
  r.add_info({ids::kTooLarge, Severity::kError, "a file larger than the loader's limit", Stage::kLoad});
  r.add_info({kUnusedSuppression, Severity::kInfo, "a suppression marker that suppresses nothing", Stage::kFile});
  r.add_info({ids::kYamlTooComplex, Severity::kError, "YAML aliases that expand too far (alias bomb)", Stage::kLoad});
}

}  // namespace promvet::checks
