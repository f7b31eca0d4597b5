// Flags every command that reads an exposition shares: --format and the
// options for fetching http(s) URLs. One definition so `metrics`, `inject`
// (and later `inventory`) accept and check them the same way.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "expfmt/events.h"
#include "inventory/http_fetch.h"
#include "inventory/input_source.h"

namespace promvet::cli {

struct InputFlags {
  std::string format = "auto";
  double timeout = 10;
  std::uint64_t max_bytes = 256ull << 20;
  std::uint64_t max_file_bytes = inventory::kDefaultMaxFileBytes;
  std::vector<std::string> headers;
  std::string bearer_token_file;
  bool insecure = false;
};

void add_input_flags(CLI::App* cmd, InputFlags* flags);

// Builds fetch options; false with *error set for a bad --header or an
// unreadable --bearer-token-file.
bool make_fetch_options(const InputFlags& flags, inventory::FetchOptions* out, std::string* error);

// Bounds for reading files and stdin: --max-file-bytes, and an unbroken line may run on for
// inventory::kLineRunSlack past the parser's max_line_bytes.
inventory::InputLimits make_input_limits(const InputFlags& flags, std::size_t max_line_bytes = 8u << 20);

// --format text|openmetrics, or detection from what read_input saw first.
expfmt::Format choose_format(const InputFlags& flags, const inventory::InputStart& start);

// With --format auto, a URL that answers a content type no exposition has (text/html, an image,
// JSON) is refused rather than parsed: the message says so; empty when the input is acceptable.
std::string content_type_refusal(const InputFlags& flags, const inventory::InputStart& start);

}  // namespace promvet::cli
