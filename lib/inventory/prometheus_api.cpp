#include "inventory/prometheus_api.h"

#include <chrono>

#include <nlohmann/json.hpp>

#include "base/go_quote.h"

namespace promvet::inventory {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct Response {
  bool ok = false;
  std::string error;
  json data;
};

// GET base + path, parse the API envelope {"status", "data", "errorType", "error", "warnings"}.
Response get(const std::string& base, const std::string& path_and_query, const ApiOptions& o, ApiResult& result) {
  Response r;
  FetchOptions fo = o.fetch;
  fo.accept = "application/json";
  std::string body;
  std::string url = base + path_and_query;
  ++result.requests;
  FetchResult f = fetch(
      url, fo, [](std::string_view) {},
      [&](std::string_view chunk) {
        body.append(chunk);
        return true;
      });
  std::string call = path_and_query.substr(0, path_and_query.find('?'));
  if (!f.ok) {
    r.error = call + ": " + f.error;
    return r;
  }
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    r.error = call + ": response is not a JSON object (content type \"" + f.content_type + "\")";
    return r;
  }
  auto status = doc.find("status");
  if (status == doc.end() || !status->is_string()) {
    r.error = call + ": response has no \"status\"";
    return r;
  }
  if (auto w = doc.find("warnings"); w != doc.end() && w->is_array())
    for (const json& s : *w)
      if (s.is_string()) result.warnings.push_back(call + ": " + s.get<std::string>());
  if (status->get<std::string>() != "success") {
    std::string type = doc.value("errorType", std::string());
    std::string message = doc.contains("error") && doc["error"].is_string() ? doc["error"].get<std::string>() : "";
    r.error = call + ": status " + status->get<std::string>() + (type.empty() ? "" : " (" + type + ")") +
              (message.empty() ? "" : ": " + message);
    return r;
  }
  auto data = doc.find("data");
  if (data == doc.end()) {
    r.error = call + ": response has no \"data\"";
    return r;
  }
  r.data = std::move(*data);
  r.ok = true;
  return r;
}

std::string time_params(const ApiOptions& o) {
  std::string q;
  if (o.start_unix) q += "&start=" + std::to_string(o.start_unix);
  if (o.end_unix) q += "&end=" + std::to_string(o.end_unix);
  return q;
}

const char* json_string_or_empty(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get_ref<const std::string&>().c_str() : "";
}

// /api/v1/metadata's {"name": [{"type", "help", "unit"}, ...]} to the handler.
void report_metadata(const json& data, ApiHandler& handler) {
  if (!data.is_object()) return;
  for (const auto& [name, entries] : data.items()) {
    if (!entries.is_array() || entries.empty() || !entries.front().is_object()) continue;
    const json& m = entries.front();  // one entry per distinct metadata; the first is enough
    handler.on_metadata(name, json_string_or_empty(m, "type"), json_string_or_empty(m, "help"),
                        json_string_or_empty(m, "unit"));
  }
}

std::vector<std::string> string_items(const json& data) {
  std::vector<std::string> out;
  if (data.is_array())
    for (const json& n : data)
      if (n.is_string()) out.push_back(n.get<std::string>());
  return out;
}

// The match[] parameters of each /api/v1/series request: the caller's selectors as one batch,
// else the metric names, batch_size at a time (one request for every name would be too long a URL).
std::vector<std::string> series_batches(const ApiOptions& o, const std::string& match_params,
                                        const std::vector<std::string>& names) {
  std::vector<std::string> batches;
  if (!o.match.empty()) {
    batches.push_back(match_params);
    return batches;
  }
  size_t per = std::max<size_t>(1, o.batch_size);
  for (size_t i = 0; i < names.size(); i += per) {
    std::string b;
    for (size_t j = i; j < std::min(names.size(), i + per); ++j)
      b += "&match[]=" + url_encode("{__name__=" + base::go_quote(names[j]) + "}");
    batches.push_back(std::move(b));
  }
  return batches;
}

// One /api/v1/series answer to the handler, up to the series limit.
void report_series(const json& data, const ApiOptions& o, ApiResult& result, ApiHandler& handler) {
  if (!data.is_array()) return;
  LabelSet labels;
  for (const json& series : data) {
    if (!series.is_object()) continue;
    if (result.series >= o.series_limit) break;  // reported by read_series
    labels.clear();
    for (const auto& [k, v] : series.items())
      if (v.is_string()) labels.emplace_back(k, v.get<std::string>());
    handler.on_series(labels);
    ++result.series;
  }
}

// Stops early, and says so in a warning, at the series limit or the deadline; a failed batch
// is a warning too, so that one bad request keeps what the others give.
void read_series(const std::string& base, const ApiOptions& o, const std::vector<std::string>& batches,
                 Clock::time_point deadline, ApiResult& result, ApiHandler& handler) {
  for (const std::string& batch : batches) {
    if (result.series >= o.series_limit) {
      result.partial = true;
      result.warnings.push_back("stopped at the series limit of " + std::to_string(o.series_limit));
      break;
    }
    if (Clock::now() > deadline) {
      result.partial = true;
      result.warnings.push_back("stopped at the deadline of " + std::to_string(o.deadline_seconds) + " s");
      break;
    }
    std::string q = "?" + batch.substr(1) + time_params(o) + "&limit=" + std::to_string(o.series_limit - result.series);
    Response s = get(base, "/api/v1/series" + q, o, result);
    if (!s.ok) {
      result.partial = true;
      result.warnings.push_back(s.error);
      continue;
    }
    report_series(s.data, o, result, handler);
  }
  bool said = false;
  for (const std::string& w : result.warnings) said |= w.rfind("stopped at the series limit", 0) == 0;
  if (result.series >= o.series_limit && !said) {
    result.partial = true;
    result.warnings.push_back("stopped at the series limit of " + std::to_string(o.series_limit));
  }
}

}  // namespace

std::string url_encode(std::string_view s) { return url_escape(s); }

ApiResult read_prometheus_api(const std::string& base_url, const ApiOptions& o, ApiHandler& handler) {
  ApiResult result;
  std::string base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const Clock::time_point deadline =
      Clock::now() + std::chrono::milliseconds(static_cast<int64_t>(o.deadline_seconds * 1000));

  Response meta = get(base, "/api/v1/metadata", o, result);
  if (!meta.ok) {
    result.error = meta.error;
    return result;
  }
  report_metadata(meta.data, handler);

  std::string match_params;
  for (const std::string& m : o.match) match_params += "&match[]=" + url_encode(m);
  std::string query = match_params + time_params(o);
  if (!query.empty()) query[0] = '?';
  Response names = get(base, "/api/v1/label/__name__/values" + query, o, result);
  if (!names.ok) {
    result.error = names.error;
    return result;
  }
  std::vector<std::string> name_list = string_items(names.data);
  for (const std::string& n : name_list) handler.on_name(n);
  result.names = name_list.size();
  if (o.read_series) read_series(base, o, series_batches(o, match_params, name_list), deadline, result, handler);
  result.ok = true;
  return result;
}

}  // namespace promvet::inventory
