// STUB being replaced by the real linter.
#include "expfmt/lint.h"

namespace promvet::expfmt {
struct Linter::Impl {};
Linter::Linter(Format, const LintOptions&) : impl_(new Impl) {}
Linter::~Linter() = default;
void Linter::on_metadata(const Metadata&) {}
void Linter::on_sample(const Sample&) {}
std::vector<LintProblem> Linter::finish() { return {}; }
Span<LintInfo> lint_catalogue() { return {}; }
}  // namespace promvet::expfmt
