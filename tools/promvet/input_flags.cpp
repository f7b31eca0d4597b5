#include "input_flags.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "expfmt/parser.h"
#include "io/bounded_read.h"

namespace promvet::cli {

// A token file holds one line; the bound keeps /dev/zero from filling memory.
constexpr std::uint64_t kMaxTokenFileBytes = 1u << 20;

void add_input_flags(CLI::App* cmd, InputFlags* flags) {
  cmd->add_option("--format", flags->format, "Exposition format (auto: Content-Type, # EOF, # UNIT, exemplars)")
      ->check(CLI::IsMember({"auto", "text", "openmetrics"}))
      ->capture_default_str();
  cmd->add_option("--timeout", flags->timeout, "Seconds allowed for fetching a URL")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--max-bytes", flags->max_bytes, "Largest (decompressed) body fetched from a URL")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--max-file-bytes", flags->max_file_bytes,
                  "Largest input read from a file or stdin (an endless one, /dev/zero, ends with an error)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--header", flags->headers, "Extra HTTP header Name:value (repeatable)")->allow_extra_args(false);
  cmd->add_option("--bearer-token-file", flags->bearer_token_file, "File whose first line is sent as a bearer token");
  cmd->add_flag("--insecure-skip-verify", flags->insecure, "Do not verify TLS certificates");
}

bool make_fetch_options(const InputFlags& flags, inventory::FetchOptions* out, std::string* error) {
  out->timeout_seconds = flags.timeout;
  out->max_bytes = flags.max_bytes;
  out->verify_tls = !flags.insecure;
  for (const std::string& h : flags.headers) {
    auto colon = h.find(':');
    if (colon == std::string::npos || colon == 0) {
      *error = "--header \"" + h + "\" is not of the form Name:value";
      return false;
    }
    std::string value = h.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    out->headers.push_back(h.substr(0, colon) + ": " + value);
  }
  if (!flags.bearer_token_file.empty()) {
    std::string text, read_error;
    if (!io::read_file(flags.bearer_token_file, kMaxTokenFileBytes, &text, &read_error)) {
      *error = "--bearer-token-file: " + read_error;
      return false;
    }
    out->bearer_token = text.substr(0, text.find('\n'));
    while (!out->bearer_token.empty() && (out->bearer_token.back() == '\r' || out->bearer_token.back() == ' ')) {
      out->bearer_token.pop_back();
    }
  }
  return true;
}

inventory::InputLimits make_input_limits(const InputFlags& flags, std::size_t max_line_bytes) {
  inventory::InputLimits limits;
  limits.max_file_bytes = flags.max_file_bytes;
  limits.max_line_run = static_cast<std::uint64_t>(max_line_bytes) + inventory::kLineRunSlack;
  return limits;
}

std::string content_type_refusal(const InputFlags& flags, const inventory::InputStart& start) {
  std::string lower(start.content_type);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (flags.format != "auto" || lower.empty() || lower.rfind("text/plain", 0) == 0 ||
      lower.rfind("application/openmetrics-text", 0) == 0)
    return "";
  return "unexpected content type \"" + std::string(start.content_type) +
         "\"; a metrics endpoint serves application/openmetrics-text or text/plain (use --format to parse anyway)";
}

expfmt::Format choose_format(const InputFlags& flags, const inventory::InputStart& start) {
  if (flags.format == "text") return expfmt::Format::kText;
  if (flags.format == "openmetrics") return expfmt::Format::kOpenMetrics;
  return expfmt::detect_format(start.content_type, start.head, start.tail);
}

}  // namespace promvet::cli
