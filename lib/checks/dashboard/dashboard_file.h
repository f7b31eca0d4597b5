#pragma once
// What the dashboard/* checks share about the file they look at.
#include "sources/source.h"

namespace promvet::checks::dashboard {

// A dashboard whose JSON parsed: its templating.list is known. Expressions salvaged from invalid
// JSON come without variable definitions, so variable checks would only guess there.
bool parsed_dashboard(const sources::SourceFile& file);

bool from_dashboard(const sources::Expression& e);

}  // namespace promvet::checks::dashboard
