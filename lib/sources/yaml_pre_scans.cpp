// A YAML file's pre-scans (sources/yaml_tree_internal.h, PreScans): go-yaml's reader refusals
// (sources/yaml_stream.h) and a nesting count that refuses pathological inputs before libyaml.
#include <cctype>
#include <string>
#include <system_error>
#include <vector>

#include "sources/diagnostic_ids.h"
#include "sources/yaml_tree_internal.h"

namespace promvet::sources::yaml_tree {
namespace {

// Below this size the pre-scans are not worth a thread (the YAML split's threshold).
constexpr size_t kAsideBytes = 256 * 1024;

// The characters the nesting count below looks at (outside a quoted scalar), by byte.
struct FlowRelevant {
  bool table[256] = {};
  FlowRelevant() {
    for (unsigned char c : std::string_view("#\"'[{]}")) table[c] = true;
  }
};
const FlowRelevant kFlowRelevant;
bool flow_relevant(char c) { return kFlowRelevant.table[static_cast<unsigned char>(c)]; }

// Nesting of flow collections ([ and { outside scalars) and block indentation levels, counted
// without recursion, so pathological inputs are refused before the parser sees them.
bool too_deep(std::string_view s, uint32_t max_depth, size_t& where) {
  std::vector<size_t> indents;
  size_t flow = 0;
  size_t p = 0;
  while (p < s.size()) {
    size_t e = s.find('\n', p);
    if (e == std::string_view::npos) e = s.size();
    size_t q = p;
    while (q < e && s[q] == ' ') ++q;
    bool content = q < e && s[q] != '#' && s[q] != '\r';
    if (content && flow == 0) {
      size_t ind = q - p;
      while (!indents.empty() && indents.back() >= ind) indents.pop_back();
      indents.push_back(ind);
      // "- - - x" opens one level per dash.
      size_t dashes = 0;
      size_t r = q;
      while (r + 1 < e && s[r] == '-' && s[r + 1] == ' ') {
        ++dashes;
        r += 2;
        while (r < e && s[r] == ' ') ++r;
      }
      if (indents.size() + dashes > max_depth) {
        where = q;
        return true;
      }
    }
    // Flow collections: a '[' or '{' that starts a value, or any inside flow context.
    char quote = 0;
    for (size_t k = q; k < e; ++k) {
      if (quote) {
        if (s[k] == quote) quote = 0;
        continue;
      }
      while (k < e && !flow_relevant(s[k])) ++k;
      if (k == e) break;
      const char c = s[k];
      if (c == '#' && (k == p || is_white(s[k - 1]))) break;
      bool value_start = k == q || (k >= 2 && (s[k - 1] == ' ') && (s[k - 2] == ':' || s[k - 2] == '-')) ||
                         (k >= 1 && (s[k - 1] == '[' || s[k - 1] == '{' || s[k - 1] == ','));
      if (flow > 0 && (c == '"' || c == '\'') && (k == 0 || !std::isalnum(static_cast<unsigned char>(s[k - 1])))) {
        quote = c;
        continue;
      }
      if ((c == '[' || c == '{') && (flow > 0 || value_start)) {
        ++flow;
        if (flow + indents.size() > max_depth) {
          where = k;
          return true;
        }
      } else if ((c == ']' || c == '}') && flow > 0) {
        --flow;
      }
    }
    p = e + 1;
  }
  return false;
}

}  // namespace

PreScans::PreScans(std::string_view content, uint32_t max_depth, unsigned threads)
    : content_(content), max_depth_(max_depth) {
  if (threads > 1 && content.size() >= kAsideBytes) {
    try {
      thread_ = std::thread([this] {
        try {
          scan();
        } catch (...) {  // out of memory: rethrown by error(), as without the thread
          failure_ = std::current_exception();
        }
      });
    } catch (const std::system_error&) {  // no thread to be had: scanned here
    }
  }
  aside_ = thread_.joinable();
  if (!aside_) scan();
}

PreScans::~PreScans() {
  if (thread_.joinable()) thread_.join();
}

void PreScans::scan() {
  bad_ = check_yaml_stream(content_);
  if (!bad_) deep_ = too_deep(content_, max_depth_, where_);
}

std::optional<PreScans::Error> PreScans::error() {
  if (thread_.joinable()) thread_.join();
  if (failure_) std::rethrow_exception(failure_);
  if (bad_) return Error{ids::kInvalidYaml, bad_->message, bad_->offset};
  if (deep_) return Error{ids::kTooDeep, "yaml nesting deeper than " + std::to_string(max_depth_) + " levels", where_};
  return std::nullopt;
}

}  // namespace promvet::sources::yaml_tree
