#include "sources/yaml_stream.h"

#include <fmt/format.h>

#include <cstdint>
#include <cstring>

#include "base/utf8.h"

namespace promvet::sources {

namespace {

// YAML 1.2 c-printable, as go-yaml's reader tests it.
bool printable(uint32_t c) {
  return c == 0x09 || c == 0x0A || c == 0x0D || (c >= 0x20 && c <= 0x7E) || c == 0x85 || (c >= 0xA0 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

// From `i`, the first byte that is not printable ASCII (0x20-0x7E), tested eight bytes at a time:
// most of a YAML file is, and needs no other test.
size_t skip_printable_ascii(std::string_view s, size_t i) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  while (i + 8 <= s.size()) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    const uint64_t below_space = (w - kOnes * 0x20) & ~w & kHighs;  // some byte < 0x20
    const uint64_t del = w ^ (kOnes * 0x7F);
    const uint64_t is_del = (del - kOnes) & ~del & kHighs;  // some byte == 0x7F
    if ((w & kHighs) | below_space | is_del) break;
    i += 8;
  }
  while (i < s.size() && static_cast<unsigned char>(s[i]) >= 0x20 && static_cast<unsigned char>(s[i]) < 0x7F) ++i;
  return i;
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
    i = skip_printable_ascii(s, i);
    if (i >= s.size()) break;
    unsigned char b = byte(i);
    if (b < 0x80) {
      if (!printable(b)) return error_at(i, "control characters are not allowed", fmt::format("U+{:04X}", b));
      ++i;
      continue;
    }
    // Messages as go-yaml's yaml_parser_update_buffer, which tests in the decoder's order.
    const base::Utf8Step step = base::decode_utf8_step(s, i);
    const uint32_t c = step.code_point;
    switch (step.problem) {
      case base::Utf8Problem::kNone: break;
      case base::Utf8Problem::kInvalidLeadingByte:
        return error_at(i, "invalid leading UTF-8 octet", fmt::format("byte 0x{:02x}", b));
      case base::Utf8Problem::kTruncated:
        return error_at(i, "incomplete UTF-8 octet sequence", fmt::format("byte 0x{:02x} at the end", b));
      case base::Utf8Problem::kInvalidTrailingByte:
        return error_at(step.problem_at, "invalid trailing UTF-8 octet",
                        fmt::format("byte 0x{:02x}", byte(step.problem_at)));
      case base::Utf8Problem::kOverlong:
        return error_at(i, "invalid length of a UTF-8 sequence", fmt::format("overlong encoding of U+{:04X}", c));
      case base::Utf8Problem::kNotACodePoint:
        return error_at(i, "invalid Unicode character", fmt::format("U+{:04X}", c));
    }
    if (!printable(c)) return error_at(i, "control characters are not allowed", fmt::format("U+{:04X}", c));
    i += step.width;
  }
  return std::nullopt;
}

}  // namespace promvet::sources
