#pragma once
// Running a helper program (git) without a shell, with a time limit and a cap on its output.
#include <cstddef>
#include <string>
#include <vector>

namespace promvet::io {

struct ProcessResult {
  int exit_code = -1;    // -1 when it did not exit normally (killed, timed out, not started)
  std::string out, err;  // what it wrote to stdout and stderr
  std::string error;     // why it did not run to the end: "cannot run git: No such file or directory",
                         // "git timed out after 30 s", "git wrote more than N bytes"
};

// argv[0] is looked up on PATH; stdin is /dev/null. The program is killed when it runs longer
// than timeout_ms or writes more than max_output bytes.
ProcessResult run_process(const std::vector<std::string>& argv, int timeout_ms, size_t max_output = 256u << 20);

}  // namespace promvet::io
