// Built only by the LayeringIsEnforced test: lib/promql may not see lib/checks, so this include
// must fail to compile ("checks/check.h: No such file or directory").
#include "checks/check.h"

int promvet_layering_probe_upward() { return 0; }
