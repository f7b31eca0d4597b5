// Helpers shared by the test files: paths to fixtures and the CLI binary,
// running a command with a bound on its time, reading files.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace promvet::test {

std::string source_dir();                      // the repository root
std::string testdata(const std::string& rel);  // source_dir()/testdata/rel
std::string shared_dir();                      // ../shared next to the repository, "" if absent
// Data that is not committed (testdata/realworld/README.md, tools/upstream/): the public real-world
// corpus ($PROMVET_REALWORLD_DIR, else ../shared/corpus/realworld) and Prometheus' extracted test
// cases of one KIND, "promql" or "expfmt" ($PROMVET_UPSTREAM_DIR/KIND, else ../shared/upstream/KIND);
// "" when the directory is absent, so that the test skips.
std::string realworld_corpus_dir();
std::string upstream_cases_dir(const std::string& kind);
// A field of the extractors' TSV files (tools/upstream): \\ \t \n \r \xHH escapes decoded.
std::string unescape_upstream_field(const std::string& s);
std::string cli();  // path of the built promvet binary
std::string read_file(const std::string& path);
bool have_program(const std::string& name);  // found on PATH
// The names in a directory, sorted, without "." and ".."; empty when it cannot be read.
std::vector<std::string> list_dir(const std::string& dir);
// Writes content to /tmp/promvet-test-<pid>-<name> and returns the path.
std::string write_temp(const std::string& name, const std::string& content);
// s in single quotes for /bin/sh (s must not contain a single quote).
std::string shell_quote(const std::string& s);

// The exposition inputs that the parser's differential tests (one way of
// parsing against another: chunked, on the lexing thread) go through.
struct ExpositionCase {
  std::string name;  // corpus case ("x", "x as text") or testdata file name, for messages
  std::string text;
  bool openmetrics = false;  // else text 0.0.4
};
enum class ExpositionCases {
  // Each case of the OpenMetrics conformance corpus (../shared/corpus/openmetrics-parsers/
  // CASE/metrics) twice: as OpenMetrics, then as text 0.0.4. None when ../shared is absent.
  kCorpus,
  // Each file of testdata/expfmt and testdata/examples, as OpenMetrics when its name has ".om".
  kTestdata,
};
// Calls visit for each case of `which`, in directory order; returns how many inputs (corpus
// cases or files) there were.
int for_each_exposition_case(ExpositionCases which, const std::function<void(const ExpositionCase&)>& visit);

struct CommandResult {
  int exit_code = -1;  // -1: did not exit normally (signal, timeout)
  std::string out;     // stdout
  std::string err;     // stderr
};
// Runs argv[0] with args through /bin/sh -c "timeout SECONDS ...", stdin
// from /dev/null unless stdin_file is given.
CommandResult run(const std::string& shell_command, int timeout_seconds = 60);

}  // namespace promvet::test
