#pragma once
// What the dashboard/* checks share about the expressions they look at (whether the file is a
// dashboard whose JSON parsed is FileContext::parsed_dashboard(), a need the driver checks).
#include "sources/source.h"

namespace promvet::checks::dashboard {

bool from_dashboard(const sources::Expression& e);

}  // namespace promvet::checks::dashboard
