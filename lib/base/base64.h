#pragma once
// Base64 as Go's encoding/base64.StdEncoding.DecodeString reads it: the standard alphabet,
// '=' padding required, '\r' and '\n' anywhere ignored. go-yaml decodes a `!!binary` scalar
// with it, so a rule file can carry bytes its text cannot (sources/rules.cpp).
#include <string>
#include <string_view>

namespace promvet::base {

// Appends the decoded bytes to *out; false (and *out unspecified) on input Go refuses.
bool decode_base64(std::string_view in, std::string* out);

}  // namespace promvet::base
