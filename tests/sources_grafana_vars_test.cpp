// Grafana variable expansion: syntaxes, formats, multi-value/include-all, globals, unknown
// variables, and the offset map (every expanded character maps to the reference's `$` or `[`).
#include <gtest/gtest.h>

#include <chrono>

#include <string>
#include <vector>

#include "promql/parse.h"
#include "sources/grafana_vars.h"

namespace promvet::sources {
namespace {

VariableContext ctx() {
  VariableContext c;
  c.dashboard_title = "My Dash";
  c.dashboard_uid = "abc";
  GrafanaVariable job;
  job.name = "job";
  job.type = "query";
  job.current = {"api"};
  c.variables.push_back(job);
  GrafanaVariable inst;
  inst.name = "instance";
  inst.type = "query";
  inst.multi = true;
  inst.include_all = true;
  inst.current = {"a:9090", "b.x:9090"};
  inst.options = {"a:9090", "b.x:9090", "c:9090"};
  c.variables.push_back(inst);
  GrafanaVariable all;
  all.name = "pod";
  all.type = "query";
  all.multi = true;
  all.include_all = true;
  all.current = {"$__all"};
  c.variables.push_back(all);
  GrafanaVariable allv = all;
  allv.name = "ns";
  allv.has_all_value = true;
  allv.all_value = ".+";
  c.variables.push_back(allv);
  GrafanaVariable custom;
  custom.name = "quantile";
  custom.type = "custom";
  custom.query = "0.99, 0.9,0.5";
  custom.options = {"0.99", "0.9", "0.5"};
  c.variables.push_back(custom);
  GrafanaVariable iv;
  iv.name = "window";
  iv.type = "interval";
  iv.query = "1m,5m,10m";
  iv.options = {"1m", "5m", "10m"};
  iv.current = {"5m"};
  c.variables.push_back(iv);
  GrafanaVariable k;
  k.name = "threshold";
  k.type = "constant";
  k.query = "42";
  c.variables.push_back(k);
  return c;
}

std::string expand(const std::string& s) { return expand_variables(s, {}, ctx()).text; }

bool parses(const std::string& s) {
  auto r = promql::parse(s);
  if (!r.ok()) ADD_FAILURE() << s << ": " << promql::format_error(s, *r.error);
  return r.ok();
}

TEST(GrafanaVars, Syntaxes) {
  EXPECT_EQ(expand("up{job=\"$job\"}"), "up{job=\"api\"}");
  EXPECT_EQ(expand("up{job=\"${job}\"}"), "up{job=\"api\"}");
  EXPECT_EQ(expand("up{job=\"[[job]]\"}"), "up{job=\"api\"}");
  EXPECT_EQ(expand("up{job=\"[[job:csv]]\"}"), "up{job=\"api\"}");
  EXPECT_EQ(expand("up{job=\"${job:raw}\"}"), "up{job=\"api\"}");
  EXPECT_EQ(expand("rate(x[$window])"), "rate(x[5m])");
  EXPECT_EQ(expand("x > $threshold"), "x > 42");
  EXPECT_EQ(expand("histogram_quantile($quantile, y)"), "histogram_quantile(0.99, y)");
}

TEST(GrafanaVars, MultiValueAndAll) {
  // The Prometheus data source regex-escapes multi values and joins them with |.
  EXPECT_EQ(expand("up{instance=~\"$instance\"}"), "up{instance=~\"(a:9090|b\\\\.x:9090)\"}");
  EXPECT_TRUE(parses(expand("up{instance=~\"$instance\"}")));
  EXPECT_EQ(expand("up{pod=~\"$pod\"}"), "up{pod=~\".*\"}");
  EXPECT_EQ(expand("up{ns=~\"$ns\"}"), "up{ns=~\".+\"}");
  EXPECT_EQ(expand("up{ns=~\"${ns:raw}\"}"), "up{ns=~\".+\"}");
}

TEST(GrafanaVars, Formats) {
  std::vector<std::string> v = {"a.b", "c'd"};
  EXPECT_EQ(format_variable_values(v, "csv", "x"), "a.b,c'd");
  EXPECT_EQ(format_variable_values(v, "pipe", "x"), "a.b|c'd");
  EXPECT_EQ(format_variable_values(v, "regex", "x"), "(a\\.b|c'd)");
  EXPECT_EQ(format_variable_values(v, "glob", "x"), "{a.b,c'd}");
  EXPECT_EQ(format_variable_values(v, "raw", "x"), "a.b,c'd");
  EXPECT_EQ(format_variable_values(v, "json", "x"), "[\"a.b\",\"c'd\"]");
  EXPECT_EQ(format_variable_values(v, "doublequote", "x"), "\"a.b\",\"c'd\"");
  EXPECT_EQ(format_variable_values(v, "singlequote", "x"), "'a.b','c\\'d'");
  EXPECT_EQ(format_variable_values(v, "sqlstring", "x"), "'a.b','c''d'");
  EXPECT_EQ(format_variable_values(v, "text", "x"), "a.b + c'd");
  EXPECT_EQ(format_variable_values(v, "queryparam", "x"), "var-x=a.b&var-x=c%27d");
  EXPECT_EQ(format_variable_values(v, "distributed", "x"), "a.b,x=c'd");
  EXPECT_EQ(format_variable_values(v, "lucene", "x"), "(\"a.b\" OR \"c'd\")");
  EXPECT_EQ(format_variable_values({"a.b"}, "regex", "x"), "a\\.b");
  EXPECT_EQ(format_variable_values({"a b"}, "lucene", "x"), "a\\ b");
  EXPECT_EQ(expand("up{instance=~\"${instance:pipe}\"}"), "up{instance=~\"a:9090|b.x:9090\"}");
}

TEST(GrafanaVars, Globals) {
  EXPECT_EQ(expand("rate(x[$__rate_interval])"), "rate(x[1m])");
  EXPECT_EQ(expand("rate(x[$__interval])"), "rate(x[15s])");
  EXPECT_EQ(expand("rate(x[${__interval}])"), "rate(x[15s])");
  EXPECT_EQ(expand("x / $__interval_ms"), "x / 15000");
  EXPECT_EQ(expand("increase(x[$__range])"), "increase(x[1h])");
  EXPECT_EQ(expand("x / $__range_s"), "x / 3600");
  EXPECT_EQ(expand("x / $__range_ms"), "x / 3600000");
  EXPECT_EQ(expand("x @ ${__from:date:seconds}"), "x @ 1700000000");
  EXPECT_EQ(expand("$__to"), "1700003600000");
  // The auto interval: the last hour in 30 steps (Grafana's default auto_count), rounded: 2m.
  EXPECT_EQ(expand("rate(x[$__auto])"), "rate(x[2m])");
  EXPECT_EQ(expand("rate(x[$__auto_interval_win])"), "rate(x[2m])");
  EXPECT_EQ(expand("x{d=\"$__dashboard\"}"), "x{d=\"My Dash\"}");
  EXPECT_EQ(expand("x{d=\"${__dashboard.uid}\"}"), "x{d=\"abc\"}");
  EXPECT_EQ(expand("x{o=\"$__org\",u=\"${__user.login}\",n=\"$__name\"}"), "x{o=\"1\",u=\"admin\",n=\"x\"}");
}

TEST(GrafanaVars, MapPointsAtReference) {
  std::string s = "rate(up{job=\"$job\"}[$__rate_interval])";
  Expansion e = expand_variables(s, {}, ctx());
  ASSERT_EQ(e.map.size(), e.text.size() + 1);
  size_t a = e.text.find("api");
  for (size_t i = a; i < a + 3; ++i) EXPECT_EQ(e.map[i], s.find("$job"));
  size_t m = e.text.find("1m");
  EXPECT_EQ(e.map[m], s.find("$__rate"));
  EXPECT_EQ(e.map[m + 1], s.find("$__rate"));
  EXPECT_EQ(e.map[m + 2], s.find("])"));  // after the reference: the original characters again
  EXPECT_EQ(e.map.back(), s.size());
  EXPECT_EQ(e.used, (std::vector<std::string>{"job", "__rate_interval"}));
}

TEST(GrafanaVars, MapComposesWithInputMap) {
  std::string s = "x[$__interval]";
  std::vector<uint32_t> map;
  for (size_t i = 0; i <= s.size(); ++i) map.push_back(static_cast<uint32_t>(100 + 2 * i));
  Expansion e = expand_variables(s, map, ctx());
  EXPECT_EQ(e.text, "x[15s]");
  EXPECT_EQ(e.map[2], 104u);
  EXPECT_EQ(e.map[4], 104u);
  EXPECT_EQ(e.map[5], 100u + 2 * 13);
  EXPECT_EQ(e.map.back(), 100u + 2 * 14);
}

TEST(GrafanaVars, SpansCoverEachExpansionInTextOrder) {
  std::string s = "rate(up{job=\"$job\",instance=~\"${instance}\",x=\"$nope\"}[$__rate_interval]) > [[threshold]]";
  Expansion e = expand_variables(s, {}, ctx());
  ASSERT_EQ(e.spans.size(), 5u);
  struct Want {
    const char* name;
    const char* expanded;
    bool multi;
  } want[] = {{"job", "api", false},
              {"instance", "(a:9090|b\\\\.x:9090)", true},
              {"nope", "x", false},
              {"__rate_interval", "1m", false},
              {"threshold", "42", false}};
  uint32_t prev_end = 0;
  for (size_t i = 0; i < 5; ++i) {
    const VariableSpan& v = e.spans[i];
    EXPECT_EQ(v.name, want[i].name);
    EXPECT_EQ(e.text.substr(v.begin, v.end - v.begin), want[i].expanded) << v.name;
    EXPECT_EQ(v.multi_value, want[i].multi) << v.name;
    EXPECT_GE(v.begin, prev_end);
    prev_end = v.end;
    // Every character of the span maps to the reference's first character in the input.
    for (uint32_t k = v.begin; k < v.end; ++k) EXPECT_TRUE(s[e.map[k]] == '$' || s[e.map[k]] == '[') << v.name;
  }
  EXPECT_EQ(e.map[e.spans[1].begin], s.find("${instance}"));
}

TEST(GrafanaVars, SpansMarkIncludeAllAsMultiValueAndSkipNonVariables) {
  Expansion e = expand_variables("up{pod=~\"$pod\"} and label_replace(up, \"a\", \"$1\", \"b\", \"(.*)\")", {}, ctx());
  ASSERT_EQ(e.spans.size(), 1u);
  EXPECT_EQ(e.spans[0].name, "pod");
  EXPECT_TRUE(e.spans[0].multi_value);
  EXPECT_EQ(e.text.substr(e.spans[0].begin, e.spans[0].end - e.spans[0].begin), ".*");
  EXPECT_TRUE(expand_variables("x[5m:1m]", {}, ctx()).spans.empty());
}

TEST(GrafanaVars, ReferenceLengthOfEachSyntax) {
  std::string s = "x{a=\"$job\",b=\"${inst:regex}\",c=\"[[pod]]\"} $ 5";
  EXPECT_EQ(reference_length(s, s.find("$job")), 4u);
  EXPECT_EQ(reference_length(s, s.find("${inst")), 13u);
  EXPECT_EQ(reference_length(s, s.find("[[pod")), 7u);
  EXPECT_EQ(reference_length(s, s.find("job")), 0u);  // not at a reference's start
  EXPECT_EQ(reference_length(s, s.find("$ 5")), 0u);
  EXPECT_EQ(reference_length(s, s.size()), 0u);
}

TEST(GrafanaVars, GlobalsAreTheDoubleUnderscoreNames) {
  EXPECT_TRUE(is_grafana_global("__rate_interval"));
  EXPECT_TRUE(is_grafana_global("__searchFilter"));
  EXPECT_FALSE(is_grafana_global("job"));
  EXPECT_FALSE(is_grafana_global("_job"));
  EXPECT_FALSE(is_grafana_global("__"));
}

TEST(GrafanaVars, UnknownVariablesKeepExpressionsParseable) {
  struct Case {
    std::string in, out;
  } cases[] = {
      {"up{job=\"$nope\"}", "up{job=\"x\"}"},    {"rate(up[$win])", "rate(up[1m])"},
      {"sum by ($grp) (up)", "sum by (x) (up)"}, {"up > $limit", "up > 1"},
      {"node_${kind}_total", "node_x_total"},    {"up{$lbl=\"a\"}", "up{x=\"a\"}"},
  };
  for (const auto& c : cases) {
    Expansion e = expand_variables(c.in, {}, ctx());
    EXPECT_EQ(e.text, c.out) << c.in;
    EXPECT_EQ(e.unknown.size(), 1u) << c.in;
    EXPECT_TRUE(parses(e.text));
  }
  Expansion e = expand_variables("up{job=\"$nope\"}", {}, ctx());
  EXPECT_EQ(e.unknown[0].name, "nope");
  EXPECT_EQ(e.unknown[0].file_offset, 8u);
  EXPECT_EQ(e.used, std::vector<std::string>{"nope"});
}

TEST(GrafanaVars, NotVariables) {
  // label_replace back-references, regex anchors, lone `$`, unterminated ${ and [[.
  for (std::string s : {"label_replace(up, \"a\", \"$1\", \"b\", \"(.*)\")", "up{a=~\"x$\"}", "up{a=~\"$\"}",
                        "up{a=\"${\"}", "x[5m:1m]", "x[ [a]]"}) {
    Expansion e = expand_variables(s, {}, ctx());
    EXPECT_EQ(e.text, s);
    EXPECT_TRUE(e.used.empty()) << s;
  }
}

TEST(GrafanaVars, DefaultsWithoutCurrent) {
  VariableContext c;
  GrafanaVariable v;
  v.name = "q";
  v.type = "custom";
  v.query = "0.5, 0.9";
  c.variables.push_back(v);
  GrafanaVariable i;
  i.name = "iv";
  i.type = "interval";
  i.current = {"auto"};
  c.variables.push_back(i);
  EXPECT_EQ(expand_variables("histogram_quantile($q, x)", {}, c).text, "histogram_quantile(0.5, x)");
  EXPECT_EQ(expand_variables("rate(x[$iv])", {}, c).text, "rate(x[2m])");  // "auto": the auto interval
  // A query variable saved without value or options: the placeholder for where it stands.
  GrafanaVariable q;
  q.name = "timeout";
  q.type = "query";
  c.variables.push_back(q);
  EXPECT_EQ(expand_variables("increase(x{a=\"$timeout\"}[$timeout]) > $timeout", {}, c).text,
            "increase(x{a=\"x\"}[1m]) > 1");
}

// An interval variable with auto selected stores `$__auto_interval_<name>` as its value (newer
// Grafana `$__auto`): the value is expanded again, with that variable's auto_count and auto_min.
TEST(GrafanaVars, AutoIntervalValueIsExpanded) {
  VariableContext c;
  GrafanaVariable iv;
  iv.name = "interval";
  iv.type = "interval";
  iv.current = {"$__auto_interval_interval"};
  iv.options = {"1m", "5m"};
  c.variables.push_back(iv);
  GrafanaVariable fine = iv;
  fine.name = "fine";
  fine.current = {"$__auto"};
  fine.auto_count = 200;  // 1h / 200 = 18s → 20s
  fine.auto_min = "1s";
  c.variables.push_back(fine);
  GrafanaVariable floor = iv;
  floor.name = "floor";
  floor.current = {"$__auto_interval_floor"};
  floor.auto_count = 1000;  // 3.6s → 5s, raised to auto_min
  floor.auto_min = "30s";
  c.variables.push_back(floor);
  std::string s = "rate(x[$interval]) + rate(x[${fine}]) + rate(x[[[floor]]])";
  Expansion e = expand_variables(s, {}, c);
  EXPECT_EQ(e.text, "rate(x[2m]) + rate(x[20s]) + rate(x[30s])");
  EXPECT_TRUE(parses(e.text));
  EXPECT_TRUE(e.issues.empty());
  ASSERT_EQ(e.spans.size(), 3u);
  // One span per written reference, named after it; every character maps to the outer `$`/`[`.
  EXPECT_EQ(e.spans[0].name, "interval");
  EXPECT_EQ(e.spans[1].name, "fine");
  for (const VariableSpan& v : e.spans)
    for (uint32_t k = v.begin; k < v.end; ++k) EXPECT_TRUE(s[e.map[k]] == '$' || s[e.map[k]] == '[') << v.name;
  EXPECT_EQ(e.map[e.spans[0].begin], s.find("$interval"));
  EXPECT_EQ(e.used, (std::vector<std::string>{"interval", "fine", "floor"}));
}

TEST(GrafanaVars, AutoIntervalRounding) {
  EXPECT_EQ(auto_interval(3600000, 30, "10s"), "2m");
  EXPECT_EQ(auto_interval(3600000, 10, "10s"), "5m");      // 6m rounds to 5m
  EXPECT_EQ(auto_interval(300000, 30, "10s"), "10s");      // 10s
  EXPECT_EQ(auto_interval(300000, 30, "1m"), "1m");        // below auto_min
  EXPECT_EQ(auto_interval(86400000, 30, "10s"), "1h");     // 48m
  EXPECT_EQ(auto_interval(3600000, 0, "10s"), "2m");       // a broken count falls back to 30
  EXPECT_EQ(auto_interval(60000, 1000, "bogus"), "50ms");  // 60ms; an unreadable auto_min is no floor
}

// Every Grafana built-in in a variable's value, and values that refer to other variables.
TEST(GrafanaVars, ValuesHoldingReferencesAreExpandedAgain) {
  VariableContext c;
  auto constant = [&](const std::string& name, const std::string& value) {
    GrafanaVariable v;
    v.name = name;
    v.type = "constant";
    v.query = value;
    c.variables.push_back(v);
  };
  constant("ms", "$__interval_ms");
  constant("rms", "${__rate_interval_ms}");
  constant("range_s", "$__range_s");
  constant("window", "$__rate_interval");
  constant("smooth", "$window");
  GrafanaVariable custom;
  custom.name = "step";
  custom.type = "custom";
  custom.multi = true;
  custom.current = {"$__interval", "5m"};
  c.variables.push_back(custom);
  EXPECT_EQ(expand_variables("x / $ms + x / $rms + x / $range_s", {}, c).text, "x / 15000 + x / 60000 + x / 3600");
  EXPECT_EQ(expand_variables("rate(x[$smooth])", {}, c).text, "rate(x[1m])");
  // A multi-value variable's values are expanded before they are regex-escaped and joined: the `$`
  // of a reference never reaches the regex.
  EXPECT_EQ(expand_variables("x{a=~\"$step\"}", {}, c).text, "x{a=~\"(15s|5m)\"}");
  // `$1` inside a value stays as written.
  constant("repl", "$1-x");
  EXPECT_EQ(expand_variables("label_replace(up, \"a\", \"$repl\", \"b\", \"(.*)\")", {}, c).text,
            "label_replace(up, \"a\", \"$1-x\", \"b\", \"(.*)\")");
}

TEST(GrafanaVars, CyclesAndDeepChainsAreIssuesNotHangs) {
  VariableContext c;
  auto constant = [&](const std::string& name, const std::string& value) {
    GrafanaVariable v;
    v.name = name;
    v.type = "constant";
    v.query = value;
    c.variables.push_back(v);
  };
  constant("a", "$b");
  constant("b", "${a}");
  constant("self", "x$self");
  for (size_t i = 1; i <= kMaxVariableNesting + 1; ++i)
    constant("v" + std::to_string(i), i <= kMaxVariableNesting ? "$v" + std::to_string(i + 1) : "5m");
  constant("ok", "$v3");  // ok, v3 … v9: exactly kMaxVariableNesting variables
  // Each value refers to the next one 16 times: 16^8 expansions without the size budget.
  for (int i = 0; i < 8; ++i) {
    std::string value;
    for (int k = 0; k < 16; ++k) value += "$w" + std::to_string(i + 1);
    constant("w" + std::to_string(i), value);
  }
  constant("w8", "abcdefgh");

  Expansion cyc = expand_variables("rate(x[$a])", {}, c);
  EXPECT_EQ(cyc.text, "rate(x[1m])");  // the placeholder for a range
  ASSERT_EQ(cyc.issues.size(), 1u);
  EXPECT_EQ(cyc.issues[0].kind, VariableIssue::Kind::Cycle);
  EXPECT_EQ(cyc.issues[0].name, "a");
  EXPECT_EQ(cyc.issues[0].chain, "a → b → a");
  EXPECT_EQ(cyc.text.substr(cyc.issues[0].begin, cyc.issues[0].end - cyc.issues[0].begin), "1m");

  Expansion self = expand_variables("up{a=\"$self\"}", {}, c);
  EXPECT_EQ(self.text, "up{a=\"x\"}");
  ASSERT_EQ(self.issues.size(), 1u);
  EXPECT_EQ(self.issues[0].chain, "self → self");

  Expansion deep = expand_variables("rate(x[$v1])", {}, c);
  ASSERT_EQ(deep.issues.size(), 1u);
  EXPECT_EQ(deep.issues[0].kind, VariableIssue::Kind::TooDeep);
  EXPECT_TRUE(parses(deep.text));

  Expansion fits = expand_variables("rate(x[$ok])", {}, c);
  EXPECT_EQ(fits.text, "rate(x[5m])");
  EXPECT_TRUE(fits.issues.empty());

  Expansion big = expand_variables("up{a=\"$w0\"}", {}, c);
  ASSERT_EQ(big.issues.size(), 1u);
  EXPECT_EQ(big.issues[0].kind, VariableIssue::Kind::TooDeep);
  EXPECT_LT(big.text.size(), 100u);
}

VariableContext mounts() {
  VariableContext c;
  GrafanaVariable m;
  m.name = "mountpoint";
  m.type = "query";
  m.multi = true;
  m.include_all = true;
  m.current = {"$__all"};
  m.options = {"secret", "pki"};
  c.variables.push_back(m);
  GrafanaVariable one = m;
  one.name = "one";
  one.current = {"secret"};
  c.variables.push_back(one);
  GrafanaVariable named_all = m;
  named_all.name = "suffix";
  named_all.multi = false;
  named_all.current = {"count"};
  named_all.options = {"sum", "count"};
  named_all.has_all_value = true;
  named_all.all_value = "total";
  c.variables.push_back(named_all);
  GrafanaVariable q = m;
  q.name = "quantile";
  q.options = {"0.5", "0.9"};
  c.variables.push_back(q);
  return c;
}

TEST(GrafanaVars, MultiValueInsideANameIsAnIssueWithAStandIn) {
  VariableContext c = mounts();
  std::string s = "rate(vault_route_create_${mountpoint}__sum[5m])";
  Expansion e = expand_variables(s, {}, c);
  // Checked with one of its values, so the rest of the query is still linted.
  EXPECT_EQ(e.text, "rate(vault_route_create_secret__sum[5m])");
  EXPECT_TRUE(parses(e.text));
  ASSERT_EQ(e.issues.size(), 1u);
  const VariableIssue& i = e.issues[0];
  EXPECT_EQ(i.kind, VariableIssue::Kind::MultiValueInName);
  EXPECT_EQ(i.place, VariableIssue::Place::MetricName);
  EXPECT_EQ(i.sent, "(secret|pki)");
  EXPECT_EQ(i.selection, "with All selected");
  EXPECT_EQ(e.text.substr(i.begin, i.end - i.begin), "secret");
  EXPECT_EQ(e.map[i.begin], s.find("${mountpoint}"));

  // A single value saved: the text is kept, the issue says what All sends.
  Expansion latent = expand_variables("vault_route_create_${one}__sum", {}, c);
  EXPECT_EQ(latent.text, "vault_route_create_secret__sum");
  ASSERT_EQ(latent.issues.size(), 1u);
  EXPECT_EQ(latent.issues[0].sent, "(secret|pki)");

  Expansion label = expand_variables("up{$mountpoint=\"a\"}", {}, c);
  ASSERT_EQ(label.issues.size(), 1u);
  EXPECT_EQ(label.issues[0].place, VariableIssue::Place::LabelName);
  EXPECT_TRUE(parses(label.text));

  // Standing alone where a metric is: its values are names.
  Expansion alone = expand_variables("rate($mountpoint[5m])", {}, c);
  EXPECT_EQ(alone.text, "rate(secret[5m])");
  ASSERT_EQ(alone.issues.size(), 1u);
  EXPECT_EQ(alone.issues[0].place, VariableIssue::Place::MetricName);

  Expansion by = expand_variables("sum by ($mountpoint) (up)", {}, c);
  ASSERT_EQ(by.issues.size(), 1u);
  EXPECT_EQ(by.issues[0].place, VariableIssue::Place::LabelList);
  EXPECT_EQ(by.text, "sum by (secret) (up)");
}

TEST(GrafanaVars, MultiValueWhereItFitsIsNoIssue) {
  VariableContext c = mounts();
  for (std::string s : {"up{mount=~\"$mountpoint\"}",            // a label value
                        "sum by (${mountpoint:csv}) (up)",       // names separated by commas
                        "vault_route_create_secret__${suffix}",  // its All value is a name
                        "rate(x[5m]) > $quantile",               // values are numbers
                        "$mountpoint(up)"}) {                    // a function's name, not a metric's
    Expansion e = expand_variables(s, {}, c);
    EXPECT_TRUE(e.issues.empty()) << s;
  }
}

// The context of each reference comes from one left-to-right scan: a long query made of
// references (undefined ones, multi-value ones in names) expands in linear time.
TEST(GrafanaVars, ManyReferencesExpandInLinearTime) {
  VariableContext c = mounts();
  std::string names, undefined;
  for (int i = 0; i < 40000; ++i) {
    names += "x_$mountpoint ";
    undefined += "$nope+";
  }
  undefined += "1";
  auto start = std::chrono::steady_clock::now();
  Expansion a = expand_variables(names, {}, c);
  Expansion b = expand_variables(undefined, {}, c);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(a.issues.size(), 40000u);
  EXPECT_EQ(b.unknown.size(), 40000u);
  EXPECT_LT(seconds, 5.0);  // quadratic scanning took minutes at this size
}

}  // namespace
}  // namespace promvet::sources
