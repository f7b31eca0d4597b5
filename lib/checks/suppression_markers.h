// Where a file's suppression markers are, byte for byte, so that they can be audited
// (suppression_audit.h): which ids each one names, its `until=` date, which line it is on.
//
//   YAML rule files and .promql query files, in a `#` comment:
//     # promvet: disable=<id>[,<id>] [until=YYYY-MM-DD]
//     # promvet: disable-file=<id>[,<id>] [until=YYYY-MM-DD]
//     # promvet: disable-next-line=<id>[,<id>] [until=YYYY-MM-DD]
//   Dashboards, in a "description" string of the JSON:
//     promvet:disable=<id>[,<id>] [until=YYYY-MM-DD]
//
// The loaders (lib/sources) apply disable= and disable-file= themselves and ignore until= (the
// id list ends at a blank); this scanner only has to find the same bytes. A marker it finds that
// a loader does not honour is harmless: the audit measures what each marker changes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace promvet::checks {

enum class MarkerForm { kDisable, kDisableFile, kDisableNextLine };

struct MarkerId {
  std::string id;
  uint32_t offset = 0, end_offset = 0;  // the id's bytes in the file
};

struct SuppressionMarker {
  MarkerForm form = MarkerForm::kDisable;
  std::vector<MarkerId> ids;
  uint32_t offset = 0;  // "promvet:"
  uint32_t line = 0;    // 0-based line of the marker
  std::string until;    // as written after `until=`, "" when absent
  uint32_t until_offset = 0, until_end_offset = 0;
};

// Markers in `#` comments (a `#` at the start of a line or after a blank).
std::vector<SuppressionMarker> find_comment_markers(std::string_view content);
// Markers inside the "description" strings of a JSON document (raw bytes, not unescaped).
std::vector<SuppressionMarker> find_description_markers(std::string_view json);

// YYYY-MM-DD, a real calendar day (leap years included).
bool valid_date(std::string_view date);
// Today's date in UTC, YYYY-MM-DD.
std::string utc_today();

}  // namespace promvet::checks
