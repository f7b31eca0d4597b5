// lib/naming/inject.h: label injection round-trips through promvet's parser
// and through the real `promtool check metrics`.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "expfmt/parser.h"
#include "naming/inject.h"
#include "test_support.h"

namespace promvet::naming {
namespace {

using expfmt::Format;
using Labels = std::map<std::string, std::string>;

struct ParsedSample {
  std::string name;
  std::string family;
  Labels labels;
  std::string value_text;
  bool has_timestamp = false;
  double timestamp = 0;
  std::string exemplar;  // the exemplar's labels and value, rendered
  bool operator==(const ParsedSample& o) const {
    return name == o.name && family == o.family && labels == o.labels && value_text == o.value_text &&
           has_timestamp == o.has_timestamp && timestamp == o.timestamp && exemplar == o.exemplar;
  }
};

std::ostream& operator<<(std::ostream& os, const ParsedSample& s) {
  os << s.name << "{";
  for (const auto& [k, v] : s.labels) os << k << "=" << v.size() << "B:" << v.substr(0, 40) << ",";
  return os << "} " << s.value_text << (s.has_timestamp ? " ts" : "") << " " << s.exemplar;
}

struct Parsed : expfmt::Handler {
  std::vector<ParsedSample> samples;
  std::vector<std::string> metadata;  // "family KIND text"
  std::vector<std::string> errors;
  void on_sample(const expfmt::Sample& s) override {
    ParsedSample p;
    p.name = std::string(s.name);
    p.family = std::string(s.family);
    for (const expfmt::Label& l : s.labels) p.labels[std::string(l.name)] = std::string(l.value);
    p.value_text = std::string(s.value_text);
    p.has_timestamp = s.has_timestamp;
    p.timestamp = s.timestamp;
    if (s.has_exemplar) {
      for (const expfmt::Label& l : s.exemplar.labels)
        p.exemplar += std::string(l.name) + "=" + std::string(l.value) + ";";
      p.exemplar += std::to_string(s.exemplar.value);
    }
    samples.push_back(std::move(p));
  }
  void on_metadata(const expfmt::Metadata& m) override {
    static const char* kinds[] = {"HELP", "TYPE", "UNIT"};
    metadata.push_back(std::string(m.family) + " " + kinds[static_cast<int>(m.kind)] + " " + std::string(m.text));
  }
  void on_error(const expfmt::Diagnostic& d) override {
    errors.push_back(std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column) + " " + d.message);
  }
};

Parsed parse(std::string_view text, Format format) {
  Parsed p;
  expfmt::Parser parser(expfmt::ParserOptions{format}, p);
  parser.feed(text);
  parser.finish();
  return p;
}

struct Injected {
  std::string out;
  std::vector<InjectProblem> problems;
  InjectStats stats;
  bool ok = false;
  int sink_calls_before_finish = 0;
};

Injected inject(std::string_view input, Format format, const InjectOptions& o, std::size_t chunk = 0) {
  Injected r;
  bool finishing = false;
  Injector inj(o, format, [&](std::string_view b) {
    r.out += b;
    if (!finishing) ++r.sink_calls_before_finish;
  });
  if (chunk == 0) chunk = input.size() + 1;
  for (std::size_t i = 0; i < input.size(); i += chunk) inj.feed(input.substr(i, chunk));
  finishing = true;
  inj.finish();
  r.problems = inj.problems();
  r.stats = inj.stats();
  r.ok = inj.ok();
  return r;
}

// What injection must produce: every input sample with the labels added
// under the conflict rule, nothing else changed.
std::vector<ParsedSample> expected_samples(const std::vector<ParsedSample>& in, const InjectOptions& o) {
  std::vector<ParsedSample> out = in;
  for (ParsedSample& s : out) {
    for (const auto& [k, v] : o.labels) {
      auto it = s.labels.find(k);
      if (it == s.labels.end() || o.on_conflict == OnConflict::kReplace) s.labels[k] = v;
    }
  }
  return out;
}

std::string escape_value(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

// Label values that break naive injectors: quoting, escapes, the syntax
// characters of a label set, a comment marker, UTF-8 and a 64 KiB value.
std::vector<std::string> adversarial_values() {
  return {"",
          "\"",
          "\\",
          "\n",
          "}",
          "{",
          "#",
          ",",
          "=",
          "a\"b\\c\nd}{#,= e",
          "\\n",  // a backslash then 'n', not a newline
          "\\\"",
          "caf\xc3\xa9 \xf0\x9f\x93\x88 \xe6\x97\xa5\xe6\x9c\xac",
          "} 1\nevil_metric 666",
          std::string(64 * 1024, 'x') + "\"\\\n"};
}

std::string adversarial_text_input() {
  std::string in =
      "# HELP http_requests_total Requests \\\\ with a backslash and a \\n newline.\n"
      "# TYPE http_requests_total counter\n";
  int i = 0;
  for (const std::string& v : adversarial_values()) {
    ++i;
    in += "http_requests_total{code=\"" + std::to_string(200 + i) + "\",path=\"" + escape_value(v) + "\"} " +
          std::to_string(i) + ".5 1700000000" + std::to_string(100 + i) + "\n";
  }
  in +=
      "# HELP rpc_duration_seconds RPC latency.\n"
      "# TYPE rpc_duration_seconds histogram\n"
      "rpc_duration_seconds_bucket{le=\"0.1\"} 1\n"
      "rpc_duration_seconds_bucket{le=\"+Inf\"} 2\n"
      "rpc_duration_seconds_sum 0.3e-1\n"
      "rpc_duration_seconds_count 2\n"
      "# HELP queue_depth Queue depth.\n"
      "# TYPE queue_depth gauge\n"
      "queue_depth NaN\n"
      "# HELP rpc_quantiles_seconds Summary.\n"
      "# TYPE rpc_quantiles_seconds summary\n"
      "rpc_quantiles_seconds{quantile=\"0.5\"} -Inf\n"
      "rpc_quantiles_seconds_sum 1E+3\n"
      "rpc_quantiles_seconds_count 7\n";
  return in;
}

TEST(Inject, AdversarialValuesRoundTripExactlyThroughPromvetsParser) {
  std::string in = adversarial_text_input();
  Parsed before = parse(in, Format::kText);
  ASSERT_TRUE(before.errors.empty()) << before.errors[0];
  for (const std::string& v : adversarial_values()) {
    InjectOptions o;
    o.labels = {{"cluster", v}, {"path", "injected " + v}};  // "path" conflicts: kept by default
    ASSERT_EQ(validate_inject_options(o), "");
    Injected r = inject(in, Format::kText, o);
    ASSERT_TRUE(r.ok) << (r.problems.empty() ? "" : r.problems[0].message);
    Parsed after = parse(r.out, Format::kText);
    ASSERT_TRUE(after.errors.empty()) << after.errors[0];
    EXPECT_EQ(after.samples, expected_samples(before.samples, o));
    EXPECT_EQ(after.metadata, before.metadata);  // HELP text (with its escapes) unchanged
    EXPECT_EQ(r.stats.samples_in, before.samples.size());
    EXPECT_EQ(r.stats.conflicts, adversarial_values().size());  // every http_requests_total sample has "path"
  }
}

TEST(Inject, ReplaceOverwritesExistingValueInPlace) {
  InjectOptions o;
  o.labels = {{"path", "x\"y"}};
  o.on_conflict = OnConflict::kReplace;
  Injected r = inject("a_total{path=\"/\",z=\"1\"} 1\n", Format::kText, o);
  EXPECT_EQ(r.out, "a_total{path=\"x\\\"y\",z=\"1\"} 1\n");
}

TEST(Inject, ValueTimestampAndSpacingAfterTheValueAreCopiedByteForByte) {
  InjectOptions o;
  o.labels = {{"env", "prod"}};
  Injected r = inject("a 1.50e+00   -1700000000123\nb{x=\"1\"}\t0x1p-3\n", Format::kText, o);
  // The second line is invalid in text 0.0.4 (hex float): reported, not written.
  EXPECT_EQ(r.out, "a{env=\"prod\"} 1.50e+00   -1700000000123\n");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].kind, InjectProblem::Kind::kParse);
  EXPECT_EQ(r.problems[0].pos.line, 2u);
  EXPECT_FALSE(r.ok);
}

TEST(Inject, ReportsTwoSeriesCollapsingIntoOne) {
  InjectOptions o;
  o.labels = {{"k", "v"}};
  // keep: the unlabelled series gains k="v" and meets the existing one.
  Injected r = inject("# TYPE foo gauge\nfoo 1\nfoo{k=\"v\"} 2\n", Format::kText, o);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].kind, InjectProblem::Kind::kCollapse);
  EXPECT_EQ(r.problems[0].pos.line, 3u);
  EXPECT_EQ(r.problems[0].message,
            "series foo{k=\"v\"} becomes foo{k=\"v\"}, the same series as the sample on line 2; "
            "the output has a duplicate series");
  EXPECT_FALSE(r.ok);

  // replace: two values of k become one.
  o.on_conflict = OnConflict::kReplace;
  r = inject("# TYPE foo gauge\nfoo{k=\"a\"} 1\nfoo{k=\"b\"} 2\nfoo{k=\"c\",j=\"1\"} 3\n", Format::kText, o);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].message,
            "series foo{k=\"b\"} becomes foo{k=\"v\"}, the same series as the sample on line 2; "
            "the output has a duplicate series");
  // Found by fuzz/inject_fuzz: in OpenMetrics foo_total and foo_created with
  // one label set are one metric, so differently labelled ones meeting is a
  // collapse (the output then mixes samples with and without timestamps).
  r = inject("# TYPE c counter\nc_total{k=\"1\"} 1\nc_created{k=\"0\"} 170 0\n# EOF\n", Format::kOpenMetrics, o);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].kind, InjectProblem::Kind::kCollapse);
  EXPECT_EQ(r.problems[0].pos.line, 3u);
  // Different sample names of one family never collapse (foo_sum vs foo_count).
  r = inject("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n", Format::kText, o);
  EXPECT_TRUE(r.ok);
}

TEST(Inject, OnConflictErrorPointsAtTheExistingLabel) {
  InjectOptions o;
  o.labels = {{"job", "api"}};
  o.on_conflict = OnConflict::kError;
  Injected r = inject("up 1\nup{instance=\"a\",job=\"node\"} 1\n", Format::kText, o);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].kind, InjectProblem::Kind::kConflict);
  EXPECT_EQ(r.problems[0].pos.line, 2u);
  EXPECT_EQ(r.problems[0].pos.column, 17u);  // the 'j' of job
  EXPECT_EQ(
      r.problems[0].message,
      "sample already has label \"job\"=\"node\"; refusing to inject \"api\" (--on-conflict keep or replace to choose)");
  EXPECT_FALSE(r.ok);
}

TEST(Inject, PrefixFilterDecidesPerFamilyNotPerLine) {
  const std::string in =
      "# HELP vllm:e2e_request_latency_seconds Latency.\n"
      "# TYPE vllm:e2e_request_latency_seconds histogram\n"
      "vllm:e2e_request_latency_seconds_bucket{le=\"1\"} 1\n"
      "vllm:e2e_request_latency_seconds_bucket{le=\"+Inf\"} 1\n"
      "vllm:e2e_request_latency_seconds_sum 0.5\n"
      "vllm:e2e_request_latency_seconds_count 1\n"
      // A line filter matching "vllm:" would keep these two lines.
      "# HELP python_gc_objects_collected_total Objects collected; see vllm: docs.\n"
      "# TYPE python_gc_objects_collected_total counter\n"
      "python_gc_objects_collected_total{generation=\"vllm:0\"} 3\n"
      "# HELP vllm:num_requests_running Running.\n"
      "# TYPE vllm:num_requests_running gauge\n"
      "vllm:num_requests_running 2\n";
  InjectOptions o;
  o.labels = {{"dynamo_namespace", "ns"}};
  o.prefixes = {"vllm:"};
  Injected r = inject(in, Format::kText, o, 5);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.out,
            "# HELP vllm:e2e_request_latency_seconds Latency.\n"
            "# TYPE vllm:e2e_request_latency_seconds histogram\n"
            "vllm:e2e_request_latency_seconds_bucket{le=\"1\",dynamo_namespace=\"ns\"} 1\n"
            "vllm:e2e_request_latency_seconds_bucket{le=\"+Inf\",dynamo_namespace=\"ns\"} 1\n"
            "vllm:e2e_request_latency_seconds_sum{dynamo_namespace=\"ns\"} 0.5\n"
            "vllm:e2e_request_latency_seconds_count{dynamo_namespace=\"ns\"} 1\n"
            "# HELP vllm:num_requests_running Running.\n"
            "# TYPE vllm:num_requests_running gauge\n"
            "vllm:num_requests_running{dynamo_namespace=\"ns\"} 2\n");
  EXPECT_EQ(r.stats.families_dropped, 1u);
  EXPECT_EQ(r.stats.samples_out, 5u);
}

TEST(Inject, PrefixMatchesTheFamilyNotTheSampleName) {
  // "h_sum" would match prefix "h_s" by line; the family is "h", so it goes.
  InjectOptions o;
  o.labels = {{"k", "v"}};
  o.prefixes = {"h_s"};
  Injected r = inject("# TYPE h summary\nh_sum 1\nh_count 1\n# TYPE h_size gauge\nh_size 3\n", Format::kText, o);
  EXPECT_EQ(r.out, "# TYPE h_size gauge\nh_size{k=\"v\"} 3\n");
}

const char kOpenMetrics[] =
    "# TYPE foo counter\n"
    "# HELP foo A counter with \\\"quotes\\\".\n"
    "foo_total{a=\"x\\\\y\"} 17.0 # {trace_id=\"KOO5S4vxi0o\"} 0.67 1520879602.890\n"
    "foo_created{a=\"x\\\\y\"} 1520430000.123\n"
    "# TYPE lat_seconds histogram\n"
    "# UNIT lat_seconds seconds\n"
    "lat_seconds_bucket{le=\"0.5\"} 1 # {span=\"s\"} 0.1\n"
    "lat_seconds_bucket{le=\"+Inf\"} 2\n"
    "lat_seconds_count 2\n"
    "lat_seconds_sum 0.9\n"
    "lat_seconds_created 1520430000\n"
    "# TYPE st stateset\n"
    "st{st=\"a\"} 1\n"
    "st{st=\"b\"} 0\n"
    "# TYPE g gauge\n"
    "g 1.5e3 1520879607.789\n"
    "# TYPE build info\n"
    "build_info{version=\"1.0\"} 1\n"
    "# EOF\n";

TEST(Inject, OpenMetricsInOpenMetricsOutWithExemplarsCreatedAndEof) {
  Parsed before = parse(kOpenMetrics, Format::kOpenMetrics);
  ASSERT_TRUE(before.errors.empty()) << before.errors[0];
  for (const std::string& v : adversarial_values()) {
    InjectOptions o;
    o.labels = {{"region", v}};
    Injected r = inject(kOpenMetrics, Format::kOpenMetrics, o, 13);
    ASSERT_TRUE(r.ok) << r.problems[0].message;
    Parsed after = parse(r.out, Format::kOpenMetrics);
    ASSERT_TRUE(after.errors.empty()) << after.errors[0] << "\n" << r.out.substr(0, 2000);
    EXPECT_EQ(after.samples, expected_samples(before.samples, o));
    EXPECT_EQ(after.metadata, before.metadata);
    ASSERT_GE(r.out.size(), 6u);
    EXPECT_EQ(r.out.substr(r.out.size() - 6), "# EOF\n");
  }
  InjectOptions o;
  o.labels = {{"region", "eu"}};
  Injected r = inject(kOpenMetrics, Format::kOpenMetrics, o);
  // The exemplar is copied as written, and gets no injected label.
  EXPECT_NE(r.out.find("foo_total{a=\"x\\\\y\",region=\"eu\"} 17.0 # {trace_id=\"KOO5S4vxi0o\"} "
                       "0.67 1520879602.890\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\ng{region=\"eu\"} 1.5e3 1520879607.789\n"), std::string::npos) << r.out;
}

TEST(Inject, ChunkingDoesNotChangeTheOutput) {
  std::string in = adversarial_text_input();
  InjectOptions o;
  o.labels = {{"cluster", "c\"1"}};
  std::string whole = inject(in, Format::kText, o).out;
  for (std::size_t chunk : {1u, 2u, 7u, 64u, 4096u}) EXPECT_EQ(inject(in, Format::kText, o, chunk).out, whole) << chunk;
}

TEST(Inject, StreamsOutputBeforeTheInputEnds) {
  std::string in = "# TYPE g gauge\n";
  for (int i = 0; i < 20000; ++i) in += "g{i=\"" + std::to_string(i) + "\"} " + std::to_string(i) + "\n";
  InjectOptions o;
  o.labels = {{"k", "v"}};
  Injected r = inject(in, Format::kText, o, 4096);
  EXPECT_TRUE(r.ok);
  EXPECT_GE(r.sink_calls_before_finish, 5);  // flushed in pieces, not held until the end
  EXPECT_EQ(r.stats.samples_out, 20000u);
}

TEST(Inject, QuotedUtf8NamesStayQuoted) {
  InjectOptions o;
  o.labels = {{"k", "v"}};
  Injected r = inject("{\"my.metric\",\"a.b\"=\"1\"} 1\n", Format::kText, o);
  EXPECT_TRUE(r.ok) << (r.problems.empty() ? "" : r.problems[0].message);
  EXPECT_EQ(r.out, "{\"my.metric\",\"a.b\"=\"1\",k=\"v\"} 1\n");
}

TEST(InjectOptionsValidation, RefusesUnusableLabelSets) {
  InjectOptions o;
  EXPECT_EQ(validate_inject_options(o), "no label to inject; give at least one name=value");
  o.labels = {{"le", "1"}};
  EXPECT_EQ(validate_inject_options(o),
            "label name \"le\" has a meaning for histograms and summaries and cannot be attached to every sample");
  o.labels = {{"quantile", "1"}};
  EXPECT_NE(validate_inject_options(o), "");
  o.labels = {{"__name__", "x"}};
  EXPECT_EQ(validate_inject_options(o),
            "label name \"__name__\" is reserved: names starting with \"__\" are for Prometheus' own use");
  o.labels = {{"a-b", "x"}};
  EXPECT_EQ(validate_inject_options(o), "label name \"a-b\" has characters outside [a-zA-Z0-9_]");
  o.labels = {{"a", "1"}, {"a", "2"}};
  EXPECT_EQ(validate_inject_options(o), "label name \"a\" is given twice");
  o.labels = {{"a", "bad\xff"}};
  EXPECT_EQ(validate_inject_options(o), "the value of label \"a\" is not valid UTF-8");
  o.labels = {{"a", ""}};
  EXPECT_EQ(validate_inject_options(o), "");
  std::pair<std::string, std::string> kv;
  EXPECT_TRUE(parse_label_assignment("a=b=c", &kv));
  EXPECT_EQ(kv.first, "a");
  EXPECT_EQ(kv.second, "b=c");
  EXPECT_FALSE(parse_label_assignment("novalue", &kv));
}

// The real consumer agrees: promtool (Prometheus' own text parser and
// linter) accepts the injected output. Text format only: promtool 2.42's
// `check metrics` reads text 0.0.4.
TEST(InjectPromtool, InjectedOutputPassesPromtoolCheckMetrics) {
  if (!test::have_program("promtool")) GTEST_SKIP() << "promtool not installed";
  std::string in = adversarial_text_input();
  for (const std::string& v : adversarial_values()) {
    InjectOptions o;
    o.labels = {{"cluster", v}, {"path", "p"}};
    o.on_conflict = OnConflict::kReplace;
    Injected r = inject(in, Format::kText, o);
    ASSERT_TRUE(r.ok);
    std::string path = test::write_temp("inject_promtool.prom", "");
    {
      std::ofstream f(path, std::ios::binary);
      f << r.out;
    }
    test::CommandResult pc = test::run("promtool check metrics < " + path, 60);
    EXPECT_EQ(pc.exit_code, 0) << "value " << v.substr(0, 40) << "\nstdout: " << pc.out << "\nstderr: " << pc.err;
    std::remove(path.c_str());
  }
  // And promtool rejects what a naive (unescaped) injection would have made,
  // so the check above has teeth.
  std::string naive = "# HELP x_total X.\n# TYPE x_total counter\nx_total{cluster=\"a\"b\"} 1\n";
  std::string path = test::write_temp("inject_promtool_naive.prom", "");
  {
    std::ofstream f(path, std::ios::binary);
    f << naive;
  }
  test::CommandResult bad = test::run("promtool check metrics < " + path, 60);
  EXPECT_NE(bad.exit_code, 0);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace promvet::naming
