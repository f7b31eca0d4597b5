// Differential test: random PromQL (well-formed over the grammar Prometheus 2.42 supports, and
// malformed mutations of it) parsed by promvet and by promtool 2.42; the accept/reject verdicts
// must agree. promtool checks one rules file holding every expression as a rule of one group and
// reports every rule that fails, so one run gives a verdict per expression.
//
// Prometheus 3.x (our target) accepts some inputs 2.42 rejects (numbers as durations, quoted
// names, underscores in numbers, duration arithmetic) and rejects a few 2.42 accepted. The
// generator avoids those features; mutations can still produce them, so disagreements are
// classified: the ones explained by a documented 3.x difference (docs/promql.md) are counted
// and listed apart, every other disagreement fails the test.
//
// Environment: PROMVET_DIFF_SEED (default 20240601), PROMVET_DIFF_N (default 3000).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "promql/parse.h"
#include "test_support.h"

namespace promvet::test {
namespace {

// ------------------------------------------------------------------ generator
enum class T { Scalar, Vector, Matrix, String, Any };

struct Sig {
  const char* name;
  std::vector<T> args;
  int variadic;  // as functions.h: 0 exact, >0 optional trailing args, <0 repeat last
  T ret;
};

// Prometheus 2.42's functions (no holt_winters: 3.x removed it).
const std::vector<Sig>& functions() {
  static const std::vector<Sig> f = {
      {"abs", {T::Vector}, 0, T::Vector},
      {"absent", {T::Vector}, 0, T::Vector},
      {"absent_over_time", {T::Matrix}, 0, T::Vector},
      {"avg_over_time", {T::Matrix}, 0, T::Vector},
      {"ceil", {T::Vector}, 0, T::Vector},
      {"changes", {T::Matrix}, 0, T::Vector},
      {"clamp", {T::Vector, T::Scalar, T::Scalar}, 0, T::Vector},
      {"clamp_max", {T::Vector, T::Scalar}, 0, T::Vector},
      {"clamp_min", {T::Vector, T::Scalar}, 0, T::Vector},
      {"count_over_time", {T::Matrix}, 0, T::Vector},
      {"day_of_week", {T::Vector}, 1, T::Vector},
      {"days_in_month", {T::Vector}, 1, T::Vector},
      {"delta", {T::Matrix}, 0, T::Vector},
      {"deriv", {T::Matrix}, 0, T::Vector},
      {"exp", {T::Vector}, 0, T::Vector},
      {"floor", {T::Vector}, 0, T::Vector},
      {"histogram_quantile", {T::Scalar, T::Vector}, 0, T::Vector},
      {"hour", {T::Vector}, 1, T::Vector},
      {"idelta", {T::Matrix}, 0, T::Vector},
      {"increase", {T::Matrix}, 0, T::Vector},
      {"irate", {T::Matrix}, 0, T::Vector},
      {"label_join", {T::Vector, T::String, T::String, T::String}, -1, T::Vector},
      {"label_replace", {T::Vector, T::String, T::String, T::String, T::String}, 0, T::Vector},
      {"last_over_time", {T::Matrix}, 0, T::Vector},
      {"ln", {T::Vector}, 0, T::Vector},
      {"max_over_time", {T::Matrix}, 0, T::Vector},
      {"min_over_time", {T::Matrix}, 0, T::Vector},
      {"minute", {T::Vector}, 1, T::Vector},
      {"pi", {}, 0, T::Scalar},
      {"predict_linear", {T::Matrix, T::Scalar}, 0, T::Vector},
      {"present_over_time", {T::Matrix}, 0, T::Vector},
      {"quantile_over_time", {T::Scalar, T::Matrix}, 0, T::Vector},
      {"rate", {T::Matrix}, 0, T::Vector},
      {"resets", {T::Matrix}, 0, T::Vector},
      {"round", {T::Vector, T::Scalar}, 1, T::Vector},
      {"scalar", {T::Vector}, 0, T::Scalar},
      {"sgn", {T::Vector}, 0, T::Vector},
      {"sort", {T::Vector}, 0, T::Vector},
      {"sort_desc", {T::Vector}, 0, T::Vector},
      {"sqrt", {T::Vector}, 0, T::Vector},
      {"stddev_over_time", {T::Matrix}, 0, T::Vector},
      {"sum_over_time", {T::Matrix}, 0, T::Vector},
      {"time", {}, 0, T::Scalar},
      {"timestamp", {T::Vector}, 0, T::Vector},
      {"vector", {T::Scalar}, 0, T::Vector},
      {"year", {T::Vector}, 1, T::Vector},
  };
  return f;
}

class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}

  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  template <class V>
  const auto& pick(const V& v) {
    return v[static_cast<size_t>(uniform(0, int(v.size()) - 1))];
  }

  std::string duration() {
    static const std::vector<std::string> d = {"5m", "1h", "30s", "1d", "100ms", "2w", "1y", "1h30m", "90s", "10m"};
    return pick(d);
  }
  std::string number() {
    static const std::vector<std::string> n = {"1",  "0",  "2.5", "0.9", "1e3", "0x1f",
                                               ".5", "5.", "100", "Inf", "NaN", "3"};
    return pick(n);
  }
  std::string label() {
    static const std::vector<std::string> l = {"job", "instance", "a", "le", "code", "method", "mode", "by", "offset"};
    return pick(l);
  }
  std::string metric() {
    static const std::vector<std::string> m = {
        "foo",         "bar",   "up", "http_requests_total", "a:b:c", "_x", "node_cpu_seconds_total",
        "some_metric", "start", "end"};
    return pick(m);
  }
  std::string string_lit() {
    static const std::vector<std::string> s = {"\"a\"", "'b'",    "`c`",      "\"x.y\"",
                                               "\"\"",  "\"$1\"", "\"(.*)\"", "\"le\""};
    return pick(s);
  }

  std::string selector() {
    std::string s;
    bool named = chance(0.85);
    if (named) s = metric();
    if (!named || chance(0.4)) {
      static const std::vector<std::string> ops = {"=", "!=", "=~", "!~"};
      static const std::vector<std::string> values = {"\"x\"", "\"\"", "\".*\"", "\"a|b\"", "'y'", "\"5..\"", "\".+\""};
      int n = uniform(named ? 0 : 1, 3);
      s += "{";
      for (int i = 0; i < n; ++i) {
        if (i) s += chance(0.8) ? ", " : ",";
        s += label() + pick(ops) + pick(values);
      }
      if (n && chance(0.1)) s += ",";
      s += "}";
    }
    return s;
  }

  std::string modifiers() {
    std::string s;
    if (chance(0.15)) s += " offset " + std::string(chance(0.2) ? "-" : "") + duration();
    if (chance(0.1)) {
      static const std::vector<std::string> at = {"1603774568", "start()", "end()", "-100", "3.5"};
      s += " @ " + pick(at);
    }
    return s;
  }

  std::string grouping() {
    std::string s = chance(0.5) ? "by" : "without";
    s += " (";
    int n = uniform(0, 2);
    for (int i = 0; i < n; ++i) s += (i ? ", " : "") + label();
    return s + ")";
  }

  // An expression meant to have type t (Any: anything).
  std::string expr(T t, int depth) {
    if (depth <= 0) return leaf(t);
    switch (t) {
      case T::Scalar: {
        int k = uniform(0, 5);
        if (k == 0) return number();
        if (k == 1) return "scalar(" + expr(T::Vector, depth - 1) + ")";
        if (k == 2) return "(" + expr(T::Scalar, depth - 1) + ")";
        if (k == 3) return expr(T::Scalar, depth - 1) + " " + arith() + " " + expr(T::Scalar, depth - 1);
        if (k == 4) return "-" + expr(T::Scalar, depth - 1);
        return chance(0.5) ? "time()" : "pi()";
      }
      case T::String: return string_lit();
      case T::Matrix: {
        if (chance(0.6)) return selector() + "[" + duration() + "]" + modifiers();
        std::string step = chance(0.5) ? "" : duration();
        return sub_base(depth - 1) + "[" + duration() + ":" + step + "]" + modifiers();
      }
      case T::Vector: {
        int k = uniform(0, 9);
        if (k <= 1) return selector() + modifiers();
        if (k == 2) return call(depth - 1);
        if (k == 3) return aggregation(depth - 1);
        if (k <= 5) return binary(depth - 1);
        if (k == 6) return "(" + expr(T::Vector, depth - 1) + ")";
        if (k == 7) return "-" + expr(T::Vector, depth - 1);
        if (k == 8) return expr(T::Vector, depth - 1) + " " + arith() + " " + expr(T::Scalar, depth - 1);
        return call(depth - 1);
      }
      case T::Any: {
        int k = uniform(0, 9);
        if (k == 0) return expr(T::Scalar, depth);
        if (k == 1) return expr(T::Matrix, depth);
        if (k == 2) return expr(T::String, depth);
        return expr(T::Vector, depth);
      }
    }
    return "foo";
  }

  std::string leaf(T t) {
    switch (t) {
      case T::Scalar: return number();
      case T::String: return string_lit();
      case T::Matrix: return selector() + "[" + duration() + "]";
      default: return selector() + modifiers();
    }
  }

  std::string sub_base(int depth) {
    int k = uniform(0, 3);
    if (k == 0) return selector();
    if (k == 1) return "(" + expr(T::Vector, depth) + ")";
    if (k == 2) return call(depth);
    return aggregation(depth);
  }

  std::string arith() {
    static const std::vector<std::string> ops = {"+", "-", "*", "/", "%", "^", "atan2"};
    return pick(ops);
  }

  // Arguments are of the right type and number most of the time.
  std::string call(int depth) {
    const Sig& f = pick(functions());
    std::vector<T> types = f.args;
    if (f.variadic > 0 && chance(0.5)) types.pop_back();
    if (f.variadic < 0) {
      int extra = uniform(0, 2);
      for (int i = 0; i < extra; ++i) types.push_back(f.args.back());
    }
    if (chance(0.08) && !types.empty()) types.pop_back();
    if (chance(0.06)) types.push_back(T::Vector);
    std::string s = std::string(f.name) + "(";
    for (size_t i = 0; i < types.size(); ++i) {
      T want = types[i];
      if (chance(0.08)) want = T::Any;
      s += (i ? ", " : "") + expr(want, depth);
    }
    return s + ")";
  }

  std::string aggregation(int depth) {
    static const std::vector<std::string> plain = {"sum", "avg", "count", "min", "max", "group", "stddev", "stdvar"};
    static const std::vector<std::string> param = {"topk", "bottomk", "quantile", "count_values"};
    bool with_param = chance(0.3);
    std::string op = with_param ? pick(param) : pick(plain);
    std::string args;
    if (with_param) {
      T pt = op == "count_values" ? T::String : T::Scalar;
      if (chance(0.08)) pt = T::Any;
      args = expr(pt, depth) + ", ";
    }
    args += expr(chance(0.92) ? T::Vector : T::Any, depth);
    int where = uniform(0, 2);  // 0 none, 1 before, 2 after
    if (where == 1) return op + " " + grouping() + " (" + args + ")";
    if (where == 2) return op + "(" + args + ") " + grouping();
    return op + "(" + args + ")";
  }

  std::string binary(int depth) {
    static const std::vector<std::string> cmp = {"==", "!=", ">", "<", ">=", "<="};
    static const std::vector<std::string> set = {"and", "or", "unless"};
    int k = uniform(0, 2);
    std::string op = k == 0 ? arith() : k == 1 ? pick(cmp) : pick(set);
    std::string s = " " + op + " ";
    if (k == 1 && chance(0.4)) s += "bool ";
    bool lhs_scalar = chance(0.12), rhs_scalar = chance(0.12);
    if (!lhs_scalar && !rhs_scalar && chance(0.35)) {
      s += chance(0.5) ? "on(" : "ignoring(";
      int n = uniform(0, 2);
      for (int i = 0; i < n; ++i) s += (i ? ", " : "") + label();
      s += ") ";
      if (chance(0.3)) {
        s += chance(0.5) ? "group_left" : "group_right";
        if (chance(0.6)) s += "(" + label() + ")";
        s += " ";
      }
    }
    return expr(lhs_scalar ? T::Scalar : T::Vector, depth) + s + expr(rhs_scalar ? T::Scalar : T::Vector, depth);
  }

  std::string well_formed() { return expr(T::Any, uniform(1, 4)); }

  // One random edit of s: delete / insert / swap / duplicate characters or whitespace-separated tokens.
  std::string mutate(std::string s) {
    static const std::string chars = "(){}[],:=!~\"'`@+-*/^%<>0123456789mshx. #_";
    static const std::vector<std::string> tokens = {"by", "offset", "bool",  "on(a)", "group_left", "sum", "(",
                                                    ")",  "[5m]",   "[5m:]", "{",     "}",          ",",   "@ 1",
                                                    "1",  "\"a\"",  "foo",   "rate",  "[",          "]"};
    if (s.empty()) return pick(tokens);
    size_t pos = static_cast<size_t>(uniform(0, int(s.size()) - 1));
    switch (uniform(0, 6)) {
      case 0: s.erase(pos, 1); break;
      case 1: s.insert(pos, 1, chars[static_cast<size_t>(uniform(0, int(chars.size()) - 1))]); break;
      case 2:
        if (pos + 1 < s.size()) std::swap(s[pos], s[pos + 1]);
        break;
      case 3: s.erase(pos, static_cast<size_t>(uniform(2, 6))); break;
      case 4: s.insert(pos, " " + pick(tokens) + " "); break;
      case 5: {  // drop a whitespace-separated token
        std::vector<std::string> parts;
        std::istringstream in(s);
        std::string p;
        while (in >> p) parts.push_back(p);
        if (parts.size() > 1) parts.erase(parts.begin() + uniform(0, int(parts.size()) - 1));
        s.clear();
        for (size_t i = 0; i < parts.size(); ++i) s += (i ? " " : "") + parts[i];
        break;
      }
      default: {  // swap two whitespace-separated tokens
        std::vector<std::string> parts;
        std::istringstream in(s);
        std::string p;
        while (in >> p) parts.push_back(p);
        if (parts.size() > 1) {
          size_t i = static_cast<size_t>(uniform(0, int(parts.size()) - 2));
          std::swap(parts[i], parts[i + 1]);
        }
        s.clear();
        for (size_t i = 0; i < parts.size(); ++i) s += (i ? " " : "") + parts[i];
        break;
      }
    }
    return s;
  }

 private:
  std::mt19937 rng_;
};

// ------------------------------------------------------------------ promtool
struct Verdict {
  bool ok = true;
  std::string message;  // "L:C: parse error: MSG" (or promtool's own text)
};

// One rules file, one group, one recording rule per expression; promtool lists every failing rule.
bool promtool_verdicts(const std::vector<std::string>& exprs, std::vector<Verdict>* out, std::string* problem) {
  nlohmann::json rules = nlohmann::json::array();
  for (size_t i = 0; i < exprs.size(); ++i) rules.push_back({{"record", "r" + std::to_string(i)}, {"expr", exprs[i]}});
  nlohmann::json doc = {{"groups", nlohmann::json::array({{{"name", "g"}, {"rules", rules}}})}};
  std::string path = write_temp("differential.yml", doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  CommandResult r = run("promtool check rules " + shell_quote(path), 120);
  std::remove(path.c_str());
  if (r.exit_code != 0 && r.exit_code != 1) {
    *problem = "promtool exit " + std::to_string(r.exit_code) + ": " + r.err;
    return false;
  }
  out->assign(exprs.size(), Verdict{});
  static const std::regex line_re(R"re(group "g", rule (\d+), "r\d+": (.*))re");
  static const std::regex parse_re(R"re(could not parse expression: (.*))re");
  std::istringstream all(r.out + "\n" + r.err);
  std::string line;
  int failed = 0;
  while (std::getline(all, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, line_re)) continue;
    size_t idx = std::stoul(m[1].str()) - 1;
    if (idx >= exprs.size() || !(*out)[idx].ok) continue;
    (*out)[idx].ok = false;
    std::string msg = m[2].str();
    std::smatch pm;
    if (std::regex_search(msg, pm, parse_re)) msg = pm[1].str();
    (*out)[idx].message = msg;
    ++failed;
  }
  if (r.exit_code == 1 && failed == 0) {
    *problem = "promtool failed without per-rule errors: " + r.out + r.err;
    return false;
  }
  return true;
}

// Disagreements explained by a documented difference between Prometheus 3.x and 2.42.
std::string known_3x_difference(const std::string& expr, bool ours_ok, const Verdict& theirs,
                                const std::string& our_message) {
  if (ours_ok && !theirs.ok) {
    const std::string& m = theirs.message;
    if (m.find("missing unit character in duration") != std::string::npos) return "number as duration";
    if (std::regex_search(m, std::regex(R"(unexpected number ".*" in (offset|subquery selector))")))
      return "number as duration";
    if (m.find("unexpected duration") != std::string::npos && m.find("in @") != std::string::npos)
      return "duration as @ timestamp";
    if (m.find("unexpected duration \"") != std::string::npos) return "duration literal as number";
    if (std::regex_search(m, std::regex(R"(unexpected string .* in (label matching|grouping opts))")))
      return "quoted label/metric name";
    if (expr.find('_') != std::string::npos &&
        std::regex_search(m, std::regex(R"(bad number or duration syntax|error parsing number)")))
      return "underscore in number";
    if (std::regex_search(m, std::regex(R"(in (subquery or range|offset|subquery selector), expected)")))
      return "duration expression";
    // 3.x validates grouping labels as UTF-8 names, so `by (a:b)` is a label there.
    if (m.find("unexpected metric identifier") != std::string::npos && m.find("in grouping opts") != std::string::npos)
      return "colon in grouping label";
    if (m.find("duration must be greater than 0") != std::string::npos && expr.find("offset") != std::string::npos)
      return "zero offset";
    if (m.find("not a valid duration string") != std::string::npos ||
        m.find("bad duration syntax") != std::string::npos)
      return "number as duration";
    return "";
  }
  if (!ours_ok && theirs.ok) {
    if (our_message.find("no @ modifiers allowed before range") != std::string::npos) return "@ before range";
    if (our_message.find("unknown function with name \"holt_winters\"") != std::string::npos)
      return "holt_winters removed";
    if (our_message.find("expected ':'") != std::string::npos) return "junk in subquery brackets";
    return "";
  }
  return "";
}

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

TEST(PromqlDifferential, AgreesWithPromtoolOnRandomExpressions) {
  if (!have_program("promtool"))
    GTEST_SKIP() << "promtool not found on PATH: the differential test needs Prometheus' "
                    "promtool (Debian package prometheus) as its oracle";
  const uint32_t seed = static_cast<uint32_t>(env_int("PROMVET_DIFF_SEED", 20240601));
  const int n = env_int("PROMVET_DIFF_N", 3000);
  auto t0 = std::chrono::steady_clock::now();

  Gen gen(seed);
  std::vector<std::string> exprs;
  std::vector<bool> mutated;
  while (static_cast<int>(exprs.size()) < n) {
    std::string e = gen.well_formed();
    bool mut = gen.chance(0.4);
    if (mut) {
      int edits = gen.uniform(1, 2);
      for (int i = 0; i < edits; ++i) e = gen.mutate(e);
    }
    // YAML/JSON carry the text; keep expressions on one line.
    if (e.find('\n') != std::string::npos) continue;
    exprs.push_back(e);
    mutated.push_back(mut);
  }

  std::vector<Verdict> theirs;
  std::string problem;
  ASSERT_TRUE(promtool_verdicts(exprs, &theirs, &problem)) << problem;
  auto t1 = std::chrono::steady_clock::now();

  promql::ParseOptions opts;
  opts.type_check = true;
  int agree = 0, both_ok = 0, both_err = 0, same_message = 0, explained = 0, disagree = 0;
  std::map<std::string, int> explained_by;
  std::ostringstream report, explained_report;
  for (size_t i = 0; i < exprs.size(); ++i) {
    promql::ParseResult r = promql::parse(exprs[i], opts);
    std::string ours = r.ok() ? "ok" : promql::format_error(exprs[i], *r.error);
    if (r.ok() == theirs[i].ok) {
      ++agree;
      if (r.ok()) ++both_ok;
      else {
        ++both_err;
        if (ours == theirs[i].message) ++same_message;
      }
      continue;
    }
    std::string why = known_3x_difference(exprs[i], r.ok(), theirs[i], ours);
    if (!why.empty()) {
      ++explained;
      ++explained_by[why];
      if (explained_by[why] <= 3)
        explained_report << "  [" << why << "] " << exprs[i] << "\n    ours: " << ours
                         << "\n    promtool: " << (theirs[i].ok ? "ok" : theirs[i].message) << "\n";
      continue;
    }
    ++disagree;
    report << "  " << (mutated[i] ? "(mutated) " : "") << exprs[i] << "\n    ours:     " << ours
           << "\n    promtool: " << (theirs[i].ok ? "ok" : theirs[i].message) << "\n";
  }
  auto t2 = std::chrono::steady_clock::now();
  double promtool_s = std::chrono::duration<double>(t1 - t0).count();
  double ours_s = std::chrono::duration<double>(t2 - t1).count();
  int compared = static_cast<int>(exprs.size()) - explained;

  std::cout << "PromQL differential (seed " << seed << ", " << exprs.size() << " expressions):\n"
            << "  agree: " << agree << "/" << compared << " compared (" << both_ok << " both valid, " << both_err
            << " both invalid; identical message for " << same_message << " of those)\n"
            << "  explained by 3.x differences (not compared): " << explained << "\n";
  for (const auto& [why, count] : explained_by) std::cout << "    " << why << ": " << count << "\n";
  std::cout << explained_report.str();
  std::cout << "  disagreements: " << disagree << "\n"
            << "  time: generation+promtool " << promtool_s << " s, promvet parse " << ours_s << " s\n";
  EXPECT_EQ(disagree, 0) << "expressions where promvet and promtool 2.42 disagree:\n" << report.str();
}

}  // namespace
}  // namespace promvet::test
