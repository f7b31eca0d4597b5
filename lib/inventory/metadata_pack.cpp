#include "inventory/metadata_pack.h"

#include <array>
#include <charconv>

#include "inventory/inventory.h"

namespace promvet::inventory {
namespace {

bool name_char(char c, bool first, bool colon) {
  bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  if (first) return alpha || (colon && c == ':');
  return alpha || (c >= '0' && c <= '9') || (colon && c == ':');
}

bool valid_name(std::string_view s, bool colon) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (!name_char(s[i], i == 0, colon)) return false;
  return true;
}

bool valid_labels(std::string_view s) {
  while (!s.empty()) {
    std::size_t comma = s.find(',');
    if (!valid_name(s.substr(0, comma), false)) return false;
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
    if (s.empty()) return false;  // a trailing comma
  }
  return true;
}

// A field of free text (unit, version): printable, no separators.
bool valid_text(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == ',') return false;
  return s.size() <= 128;
}

// Splits `line` at tabs into exactly N fields; false when the count differs.
template <std::size_t N>
bool split_fields(std::string_view line, std::array<std::string_view, N>& out) {
  std::size_t i = 0;
  while (true) {
    std::size_t tab = line.find('\t');
    if (i == N) return false;
    out[i++] = line.substr(0, tab);
    if (tab == std::string_view::npos) break;
    line.remove_prefix(tab + 1);
  }
  return i == N;
}

}  // namespace

bool valid_pack_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return name.front() != '.';
}

ReadPack parse_metadata_pack(std::string path, std::string text) {
  ReadPack out;
  auto fail = [&](std::size_t line, const std::string& message) {
    out.error = path + ":" + std::to_string(line) + ": " + message;
    return std::move(out);
  };
  if (text.size() > kMaxPackBytes)
    return fail(1, "larger than " + std::to_string(kMaxPackBytes >> 20) + " MiB: not a metadata pack");
  auto owned = std::make_shared<const std::string>(std::move(text));
  MetadataPack pack;
  pack.path = path;
  pack.text = owned;
  std::string_view rest = *owned;
  std::size_t line_no = 0;
  bool ended = false;
  std::string_view previous;
  while (!rest.empty()) {
    ++line_no;
    std::size_t nl = rest.find('\n');
    if (nl == std::string_view::npos) return fail(line_no, "the last line does not end in a newline: truncated");
    std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl + 1);
    if (ended) return fail(line_no, "text after the end line");
    if (line_no == 1) {
      if (line != kPackHeader)
        return fail(1, "not a metadata pack: the first line must be \"" + std::string(kPackHeader) + "\"");
      continue;
    }
    if (!line.empty() && line.front() == '#') {
      constexpr std::string_view kPack = "# pack: ", kEnd = "# end: ";
      if (line.substr(0, kPack.size()) == kPack) {
        if (!pack.name.empty()) return fail(line_no, "a second pack line");
        std::string_view name = line.substr(kPack.size());
        if (!valid_pack_name(name)) return fail(line_no, "invalid pack name \"" + std::string(name) + "\"");
        pack.name = std::string(name);
      } else if (line.substr(0, kEnd.size()) == kEnd) {
        std::string_view count = line.substr(kEnd.size());
        std::size_t n = 0;
        auto [p, ec] = std::from_chars(count.data(), count.data() + count.size(), n);
        if (ec != std::errc() || std::string_view(p, count.data() + count.size() - p) != " families")
          return fail(line_no, "malformed end line (expected \"# end: N families\")");
        if (n != pack.families.size())
          return fail(line_no, "the end line counts " + std::to_string(n) + " families but " +
                                   std::to_string(pack.families.size()) + " were read");
        ended = true;
      }
      continue;
    }
    if (pack.name.empty()) return fail(line_no, "a family before the \"# pack: NAME\" line");
    std::array<std::string_view, 5> f;
    if (!split_fields(line, f))
      return fail(line_no, "expected 5 tab-separated fields (name, type, unit, labels, version)");
    PackFamily fam;
    fam.name = f[0];
    if (!valid_name(fam.name, true))
      return fail(line_no, "invalid metric name \"" + std::string(fam.name.substr(0, 200)) + "\"");
    if (!previous.empty() && !(previous < fam.name))
      return fail(line_no, "\"" + std::string(fam.name) + "\" is out of order or repeated (names are sorted, unique)");
    std::optional<expfmt::MetricType> type = type_from_name(f[1]);
    if (!type) return fail(line_no, "unknown type \"" + std::string(f[1].substr(0, 40)) + "\"");
    fam.type = *type;
    if (!valid_text(f[2])) return fail(line_no, "invalid unit");
    fam.unit = f[2];
    if (!valid_labels(f[3])) return fail(line_no, "invalid label list (label names separated by commas)");
    fam.labels = f[3];
    if (f[4].empty() || !valid_text(f[4])) return fail(line_no, "missing or invalid version");
    fam.version = f[4];
    if (pack.families.size() == kMaxPackFamilies)
      return fail(line_no, "more than " + std::to_string(kMaxPackFamilies) + " families");
    pack.families.push_back(fam);
    previous = fam.name;
  }
  if (line_no == 0) return fail(1, "empty file: not a metadata pack");
  if (!ended) return fail(line_no, "no \"# end: N families\" line: truncated");
  out.pack = std::move(pack);
  return out;
}

std::string to_metadata_pack(const Inventory& inventory, std::string_view pack, std::string_view version) {
  std::string out(kPackHeader);
  out += "\n# pack: ";
  out += pack;
  out += "\n# family\ttype\tunit\tlabels\tversion\n";
  std::size_t n = 0;
  for (const auto& [name, f] : inventory.families()) {
    out += name;
    out += '\t';
    out += expfmt::metric_type_name(f.type);
    out += '\t';
    out += f.unit;
    out += '\t';
    bool first = true;
    for (const auto& [label, values] : f.labels) {
      if (!first) out += ',';
      out += label;
      first = false;
    }
    out += '\t';
    out += version;
    out += '\n';
    ++n;
  }
  out += "# end: " + std::to_string(n) + " families\n";
  return out;
}

}  // namespace promvet::inventory
