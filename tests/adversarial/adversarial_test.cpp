// Adversarial suite: the real promvet binary, run as a user would through
// /bin/sh, each invocation under an address-space limit (ulimit -v) and a
// wall-clock limit (timeout). Every case asserts a clean exit (0, 1 or 2:
// never a signal, never timeout's 124/137), a bound on the time taken and the
// error text (FILE:LINE:COL where it applies), and prints the measured time
// and max RSS. Inputs are generated on the fly (files under /tmp, or streamed
// through a pipe); nothing big is committed. See docs/adversarial.md.
//
// PROMVET_ADVERSARIAL_ASAN (set by tests/CMakeLists.txt when PROMVET_SANITIZE
// is ON): ASan reserves terabytes of shadow address space, so the ulimit -v
// part is left out there, and the streamed exposition is smaller.
// PROMVET_ADVERSARIAL_BYTES=N overrides the size of the streamed exposition.

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "../support/fixture_server.h"
#include "../test_support.h"
#include "adversarial_support.h"

namespace promvet::test {
namespace {

// A string literal with its embedded NUL bytes.
template <size_t N>
std::string bytes(const char (&s)[N]) {
  return std::string(s, N - 1);
}

// ---------------------------------------------------------------------------------------------
// PromQL: promvet parse / fmt / lint *.promql

TEST(AdversarialPromql, Nested100kParensParseExpr) {
  // 100k '(' and no ')': an argv string must stay under 128 KiB (MAX_ARG_STRLEN).
  Outcome o = run_limited("parse -e " + shell_quote(std::string(100000, '(') + "1"), 20);
  expect_bounded("parse -e 100k (", o, {1}, 10);
  EXPECT_TRUE(contains(o.out + o.err, "1:1001: parse error: expression nesting exceeds the limit of 1000 levels"))
      << o.err;
}

TEST(AdversarialPromql, Nested100kParensFmtFile) {
  std::string f = temp("parens.promql", std::string(100000, '(') + "1" + std::string(100000, ')') + "\n");
  Outcome o = run_limited("fmt " + f, 20);
  expect_bounded("fmt FILE 100k ( ... )", o, {1}, 10);
  EXPECT_TRUE(contains(o.err, f + ":1:1001: parse error: expression nesting exceeds the limit of 1000 levels"))
      << o.err;
  Outcome l = run_limited("lint -j 2 " + f, 20);
  expect_bounded("lint .promql 100k ( ... )", l, {1}, 10);
  EXPECT_TRUE(
      contains(l.out, f + ":1:1001: error: expression nesting exceeds the limit of 1000 levels [promql/invalid]"))
      << head(l.out);
  std::remove(f.c_str());
}

TEST(AdversarialPromql, Nested100kBracketsAndBraces) {
  std::string b = temp("brackets.promql", std::string(100000, '[') + "1" + std::string(100000, ']') + "\n");
  Outcome o = run_limited("fmt " + b, 20);
  expect_bounded("fmt FILE 100k [ ... ]", o, {1}, 10);
  EXPECT_TRUE(contains(o.err, b + ":1:1: parse error: unexpected \"[\"")) << o.err;
  std::string c = temp("braces.promql", "up" + std::string(100000, '{') + "\n");
  Outcome p = run_limited("fmt " + c, 20);
  expect_bounded("fmt FILE up + 100k {", p, {1}, 10);
  EXPECT_TRUE(contains(p.err, c + ":1:4: parse error: unexpected left brace '{'")) << p.err;
  std::remove(b.c_str());
  std::remove(c.c_str());
}

// x[1m:][1m:]... 100k times, and the other postfix chains: each wraps the
// expression before it. Before the fix in lib/promql/parse.cpp these
// overflowed the stack (SIGSEGV) from ~20k repetitions on.
TEST(AdversarialPromql, ChainedPostfix100k) {
  struct Case {
    const char* name;
    std::string expr;
    const char* col;
  } cases[] = {
      {"100k subqueries [1m:]", "up" + repeat("[1m:]", 100000), "1:5003:"},
      {"100k ranges [1m]", "up" + repeat("[1m]", 100000), "1:4003:"},
      {"100k offset 1m", "up" + repeat(" offset 1m", 100000), "1:10004:"},
      {"100k @ 1", "up" + repeat(" @ 1", 100000), "1:4004:"},
  };
  for (const Case& c : cases) {
    std::string f = temp("postfix.promql", c.expr + "\n");
    Outcome o = run_limited("parse --each-line " + f, 20);
    expect_bounded((std::string("parse --each-line ") + c.name).c_str(), o, {1}, 10);
    EXPECT_TRUE(
        contains(o.out, std::string("error: ") + c.col + " expression nesting exceeds the limit of 1000 levels"))
        << c.name << ": " << head(o.out) << head(o.err);
    std::remove(f.c_str());
  }
}

TEST(AdversarialPromql, OneMillionCharacterLabelValue) {
  std::string value(1000000, 'x');
  std::string f = temp("biglabel.promql", "sum(rate(http_requests_total{path=\"" + value + "\"}[5m]))\n");
  Outcome o = run_limited("fmt " + f, 20);
  expect_bounded("fmt 1M-char label value", o, {0}, 10);
  EXPECT_TRUE(contains(o.out, value)) << "label value lost";
  Outcome l = run_limited("lint -j 2 " + f, 20);
  expect_bounded("lint .promql 1M-char label value", l, {0, 1}, 10);
  Outcome p = run_limited("parse --each-line " + f, 20);
  expect_bounded("parse --each-line 1M-char label value", p, {0}, 10);
  EXPECT_EQ(p.out, "ok\n");
  std::remove(f.c_str());
}

TEST(AdversarialPromql, NulBytes) {
  std::string f = temp("nul.promql", bytes("up\0 + 1\n"));
  Outcome l = run_limited("lint -j 2 " + f, 20);
  expect_bounded("lint .promql NUL in expression", l, {1}, 10);
  EXPECT_TRUE(contains(l.out, f + ":1:3: error: unexpected character: '\\x00' [promql/invalid]")) << head(l.out);
  Outcome fm = run_limited("fmt " + f, 20);
  expect_bounded("fmt NUL in expression", fm, {1}, 10);
  EXPECT_TRUE(contains(fm.err, f + ":1:3: parse error: unexpected character: '\\x00'")) << fm.err;
  Outcome p = run_limited("parse --each-line " + f, 20);
  expect_bounded("parse --each-line NUL in expression", p, {1}, 10);
  EXPECT_TRUE(contains(p.out, "error: 1:3: unexpected character: '\\x00'")) << p.out;
  // A NUL inside a string literal is a valid (if odd) label value.
  std::string s = temp("nulstr.promql", bytes("up{a=\"\0\"}\n"));
  Outcome q = run_limited("fmt " + s, 20);
  expect_bounded("fmt NUL in string literal", q, {0}, 10);
  EXPECT_EQ(q.out, "up{a=\"\\x00\"}\n");
  std::remove(f.c_str());
  std::remove(s.c_str());
}

TEST(AdversarialPromql, InvalidUtf8) {
  std::string bad = "up{a=\"\xff\xfe\"} + on(\xc3) foo\xe2\x82";
  std::string f = temp("utf8.promql", bad + "\n");
  // parse -e through a file, as a user would: -e "$(cat FILE)".
  Outcome e = run_limited("parse -e \"$(cat " + f + ")\"", 20);
  expect_bounded("parse -e $(cat FILE) invalid UTF-8", e, {1}, 10);
  // The string holding invalid UTF-8 comes first: Prometheus' words, at the string.
  EXPECT_TRUE(contains(e.out + e.err, "1:6: parse error: invalid UTF-8 rune")) << e.out << e.err;
  Outcome l = run_limited("lint -j 2 " + f, 20);
  expect_bounded("lint .promql invalid UTF-8", l, {1}, 10);
  EXPECT_TRUE(contains(l.out, f + ":1:6: error: invalid UTF-8 rune [promql/invalid]")) << head(l.out);
  // Outside strings, the first byte that cannot start a token, decoded as Go does: U+FFFD.
  Outcome o = run_limited("parse -e " + shell_quote("up + on(\xc3) foo"), 20);
  expect_bounded("parse -e invalid UTF-8 outside strings", o, {1}, 10);
  EXPECT_TRUE(contains(o.out + o.err, "1:9: parse error: unexpected character: '\xef\xbf\xbd'")) << o.out << o.err;
  // Valid non-ASCII characters are named whole (they used to print as their
  // first byte read as Latin-1: 'é' as 'Ã').
  Outcome v = run_limited("parse -e " + shell_quote("up{job=\"a\"} \xc3\xa9 \xe2\x98\x83"), 20);
  expect_bounded("parse -e non-ASCII character", v, {1}, 10);
  EXPECT_TRUE(contains(v.out + v.err, "1:13: parse error: unexpected character: '\xc3\xa9'")) << v.out << v.err;
  // fmt refuses it too (it once printed U+FFFD for the bad bytes, which Prometheus never accepts).
  std::string s = temp("utf8str.promql", "up{a=\"\xff\"}\n");
  Outcome q = run_limited("fmt " + s, 20);
  expect_bounded("fmt invalid UTF-8 in string literal", q, {1}, 10);
  EXPECT_TRUE(contains(q.err, s + ":1:6: parse error: invalid UTF-8 rune")) << q.err;
  std::remove(f.c_str());
  std::remove(s.c_str());
}

// ---------------------------------------------------------------------------------------------
// Dashboards (JSON) and rule files (YAML): promvet lint

TEST(AdversarialJson, Nested100kArraysAndObjects) {
  struct Case {
    const char* name;
    std::string text;
    const char* pos;
  } cases[] = {
      {"lint json 100k [", std::string(100000, '[') + std::string(100000, ']'), ":1:513:"},
      {"lint json 100k {\"a\":", repeat("{\"a\":", 100000) + "1" + std::string(100000, '}'), ":1:2561:"},
      {"lint json panels + 100k [", "{\"panels\":[" + std::string(100000, '[') + std::string(100000, ']') + "]}",
       ":1:522:"},
  };
  for (const Case& c : cases) {
    std::string f = temp("nested.json", c.text + "\n");
    Outcome o = run_limited("lint -j 2 " + f, 20);
    expect_bounded(c.name, o, {1}, 10);
    EXPECT_TRUE(contains(o.out, f + c.pos + " error: json nesting deeper than 512 levels [source/too-deep]"))
        << c.name << ": " << head(o.out);
    std::remove(f.c_str());
  }
}

TEST(AdversarialJson, NulByteAndInvalidUtf8) {
  std::string nul =
      temp("nul.json", bytes("{\"panels\":[{\"type\":\"graph\",\"targets\":[{\"expr\":\"up{a=\\\"\0\\\"}\"}]}]}\n"));
  Outcome o = run_limited("lint -j 2 " + nul, 20);
  expect_bounded("lint json NUL in string", o, {1}, 10);
  EXPECT_TRUE(contains(o.out, nul + ":1:55: error: parse error:")) << head(o.out);
  EXPECT_TRUE(contains(o.out, "[source/invalid-json]")) << head(o.out);
  std::string utf =
      temp("utf8.json", "{\"panels\":[{\"type\":\"graph\",\"targets\":[{\"expr\":\"up{a=\\\"\xff\\\"}\"}]}]}\n");
  Outcome u = run_limited("lint -j 2 " + utf, 20);
  expect_bounded("lint json invalid UTF-8", u, {1}, 10);
  EXPECT_TRUE(contains(u.out, utf + ":1:55: error: parse error:") && contains(u.out, "ill-formed UTF-8"))
      << head(u.out);
  std::string top = temp("nultop.json", bytes("\0\0\0\xff{}"));
  Outcome t = run_limited("lint -j 2 " + top, 20);
  expect_bounded("lint json NULs before the document", t, {1}, 10);
  // At the NUL, which nlohmann's lexer would take for the end of the input.
  EXPECT_TRUE(contains(t.out, top + ":1:1: error: parse error: unexpected character U+0000 (NUL) outside a string "
                                    "[source/invalid-json]"))
      << head(t.out);
  // ... which also made it accept a complete document followed by a NUL and anything at all.
  std::string tail = temp("nultail.json", bytes("{\"panels\":[]}\0{\"panels\":[{\"targets\":[{\"expr\":\"x\"}]}]}"));
  Outcome a = run_limited("lint -j 2 " + tail, 20);
  expect_bounded("lint json NUL after the document", a, {1}, 10);
  EXPECT_TRUE(contains(a.out, tail + ":1:14: error: parse error: unexpected character U+0000 (NUL)")) << head(a.out);
  std::remove(nul.c_str());
  std::remove(utf.c_str());
  std::remove(top.c_str());
  std::remove(tail.c_str());
}

std::string alias_bomb() {
  // 9^10 ≈ 3.5e9 nodes once expanded, 450 bytes on disk.
  std::string y = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    y += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 9; ++i) y += std::string(i ? "," : "") + "*" + static_cast<char>(c - 1);
    y += "]\n";
  }
  y += "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    labels: *j\n";
  return y;
}

TEST(AdversarialYaml, AliasBomb) {
  std::string f = temp("bomb.yml", alias_bomb());
  Outcome o = run_limited("lint -j 2 " + f, 20);
  expect_bounded("lint yaml alias bomb", o, {1}, 10);
  EXPECT_TRUE(contains(o.out, f + ":7:8: error: yaml aliases expand to more than")) << head(o.out);
  EXPECT_TRUE(contains(o.out, "[source/yaml-too-complex]")) << head(o.out);
  // usage reads the same file: the loader's error is reported and fails the run.
  Outcome u = run_limited("usage " + f, 20);
  expect_bounded("usage yaml alias bomb", u, {2}, 10);
  EXPECT_TRUE(contains(u.err, "[source/yaml-too-complex]")) << head(u.err);
  std::remove(f.c_str());
}

TEST(AdversarialYaml, Nested100kFlowAndBlock) {
  std::string flow = temp("flow.yml", "groups: " + std::string(100000, '[') + std::string(100000, ']') + "\n");
  Outcome o = run_limited("lint -j 2 " + flow, 20);
  expect_bounded("lint yaml 100k [", o, {1}, 10);
  EXPECT_TRUE(contains(o.out, flow + ":1:520: error: yaml nesting deeper than 512 levels [source/too-deep]"))
      << head(o.out);
  std::string block;
  for (int i = 0; i < 3000; ++i) block += std::string(static_cast<size_t>(i), ' ') + "- \n";
  std::string bf = temp("block.yml", "groups:\n" + block);
  Outcome b = run_limited("lint -j 2 " + bf, 20);
  expect_bounded("lint yaml 3000 nested block sequences", b, {1}, 10);
  EXPECT_TRUE(contains(b.out, bf + ":513:512: error: yaml nesting deeper than 512 levels")) << head(b.out);
  std::remove(flow.c_str());
  std::remove(bf.c_str());
}

TEST(AdversarialYaml, NulByteAndInvalidUtf8) {
  // promvet refuses the file, as Prometheus' go-yaml does, naming the character and its byte.
  std::string rules = "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up{a=\"X\"} == 0\n";
  std::string with_nul = rules;
  with_nul[with_nul.find('X')] = '\0';
  std::string nul = temp("nul.yml", with_nul);
  Outcome o = run_limited("lint -j 2 " + nul, 20);
  expect_bounded("lint yaml NUL in expr", o, {1}, 10);
  EXPECT_TRUE(contains(o.out, nul + ":5:17: error: yaml: control characters are not allowed (U+0000) "
                                    "[source/invalid-yaml]"))
      << head(o.out);
  std::string with_ff = rules;
  with_ff[with_ff.find('X')] = '\xff';
  std::string utf = temp("utf8.yml", with_ff);
  Outcome u = run_limited("lint -j 2 " + utf, 20);
  expect_bounded("lint yaml invalid UTF-8 in expr", u, {1}, 10);
  EXPECT_TRUE(
      contains(u.out, utf + ":5:17: error: yaml: invalid leading UTF-8 octet (byte 0xff) [source/invalid-yaml]"))
      << head(u.out);
  std::string junk = temp("junk.yml", bytes("\0\xff\xfe: [\0\n"));
  Outcome j = run_limited("lint -j 2 " + junk, 20);
  expect_bounded("lint yaml NUL/invalid UTF-8 garbage", j, {1}, 10);
  EXPECT_TRUE(contains(j.out, junk + ":1:1: error: yaml: control characters are not allowed (U+0000)")) << head(j.out);
  std::remove(nul.c_str());
  std::remove(utf.c_str());
  std::remove(junk.c_str());
}

// ---------------------------------------------------------------------------------------------
// Expositions: promvet metrics / inventory

// Writes a valid exposition of about `bytes` bytes with unique series to fd,
// then one broken line. Runs in a forked child: no allocation, no stdio.
void generate_exposition(int fd, unsigned long long bytes) {
  static char buf[1 << 16];
  size_t len = 0;
  auto flush = [&]() -> bool {
    size_t off = 0;
    while (off < len) {
      ssize_t n = write(fd, buf + off, len - off);
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    len = 0;
    return true;
  };
  auto put = [&](const char* s, size_t n) {
    std::memcpy(buf + len, s, n);
    len += n;
  };
  auto put_num = [&](unsigned long long v) {
    char d[24];
    int k = 0;
    do d[k++] = static_cast<char>('0' + v % 10), v /= 10;
    while (v);
    while (k) buf[len++] = d[--k];
  };
  const char header[] = "# HELP big_series A big exposition.\n# TYPE big_series gauge\n";
  put(header, sizeof header - 1);
  unsigned long long sent = 0;
  for (unsigned long long i = 0; sent < bytes; ++i) {
    size_t before = len;
    const char a[] = "big_series{instance=\"host-";
    put(a, sizeof a - 1);
    put_num(i % 1000);
    const char b[] = "\",seq=\"";
    put(b, sizeof b - 1);
    put_num(i);
    const char c[] = "\"} ";
    put(c, sizeof c - 1);
    put_num(i);
    buf[len++] = '\n';
    sent += len - before;
    if (len > sizeof buf - 256 && !flush()) return;
  }
  const char tail[] = "big_series{broken 1\n";
  put(tail, sizeof tail - 1);
  flush();
}

unsigned long long stream_bytes() {
  if (const char* v = std::getenv("PROMVET_ADVERSARIAL_BYTES")) return std::strtoull(v, nullptr, 10);
  return kAsan ? (64ULL << 20) : (1ULL << 30);
}

// Lines the generator writes for `bytes`: 2 header lines, the samples, the broken line.
unsigned long long generated_lines(unsigned long long bytes) {
  unsigned long long sent = 0, lines = 0;
  char tmp[96];
  for (unsigned long long i = 0; sent < bytes; ++i, ++lines)
    sent += static_cast<unsigned long long>(
        std::snprintf(tmp, sizeof tmp, "big_series{instance=\"host-%llu\",seq=\"%llu\"} %llu\n", i % 1000, i, i));
  return lines + 3;
}

TEST(AdversarialMetrics, StreamedExpositionThroughPipe) {
  unsigned long long bytes = stream_bytes();
  int p[2];
  ASSERT_EQ(pipe2(p, O_CLOEXEC), 0);
  pid_t gen = fork();
  ASSERT_GE(gen, 0);
  if (gen == 0) {
    signal(SIGPIPE, SIG_IGN);
    close(p[0]);
    generate_exposition(p[1], bytes);
    _exit(0);
  }
  close(p[1]);
  Outcome o = run_limited("metrics -", kAsan ? 280 : 120, p[0]);
  close(p[0]);
  int st = 0;
  waitpid(gen, &st, 0);
  std::string name = "metrics - (" + std::to_string(bytes >> 20) + " MiB streamed)";
  expect_bounded(name.c_str(), o, {1}, kAsan ? 270 : 110);
  std::printf("[adversarial] throughput %.1f MiB/s\n", static_cast<double>(bytes >> 20) / o.seconds);
  // The verdict: the high-cardinality warning near the start, and the broken
  // last line found at its exact line number: nothing was dropped on the way.
  EXPECT_TRUE(contains(o.out, "<stdin>:1003:30: warning: label \"seq\" has more than 1000 distinct values"))
      << head(o.out);
  std::string last = "<stdin>:" + std::to_string(generated_lines(bytes)) +
                     ":19: error: expected \"=\" after label name \"broken\", found \"1\" [expfmt/invalid]";
  EXPECT_TRUE(contains(o.out, last)) << "want " << last << "\n" << head(o.out, 2000);
}

TEST(AdversarialMetrics, LongLabelValues) {
  std::string value(1000000, 'v');
  std::string f = temp("biglabel.prom", "# HELP m h\n# TYPE m gauge\nm{l=\"" + value + "\"} 1\n");
  Outcome o = run_limited("metrics " + f, 20);
  expect_bounded("metrics 1M-char label value", o, {0}, 10);
  EXPECT_EQ(o.out, "");
  Outcome inv = run_limited("inventory " + f, 20);
  expect_bounded("inventory 1M-char label value", inv, {0}, 10);
  EXPECT_TRUE(contains(inv.out, value)) << "label value lost";
  // Longer than --max-line-bytes (8 MiB): a positioned error, the next line still read.
  std::string huge(10000000, 'x');
  std::string g = temp("hugelabel.prom", "# HELP m h\n# TYPE m gauge\nm{l=\"" + huge + "\"} 1\nm{l=\"b\"} 2\nm{ 3\n");
  Outcome h = run_limited("metrics " + g, 20);
  expect_bounded("metrics 10M-char label value", h, {1}, 10);
  EXPECT_TRUE(contains(h.out, g + ":3:8388609: error: line longer than 8388608 bytes; skipped [expfmt/invalid]"))
      << head(h.out);
  EXPECT_TRUE(contains(h.out, g + ":5:")) << "line 5 not reached: " << head(h.out);
  std::remove(f.c_str());
  std::remove(g.c_str());
}

TEST(AdversarialMetrics, NulBytesAndInvalidUtf8) {
  std::string nul_value = temp("nulvalue.prom", bytes("# HELP m h\n# TYPE m gauge\nm{l=\"a\0b\"} 1\n"));
  Outcome a = run_limited("metrics " + nul_value, 20);
  expect_bounded("metrics NUL in label value", a, {0}, 10);  // valid UTF-8, as promtool
  std::string nul_name = temp("nulname.prom", bytes("# HELP m h\n# TYPE m gauge\nm\0x 1\n"));
  Outcome b = run_limited("metrics " + nul_name, 20);
  expect_bounded("metrics NUL in metric name", b, {1}, 10);
  EXPECT_TRUE(contains(b.out, nul_name + ":3:2: error: expected float as value, got \"\\x00x\" [expfmt/invalid]"))
      << head(b.out);
  std::string utf = temp("utf8.prom",
                         "# HELP m h\n# TYPE m gauge\nm{l=\"a\xff\xfe"
                         "b\"} 1\n");
  Outcome c = run_limited("metrics " + utf, 20);
  expect_bounded("metrics invalid UTF-8 label value", c, {1}, 10);
  EXPECT_TRUE(contains(c.out, utf + ":3:7: error: invalid utf-8 in label value [expfmt/invalid]")) << head(c.out);
  std::string help = temp("utf8help.prom", bytes("# HELP m h\xc3\0\n# TYPE m gauge\nm 1\n"));
  Outcome d = run_limited("metrics " + help, 20);
  expect_bounded("metrics NUL + invalid UTF-8 in HELP", d, {0, 1}, 10);
  Outcome e = run_limited("inventory " + utf + " " + nul_name + " " + nul_value, 20);
  expect_bounded("inventory NUL / invalid UTF-8", e, {0}, 10);
  EXPECT_TRUE(contains(e.err, "format errors")) << e.err;
  for (const std::string& f : {nul_value, nul_name, utf, help}) std::remove(f.c_str());
}

// ---------------------------------------------------------------------------------------------
// HTTP: promvet metrics URL / inventory URL against the fixture server

class AdversarialHttp : public ServerTest {
 protected:
  // Both commands, --timeout 3: a bounded, clean failure within ~3 s.
  void both(const std::string& path, std::initializer_list<int> codes, const std::string& want,
            const std::string& extra = "") {
    for (const char* cmd : {"metrics", "inventory"}) {
      Outcome o = run_limited(std::string(cmd) + " --timeout 3 " + extra + shell_quote(url(path)), 30);
      expect_bounded((std::string(cmd) + " URL " + path).c_str(), o, codes, 10);
      EXPECT_TRUE(contains(o.err + o.out, want)) << cmd << " " << path << ": " << head(o.err) << head(o.out);
    }
  }
};

TEST_F(AdversarialHttp, Stall) { both("/stall", {2}, "/stall: timed out after 3s"); }
// A fast machine can stream the default 256 MiB cap within the 3 s: raise the cap so that the
// timeout is what stops the endless body (the cap itself is TenGigabytes' and GzipBomb's case).
TEST_F(AdversarialHttp, Endless) { both("/endless", {2}, "/endless: timed out after 3s", "--max-bytes 68719476736 "); }
// A trickle (one byte every 0.5 s) never trips the 5 s stall detector: the total --timeout ends it.
TEST_F(AdversarialHttp, Trickle) { both("/slow?delay=0.5", {2}, "/slow?delay=0.5: timed out after 3s"); }

// A bearer token or the user:password of a URL goes along a redirect on the same host, never to
// another one (curl's default, which promvet keeps); the password never appears in any output.
// /echo-headers answers the request headers as the body, so the findings show them.
TEST_F(AdversarialHttp, RedirectsKeepCredentialsOnTheirHost) {
  std::string token = temp("token", "s3cr3t-token\n");
  std::string base = url("");
  std::string port = base.substr(base.rfind(':') + 1);
  std::string other_host = "http://localhost:" + port + "/echo-headers";
  std::string with_password = "http://scraper:hunter2@" + base.substr(std::string("http://").size());
  auto fetch = [&](const std::string& from, const std::string& to, const std::string& extra) {
    std::string u = from + "/redirect?to=" + to;
    Outcome o = run_limited("metrics --no-lint --format text --timeout 3 " + extra + shell_quote(u), 30);
    expect_bounded(("metrics redirect " + extra.substr(0, 20) + "-> " + to.substr(0, 22)).c_str(), o, {1}, 10);
    return o;
  };
  std::string bearer = "--bearer-token-file " + shell_quote(token) + " ";
  Outcome same = fetch(base, "/echo-headers", bearer);
  EXPECT_TRUE(contains(same.out, "Authorization: Bearer s3cr3t-token")) << head(same.out, 2000);  // the control
  Outcome other = fetch(base, other_host, bearer);
  EXPECT_TRUE(contains(other.out, "Host: localhost:" + port)) << head(other.out, 2000);
  EXPECT_FALSE(contains(other.out + other.err, "s3cr3t-token")) << head(other.out, 2000);

  const std::string basic = "Authorization: Basic c2NyYXBlcjpodW50ZXIy";  // scraper:hunter2
  Outcome same_basic = fetch(with_password, "/echo-headers", "");
  EXPECT_TRUE(contains(same_basic.out, basic)) << head(same_basic.out, 2000);
  EXPECT_TRUE(contains(same_basic.out, "http://scraper:xxxxx@127.0.0.1:" + port)) << head(same_basic.out, 2000);
  Outcome other_basic = fetch(with_password, other_host, "");
  EXPECT_TRUE(contains(other_basic.out, "Host: localhost:" + port)) << head(other_basic.out, 2000);
  EXPECT_FALSE(contains(other_basic.out, "Authorization:")) << head(other_basic.out, 2000);
  // The password is masked in every message, also an error's.
  Outcome failed = run_limited("metrics --timeout 3 " + shell_quote(with_password + "/status/500"), 30);
  expect_bounded("metrics user:password@ URL, HTTP 500", failed, {2}, 10);
  EXPECT_TRUE(contains(failed.err, "http://scraper:xxxxx@127.0.0.1:" + port + "/status/500")) << head(failed.err);
  for (const Outcome* o : {&same_basic, &other_basic, &failed})
    EXPECT_FALSE(contains(o->out + o->err, "hunter2")) << head(o->out + o->err, 2000);
  std::remove(token.c_str());
}

TEST_F(AdversarialHttp, TenGigabytes) {
  both("/huge?bytes=10737418240", {2}, "response body exceeds 268435456 bytes (--max-bytes)");
}
TEST_F(AdversarialHttp, GzipBomb) {
  both("/gzip-bomb?gb=10", {2}, "response body exceeds 268435456 bytes (--max-bytes)");
  // The body cut at the cap is not linted: its one "line too long" is about the cut.
  Outcome o = run_limited("metrics --timeout 3 " + shell_quote(url("/gzip-bomb?gb=10")), 30);
  EXPECT_EQ(o.out, "") << head(o.out);
  EXPECT_TRUE(contains(o.err, "(1 findings in the part read are not reported)")) << head(o.err);
}
TEST_F(AdversarialHttp, HtmlContentType) {
  Outcome o = run_limited("metrics --timeout 3 " + shell_quote(url("/html")), 30);
  expect_bounded("metrics URL /html", o, {1}, 10);
  EXPECT_TRUE(contains(o.out + o.err, "unexpected content type \"text/html; charset=utf-8\"")) << o.out << o.err;
  EXPECT_TRUE(contains(o.out + o.err, "[expfmt/content-type]")) << o.out << o.err;
  for (const char* cmd : {"inventory", "inject --label a=b"}) {
    Outcome i = run_limited(std::string(cmd) + " --timeout 3 " + shell_quote(url("/html")), 30);
    expect_bounded((std::string(cmd) + " URL /html").c_str(), i, {2}, 10);
    EXPECT_TRUE(contains(i.err, "/html: unexpected content type \"text/html; charset=utf-8\"")) << i.err;
    EXPECT_EQ(i.out, "") << cmd;
  }
}

TEST_F(AdversarialHttp, WrongContentTypes) {
  std::string f = temp("ok.prom", "# HELP m h\n# TYPE m gauge\nm 1\n");
  for (const char* ct : {"application/json", "application/octet-stream", "image/png"}) {
    std::string path = "/file?path=" + f + "&ct=" + ct;
    Outcome o = run_limited("metrics --timeout 3 " + shell_quote(url(path)), 30);
    expect_bounded((std::string("metrics URL Content-Type ") + ct).c_str(), o, {1}, 10);
    EXPECT_TRUE(contains(o.out + o.err, std::string("unexpected content type \"") + ct + "\"")) << o.out << o.err;
    // inventory refuses it too, unless --format says what the body is.
    Outcome i = run_limited("inventory --timeout 3 " + shell_quote(url(path)), 30);
    expect_bounded((std::string("inventory URL Content-Type ") + ct).c_str(), i, {2}, 10);
    EXPECT_TRUE(contains(i.err, std::string("unexpected content type \"") + ct + "\"")) << i.err;
    Outcome forced = run_limited("inventory --format text --timeout 3 " + shell_quote(url(path)), 30);
    expect_bounded((std::string("inventory --format text URL Content-Type ") + ct).c_str(), forced, {0}, 10);
    EXPECT_TRUE(contains(forced.out, "\"m\"")) << forced.out << forced.err;
  }
  std::remove(f.c_str());
}

// A port that accepts connections (the kernel's backlog) but never answers.
class SilentListener {
 public:
  SilentListener() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    listen(fd_, 16);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~SilentListener() { close(fd_); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 protected:
  int fd_ = -1;
  int port_ = 0;
};

// Answers every request with one canned response (a thread; stops with the object).
class CannedServer : public SilentListener {
 public:
  explicit CannedServer(std::string response) : response_(std::move(response)) {
    thread_ = std::thread([this] {
      while (!stop_) {
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0) continue;
        int c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (c < 0) continue;
        std::string req;
        char buf[4096];
        while (req.find("\r\n\r\n") == std::string::npos) {
          pollfd q{c, POLLIN, 0};
          if (poll(&q, 1, 2000) <= 0) break;
          ssize_t n = read(c, buf, sizeof buf);
          if (n <= 0) break;
          req.append(buf, static_cast<size_t>(n));
        }
        (void)!write(c, response_.data(), response_.size());
        close(c);
      }
    });
  }
  ~CannedServer() {
    stop_ = true;
    thread_.join();
  }

 private:
  std::string response_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

std::string queries_file() { return temp("usage.promql", "sum(rate(http_requests_total[5m]))\n"); }

TEST(AdversarialPrometheusApi, Stall) {
  SilentListener s;
  std::string q = queries_file();
  Outcome o = run_limited("usage --timeout 3 --from-prometheus " + s.url() + " " + q, 30);
  expect_bounded("usage --from-prometheus (stalls)", o, {2}, 10);
  EXPECT_TRUE(contains(o.err, "/api/v1/metadata: timed out after 3s")) << o.err;
  Outcome i = run_limited("inventory --timeout 3 --from-prometheus " + s.url(), 30);
  expect_bounded("inventory --from-prometheus (stalls)", i, {2}, 10);
  EXPECT_TRUE(contains(i.err, "timed out after 3s")) << i.err;
  std::remove(q.c_str());
}

TEST(AdversarialPrometheusApi, HtmlAnswer) {
  std::string html = "<!doctype html>\n<html><body><h1>Login</h1></body></html>\n";
  CannedServer s("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
                 std::to_string(html.size()) + "\r\nConnection: close\r\n\r\n" + html);
  std::string q = queries_file();
  Outcome o = run_limited("usage --timeout 3 --from-prometheus " + s.url() + " " + q, 30);
  expect_bounded("usage --from-prometheus (text/html)", o, {2}, 10);
  EXPECT_TRUE(contains(o.err, "/api/v1/metadata: response is not a JSON object (content type \"text/html")) << o.err;
  std::remove(q.c_str());
}

TEST(AdversarialPrometheusApi, GarbageJson) {
  std::string body =
      std::string("{\"status\":\"success\",\"data\":{\"a\":[") + std::string(100000, '[') + bytes("\0\xff");
  CannedServer s("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                 "\r\nConnection: close\r\n\r\n" + body);
  std::string q = queries_file();
  Outcome o = run_limited("usage --timeout 3 --from-prometheus " + s.url() + " " + q, 30);
  expect_bounded("usage --from-prometheus (100k [ + NUL JSON)", o, {2}, 10);
  EXPECT_TRUE(contains(o.err, "/api/v1/metadata:")) << o.err;
  std::remove(q.c_str());
}

}  // namespace
}  // namespace promvet::test
