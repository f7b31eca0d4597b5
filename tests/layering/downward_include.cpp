// Built only by the LayeringIsEnforced test: the control for upward_include.cpp. The same target
// setup reaches its own layer and the layers below.
#include "base/utf8.h"
#include "promql/ast.h"

int promvet_layering_probe_downward() { return promvet::base::valid_utf8("ok") ? 0 : 1; }
