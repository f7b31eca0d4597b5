#pragma once
// The character-level checks go-yaml's reader makes before it parses anything: the stream must
// be valid UTF-8 without control characters. libyaml's reader (go-yaml's origin) refuses them
// too, but says neither which character nor where; this names both and points at the byte.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace promvet::sources {

struct YamlStreamError {
  size_t offset = 0;    // the offending byte
  std::string message;  // go-yaml's wording ("yaml: control characters are not allowed") + detail
};

// UTF-16/32 streams (with a byte-order mark) are left to the YAML parser.
std::optional<YamlStreamError> check_yaml_stream(std::string_view content);

}  // namespace promvet::sources
