#include "naming/names.h"

#include <cstdint>

#include "base/utf8.h"

namespace promvet::naming {
namespace {

constexpr char kHex[] = "0123456789abcdef";

bool is_alpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

// One code point of s at i. cp is -1 for a byte that does not start a valid
// UTF-8 sequence (overlong forms, surrogates and > U+10FFFF included); len is
// then 1, so bad input is consumed byte by byte.
struct Rune {
  std::int32_t cp;
  std::size_t len;
};

Rune decode(std::string_view s, std::size_t i) {
  std::uint32_t cp;
  std::size_t len;
  if (!base::decode_valid_utf8(s, i, cp, len)) return {-1, 1};
  return {static_cast<std::int32_t>(cp), len};
}

using base::append_utf8;

// Legacy character at byte index i (a digit is legacy anywhere but first).
bool is_legacy_rune(std::int32_t cp, std::size_t i, NameKind kind) {
  if (cp < 0 || cp > 0x7F) return false;
  auto c = static_cast<unsigned char>(cp);
  return is_alpha(c) || c == '_' || (c == ':' && kind == NameKind::kMetric) || (is_digit(c) && i > 0);
}

bool is_legacy(std::string_view name, NameKind kind) {
  return kind == NameKind::kMetric ? is_legacy_metric_name(name) : is_legacy_label_name(name);
}

// Message-safe rendering of a user token: quoted, with quotes, backslashes
// and control bytes escaped and long tokens cut.
std::string quote(std::string_view s) {
  std::string out = "\"";
  std::size_t n = 0;
  for (unsigned char c : s) {
    if (++n > 200) {
      out += "...";
      break;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c == 0x7F) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
  return out;
}

bool has_alnum(std::string_view s) {
  for (unsigned char c : s)
    if (is_alpha(c) || is_digit(c)) return true;
  return false;
}

// Shared core of the sanitizers: every non-legacy character (a whole code
// point, or one bad byte) becomes one '_'; a leading digit gets '_' prepended.
std::string replace_invalid(std::string_view raw, NameKind kind) {
  std::string out;
  out.reserve(raw.size() + 1);
  for (std::size_t i = 0; i < raw.size();) {
    Rune r = decode(raw, i);
    // Position 1 so that digits count as valid here; the leading-digit rule
    // prepends instead of replacing.
    out += is_legacy_rune(r.cp, 1, kind) ? static_cast<char>(r.cp) : '_';
    i += r.len;
  }
  if (!out.empty() && is_digit(static_cast<unsigned char>(out[0]))) out.insert(out.begin(), '_');
  return out;
}

SanitizeResult failed(std::string message) {
  SanitizeResult r;
  r.error = std::move(message);
  return r;
}

}  // namespace

bool is_utf8_name(std::string_view name) { return !name.empty() && invalid_utf8_at(name) == std::string_view::npos; }

bool is_reserved_label_name(std::string_view name) { return name.size() >= 2 && name.substr(0, 2) == "__"; }

std::string metric_name_error(std::string_view name, Validation v) {
  if (name.empty()) return "metric name is empty";
  if (v == Validation::kUtf8) {
    if (invalid_utf8_at(name) != std::string_view::npos) return "metric name " + quote(name) + " is not valid UTF-8";
    return "";
  }
  if (is_legacy_metric_name(name)) return "";
  if (is_digit(static_cast<unsigned char>(name[0]))) return "metric name " + quote(name) + " starts with a digit";
  return "metric name " + quote(name) + " has characters outside [a-zA-Z0-9_:]";
}

std::string label_name_error(std::string_view name, Validation v, LabelUse use) {
  if (name.empty()) return "label name is empty";
  if (v == Validation::kUtf8) {
    if (invalid_utf8_at(name) != std::string_view::npos) return "label name " + quote(name) + " is not valid UTF-8";
  } else if (!is_legacy_label_name(name)) {
    if (is_digit(static_cast<unsigned char>(name[0]))) return "label name " + quote(name) + " starts with a digit";
    return "label name " + quote(name) + " has characters outside [a-zA-Z0-9_]";
  }
  if (is_reserved_label_name(name))
    return "label name " + quote(name) + " is reserved: names starting with \"__\" are for Prometheus' own use";
  if (use == LabelUse::kAttached && (name == "le" || name == "quantile"))
    return "label name " + quote(name) +
           " has a meaning for histograms and summaries and cannot be attached to every sample";
  return "";
}

SanitizeResult sanitize_metric_name(std::string_view raw) {
  if (raw.empty()) return failed("cannot sanitize an empty metric name");
  std::string out = replace_invalid(raw, NameKind::kMetric);
  if (!has_alnum(out))
    return failed("metric name " + quote(raw) + " sanitizes to " + quote(out) +
                  ", which has nothing usable (no letter or digit)");
  SanitizeResult r;
  r.ok = true;
  r.name = std::move(out);
  return r;
}

SanitizeResult sanitize_label_name(std::string_view raw) {
  if (raw.empty()) return failed("cannot sanitize an empty label name");
  std::string out = replace_invalid(raw, NameKind::kLabel);
  // Removing only two underscores (the seed's approach) turns "___x" into the
  // still-reserved "__x"; drop the whole run instead.
  if (is_reserved_label_name(out)) {
    out.erase(0, out.find_first_not_of('_'));
    if (!out.empty() && is_digit(static_cast<unsigned char>(out[0]))) out.insert(out.begin(), '_');
  }
  if (!has_alnum(out))
    return failed("label name " + quote(raw) + " sanitizes to " + quote(out) +
                  ", which has nothing usable (no letter or digit)");
  SanitizeResult r;
  r.ok = true;
  r.name = std::move(out);
  return r;
}

SanitizeResult build_prefixed_metric_name(std::string_view prefix, std::string_view raw) {
  if (!is_legacy_metric_name(prefix)) return failed("prefix " + quote(prefix) + " is not a valid metric name");
  SanitizeResult r = sanitize_metric_name(raw);
  if (!r.ok) return r;
  r.name = std::string(prefix) + "_" + r.name;
  return r;
}

std::optional<EscapingScheme> parse_escaping_scheme(std::string_view s) {
  if (s == "underscores") return EscapingScheme::kUnderscores;
  if (s == "dots") return EscapingScheme::kDots;
  if (s == "values") return EscapingScheme::kValues;
  return std::nullopt;
}

std::string_view escaping_scheme_name(EscapingScheme s) {
  switch (s) {
    case EscapingScheme::kUnderscores: return "underscores";
    case EscapingScheme::kDots: return "dots";
    case EscapingScheme::kValues: return "values";
  }
  return "";
}

std::string escape_name(std::string_view name, EscapingScheme scheme, NameKind kind) {
  if (name.empty()) return "";
  std::string out;
  switch (scheme) {
    case EscapingScheme::kUnderscores:
      if (is_legacy(name, kind)) return std::string(name);
      for (std::size_t i = 0; i < name.size();) {
        Rune r = decode(name, i);
        out += is_legacy_rune(r.cp, i, kind) ? static_cast<char>(r.cp) : '_';
        i += r.len;
      }
      return out;
    case EscapingScheme::kDots:
      // Legacy names are escaped too: their underscores double.
      for (std::size_t i = 0; i < name.size();) {
        Rune r = decode(name, i);
        if (r.cp == '_') {
          out += "__";
        } else if (r.cp == '.') {
          out += "_dot_";
        } else if (is_legacy_rune(r.cp, i, kind)) {
          out += static_cast<char>(r.cp);
        } else {
          out += "__";
        }
        i += r.len;
      }
      return out;
    case EscapingScheme::kValues:
      if (is_legacy(name, kind)) return std::string(name);
      out = "U__";
      for (std::size_t i = 0; i < name.size();) {
        Rune r = decode(name, i);
        if (r.cp == '_') {
          out += "__";
        } else if (is_legacy_rune(r.cp, i, kind)) {
          out += static_cast<char>(r.cp);
        } else if (r.cp < 0) {
          out += "_FFFD_";
        } else {
          out += '_';
          bool started = false;
          for (int shift = 20; shift >= 0; shift -= 4) {
            unsigned d = (static_cast<std::uint32_t>(r.cp) >> shift) & 0xF;
            if (d != 0 || started || shift == 0) {
              out += kHex[d];
              started = true;
            }
          }
          out += '_';
        }
        i += r.len;
      }
      return out;
  }
  return out;
}

std::optional<std::string> unescape_name(std::string_view s, EscapingScheme scheme) {
  std::string out;
  switch (scheme) {
    case EscapingScheme::kUnderscores: return std::nullopt;
    case EscapingScheme::kDots:
      // Left to right, so "a__dot__b" (from "a_dot_b") is not misread the
      // way a replace-all of "_dot_" would.
      for (std::size_t i = 0; i < s.size();) {
        if (s[i] != '_') {
          out += s[i++];
        } else if (s.substr(i, 2) == "__") {
          out += '_';
          i += 2;
        } else if (s.substr(i, 5) == "_dot_") {
          out += '.';
          i += 5;
        } else {
          return std::nullopt;
        }
      }
      return out;
    case EscapingScheme::kValues: {
      if (s.substr(0, 3) != "U__") return std::string(s);
      for (std::size_t i = 3; i < s.size();) {
        if (s[i] != '_') {
          out += s[i++];
          continue;
        }
        if (i + 1 < s.size() && s[i + 1] == '_') {
          out += '_';
          i += 2;
          continue;
        }
        std::size_t close = s.find('_', i + 1);
        if (close == std::string_view::npos || close == i + 1 || close - i - 1 > 6) return std::nullopt;
        std::uint32_t cp = 0;
        for (std::size_t k = i + 1; k < close; ++k) {
          char c = static_cast<char>(s[k] | 0x20);
          if (c >= '0' && c <= '9') {
            cp = cp * 16 + static_cast<std::uint32_t>(c - '0');
          } else if (c >= 'a' && c <= 'f') {
            cp = cp * 16 + static_cast<std::uint32_t>(c - 'a' + 10);
          } else {
            return std::nullopt;
          }
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
        append_utf8(out, cp);
        i = close + 1;
      }
      return out;
    }
  }
  return std::nullopt;
}

bool escaping_is_reversible(std::string_view name, EscapingScheme scheme, NameKind kind) {
  std::optional<std::string> back = unescape_name(escape_name(name, scheme, kind), scheme);
  return back && *back == name;
}

void append_escaped_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
}

}  // namespace promvet::naming
