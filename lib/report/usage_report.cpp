#include "report/usage_report.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace promvet::report {
namespace {

using nlohmann::json;

json site_json(const checks::UseSite& s) {
  json j = {{"file", s.file}, {"line", s.line}, {"column", s.column}, {"kind", s.kind}};
  if (!s.dashboard.empty()) j["dashboard"] = s.dashboard;
  if (!s.panel.empty()) j["panel"] = s.panel;
  if (!s.rule.empty()) j["rule"] = s.rule;
  return j;
}

json metric_json(const checks::UsedMetric& m) {
  json uses = json::array();
  for (const checks::UseSite& s : m.uses) uses.push_back(site_json(s));
  json j = {{"name", m.name}, {"uses", std::move(uses)}};
  if (!m.family.empty()) {
    j["family"] = m.family;
    j["type"] = m.type;
    j["series"] = m.series;
  }
  return j;
}

json to_json(const checks::UsageReport& r) {
  json used = json::array(), missing = json::array(), unused = json::array(), labels = json::array();
  for (const checks::UsedMetric& m : r.used) used.push_back(metric_json(m));
  for (const checks::UsedMetric& m : r.missing) missing.push_back(metric_json(m));
  for (const checks::UnusedMetric& u : r.unused)
    unused.push_back({{"family", u.family}, {"type", u.type}, {"series", u.series}});
  for (const checks::UnknownLabel& l : r.unknown_labels)
    labels.push_back({{"metric", l.metric}, {"label", l.label}, {"uses", l.uses}, {"first_use", site_json(l.at)}});
  json summary = {{"files", r.files},
                  {"expressions", r.expressions},
                  {"unparsed_expressions", r.unparsed_expressions},
                  {"has_inventory", r.has_inventory},
                  {"inventory_families", r.inventory_families},
                  {"inventory_series", r.inventory_series},
                  {"used_metrics", r.used.size()},
                  {"missing_metrics", r.missing.size()},
                  {"unused_metrics", r.unused.size()},
                  {"unused_series", r.unused_series()},
                  {"unknown_labels", r.unknown_labels.size()}};
  return {{"version", 1},
          {"summary", std::move(summary)},
          {"used", std::move(used)},
          {"missing", std::move(missing)},
          {"unused", std::move(unused)},
          {"unknown_labels", std::move(labels)}};
}

std::string dump(const json& j, int indent) {
  // Invalid UTF-8 from user files must not make the writer throw.
  return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

// The page; the report's JSON is embedded and rendered by the inline script, so a script error
// leaves the tables empty (the browser test relies on that).
constexpr const char* kHtmlHead = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>promvet usage report</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2430;background:#fafbfc}
h1{font-size:22px;margin:0 0 16px} h2{font-size:17px;margin:28px 0 8px}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{background:#fff;border:1px solid #d9dee5;border-radius:6px;padding:10px 16px;min-width:120px}
.card .n{font-size:24px;font-weight:600} .card .l{color:#5b6573;font-size:12px}
.card.bad .n{color:#b42318}
table{border-collapse:collapse;background:#fff;width:100%;margin-top:4px}
th,td{border:1px solid #d9dee5;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5;cursor:pointer;user-select:none;white-space:nowrap}
th.asc::after{content:" \25B2"} th.desc::after{content:" \25BC"}
td.num{text-align:right;font-variant-numeric:tabular-nums}
code{font-family:ui-monospace,monospace;font-size:13px}
.where{color:#5b6573;font-size:12px}
#error{display:none;background:#fee4e2;border:1px solid #b42318;padding:8px;margin-bottom:12px}
.bar{fill:#c4320a} .barlabel{font:12px ui-monospace,monospace;fill:#1d2430}
.empty{color:#5b6573;font-style:italic}
</style></head>
<body>
<div id="error"></div>
<h1>promvet usage report</h1>
<div class="cards" id="cards"></div>
<h2>Largest unused metrics (series)</h2><div id="chart"></div>
<h2>Used but missing from the inventory</h2><div id="missing"></div>
<h2>In the inventory, never used</h2><div id="unused"></div>
<h2>Labels queried that the metric does not have</h2><div id="labels"></div>
<h2>All used metrics</h2><div id="used"></div>
<script id="report-data" type="application/json">)";

constexpr const char* kHtmlTail = R"(</script>
<script>
"use strict";
window.onerror = function (msg) {
  document.body.setAttribute("data-error", String(msg));
  var e = document.getElementById("error"); e.style.display = "block"; e.textContent = "Script error: " + msg;
};
(function () {
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var s = data.summary;
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function where(u) {
    var parts = [u.file + ":" + u.line + ":" + u.column];
    if (u.dashboard) parts.push("dashboard " + u.dashboard);
    if (u.panel) parts.push("panel " + u.panel);
    if (u.rule) parts.push("rule " + u.rule);
    return parts.join(" · ");
  }
  var cards = [["files", "files", s.files, false], ["expressions", "expressions", s.expressions, false],
               ["used", "metrics used", s.used_metrics, false], ["missing", "used but missing", s.missing_metrics, s.missing_metrics > 0],
               ["unused", "unused metrics", s.unused_metrics, s.unused_metrics > 0],
               ["unused-series", "unused series", s.unused_series, s.unused_series > 0],
               ["unknown-labels", "unknown labels", s.unknown_labels, s.unknown_labels > 0]];
  var box = document.getElementById("cards");
  cards.forEach(function (c) {
    var d = el("div", {"class": c[3] ? "card bad" : "card"});
    d.appendChild(el("div", {"class": "n", "id": "count-" + c[0]}, c[2]));
    d.appendChild(el("div", {"class": "l"}, c[1]));
    box.appendChild(d);
  });
  // A table whose header cells sort by their column (numbers numerically).
  function table(id, columns, rows) {
    var host = document.getElementById(id);
    if (!rows.length) { host.appendChild(el("p", {"class": "empty"}, s.has_inventory || id === "used" ? "none" : "no inventory given")); return; }
    var t = el("table", {"id": id + "-table"}), head = el("tr"), body = el("tbody");
    columns.forEach(function (c, i) {
      var th = el("th", {}, c.title);
      th.addEventListener("click", function () { sort(i, th); });
      head.appendChild(th);
    });
    var thead = el("thead"); thead.appendChild(head); t.appendChild(thead); t.appendChild(body);
    function render() {
      body.textContent = "";
      rows.forEach(function (r) {
        var tr = el("tr");
        columns.forEach(function (c) {
          var td = el("td", c.num ? {"class": "num"} : {});
          var v = c.value(r);
          if (c.code) td.appendChild(el("code", {}, v)); else td.textContent = String(v);
          if (c.detail) td.appendChild(el("div", {"class": "where"}, c.detail(r)));
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
    }
    function sort(i, th) {
      var asc = !th.classList.contains("asc");
      head.querySelectorAll("th").forEach(function (h) { h.classList.remove("asc", "desc"); });
      th.classList.add(asc ? "asc" : "desc");
      var c = columns[i];
      rows.sort(function (a, b) {
        var x = c.value(a), y = c.value(b);
        var r = c.num ? x - y : String(x).localeCompare(String(y));
        return asc ? r : -r;
      });
      render();
    }
    render();
    host.appendChild(t);
  }
  table("missing", [{title: "metric", code: true, value: function (m) { return m.name; }, detail: function (m) { return where(m.uses[0]); }},
                    {title: "uses", num: true, value: function (m) { return m.uses.length; }}], data.missing);
  table("unused", [{title: "family", code: true, value: function (m) { return m.family; }},
                   {title: "type", value: function (m) { return m.type; }},
                   {title: "series", num: true, value: function (m) { return m.series; }}], data.unused);
  table("labels", [{title: "metric", code: true, value: function (l) { return l.metric; }},
                   {title: "label", code: true, value: function (l) { return l.label; }, detail: function (l) { return where(l.first_use); }},
                   {title: "uses", num: true, value: function (l) { return l.uses; }}], data.unknown_labels);
  table("used", [{title: "metric", code: true, value: function (m) { return m.name; }, detail: function (m) { return m.uses.slice(0, 3).map(where).join("\n"); }},
                 {title: "type", value: function (m) { return m.type || (s.has_inventory ? "missing" : ""); }},
                 {title: "series", num: true, value: function (m) { return m.series || 0; }},
                 {title: "uses", num: true, value: function (m) { return m.uses.length; }}], data.used);
  // Bar chart of the 15 unused families with the most series.
  var top = data.unused.slice(0, 15), chart = document.getElementById("chart");
  if (!top.length) { chart.appendChild(el("p", {"class": "empty"}, s.has_inventory ? "none" : "no inventory given")); }
  else {
    var ns = "http://www.w3.org/2000/svg", w = 760, rowH = 22, labelW = 320, max = top[0].series || 1;
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("id", "unused-chart"); svg.setAttribute("width", w); svg.setAttribute("height", top.length * rowH + 4);
    top.forEach(function (m, i) {
      var y = i * rowH + 2, bw = Math.max(1, Math.round((w - labelW - 60) * m.series / max));
      var label = document.createElementNS(ns, "text");
      label.setAttribute("x", 0); label.setAttribute("y", y + 15); label.setAttribute("class", "barlabel");
      label.textContent = m.family.length > 40 ? m.family.slice(0, 39) + "…" : m.family;
      var rect = document.createElementNS(ns, "rect");
      rect.setAttribute("x", labelW); rect.setAttribute("y", y + 3); rect.setAttribute("width", bw);
      rect.setAttribute("height", rowH - 6); rect.setAttribute("class", "bar");
      var n = document.createElementNS(ns, "text");
      n.setAttribute("x", labelW + bw + 6); n.setAttribute("y", y + 15); n.setAttribute("class", "barlabel");
      n.textContent = m.series;
      svg.appendChild(label); svg.appendChild(rect); svg.appendChild(n);
    });
    chart.appendChild(svg);
  }
  document.body.setAttribute("data-rendered", "1");
})();
</script>
</body></html>
)";

}  // namespace

void write_usage_json(std::ostream& out, const checks::UsageReport& report) { out << dump(to_json(report), 2) << '\n'; }

void write_usage_text(std::ostream& out, const checks::UsageReport& r) {
  out << fmt::format("{} files, {} expressions ({} not parsed), {} metrics used\n", r.files, r.expressions,
                     r.unparsed_expressions, r.used.size());
  if (!r.has_inventory) return;
  out << fmt::format("inventory: {} families, {} series\n", r.inventory_families, r.inventory_series);
  out << fmt::format("used but missing from the inventory: {}\n", r.missing.size());
  for (const checks::UsedMetric& m : r.missing)
    out << fmt::format("  {}  ({} uses, first at {}:{}:{})\n", m.name, m.uses.size(), m.uses[0].file, m.uses[0].line,
                       m.uses[0].column);
  out << fmt::format("never used: {} families, {} series\n", r.unused.size(), r.unused_series());
  for (const checks::UnusedMetric& u : r.unused)
    out << fmt::format("  {}  {} series ({})\n", u.family, u.series, u.type);
  out << fmt::format("labels the metric does not have: {}\n", r.unknown_labels.size());
  for (const checks::UnknownLabel& l : r.unknown_labels)
    out << fmt::format("  {} on {}  (first at {}:{}:{})\n", l.label, l.metric, l.at.file, l.at.line, l.at.column);
}

void write_usage_html(std::ostream& out, const checks::UsageReport& report) {
  // Inside <script>, a "</script>" in a metric or file name would end the element early: every
  // '<' (only ever inside JSON strings) becomes the JSON escape \u003c.
  std::string data = dump(to_json(report), -1);
  std::string safe;
  safe.reserve(data.size());
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '<') {
      safe += "\\u003c";
    } else {
      safe += data[i];
    }
  }
  out << kHtmlHead << safe << kHtmlTail;
}

}  // namespace promvet::report
