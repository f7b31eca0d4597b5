#include "sources/yaml_stream.h"

#include <fmt/format.h>

namespace promvet::sources {

namespace {

// YAML 1.2 c-printable, as go-yaml's reader tests it.
bool printable(uint32_t c) {
  return c == 0x09 || c == 0x0A || c == 0x0D || (c >= 0x20 && c <= 0x7E) || c == 0x85 ||
         (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

YamlStreamError error_at(size_t offset, std::string_view what, std::string detail) {
  return {offset, fmt::format("yaml: {} ({})", what, detail)};
}

}  // namespace

std::optional<YamlStreamError> check_yaml_stream(std::string_view s) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  if (s.size() >= 2 && ((byte(0) == 0xFF && byte(1) == 0xFE) || (byte(0) == 0xFE && byte(1) == 0xFF)))
    return std::nullopt;
  for (size_t i = 0; i < s.size();) {
    unsigned char b = byte(i);
    if (b < 0x80) {
      if (!printable(b)) return error_at(i, "control characters are not allowed", fmt::format("U+{:04X}", b));
      ++i;
      continue;
    }
    // Width and messages as go-yaml's yaml_parser_update_buffer.
    size_t width = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
    if (width == 0) return error_at(i, "invalid leading UTF-8 octet", fmt::format("byte 0x{:02x}", b));
    if (i + width > s.size())
      return error_at(i, "incomplete UTF-8 octet sequence", fmt::format("byte 0x{:02x} at the end", b));
    uint32_t c = b & (0x7F >> width);
    for (size_t k = 1; k < width; ++k) {
      unsigned char t = byte(i + k);
      if ((t & 0xC0) != 0x80)
        return error_at(i + k, "invalid trailing UTF-8 octet", fmt::format("byte 0x{:02x}", t));
      c = (c << 6) | (t & 0x3F);
    }
    static constexpr uint32_t min_for[] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < min_for[width])
      return error_at(i, "invalid length of a UTF-8 sequence", fmt::format("overlong encoding of U+{:04X}", c));
    if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
      return error_at(i, "invalid Unicode character", fmt::format("U+{:04X}", c));
    if (!printable(c)) return error_at(i, "control characters are not allowed", fmt::format("U+{:04X}", c));
    i += width;
  }
  return std::nullopt;
}

}  // namespace promvet::sources
