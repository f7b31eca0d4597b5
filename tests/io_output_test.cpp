// lib/io: OutputFile replaces a file atomically (temporary file, fsync, rename), keeps its
// permissions, follows symlinks, and reports every failed write; CheckedStdout reports a failed
// stdout; read_file bounds whole-file reads. The CLI side is tests/adversarial/write_failures_test.cpp.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "io/bounded_read.h"
#include "io/output_file.h"
#include "test_support.h"

namespace promvet::test {
namespace {

class IoOutput : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string marker = write_temp("io-output", "");
    dir_ = marker + ".d";
    std::remove(marker.c_str());
    ASSERT_EQ(::mkdir(dir_.c_str(), 0755), 0);
  }
  void TearDown() override { run("rm -rf " + shell_quote(dir_)); }

  std::string path(const std::string& name) const { return dir_ + "/" + name; }
  void put(const std::string& name, const std::string& content, mode_t mode) {
    std::string error;
    ASSERT_TRUE(io::write_file(
        path(name), [&](std::ostream& out) { out << content; }, &error))
        << error;
    ASSERT_EQ(::chmod(path(name).c_str(), mode), 0);
  }
  mode_t mode_of(const std::string& name) const {
    struct stat st {};
    return ::stat(path(name).c_str(), &st) == 0 ? (st.st_mode & 07777) : 0;
  }
  // Everything in the directory, so a leftover temporary file shows.
  std::string listing() const { return run("ls -A " + shell_quote(dir_)).out; }

  std::string dir_;
};

TEST_F(IoOutput, NewFileGetsTheContentAndTheUmaskMode) {
  mode_t mask = ::umask(027);
  io::OutputFile out(path("new.json"));
  out.stream() << "{\"a\": 1}\n";
  bool ok = out.commit();
  ::umask(mask);
  ASSERT_TRUE(ok) << out.error();
  EXPECT_EQ(read_file(path("new.json")), "{\"a\": 1}\n");
  EXPECT_EQ(mode_of("new.json"), 0640u);
  EXPECT_EQ(listing(), "new.json\n");
}

TEST_F(IoOutput, ReplacementKeepsPermissionsAndLargeWritesArrive) {
  put("report.txt", "old\n", 0604);
  std::string big(300000, 'x');  // larger than the buffer: written through
  io::OutputFile out(path("report.txt"));
  out.stream() << "head\n" << big << '\n';
  for (int i = 0; i < 10000; ++i) out.stream() << 'y';
  ASSERT_TRUE(out.commit()) << out.error();
  EXPECT_EQ(read_file(path("report.txt")), "head\n" + big + "\n" + std::string(10000, 'y'));
  EXPECT_EQ(mode_of("report.txt"), 0604u);
  EXPECT_EQ(listing(), "report.txt\n");
}

TEST_F(IoOutput, WithoutCommitTheOldFileStaysAndNoTemporaryIsLeft) {
  put("keep.txt", "old\n", 0644);
  {
    io::OutputFile out(path("keep.txt"));
    out.stream() << "new\n";
    EXPECT_NE(listing(), "keep.txt\n");  // the temporary file exists while writing
  }
  EXPECT_EQ(read_file(path("keep.txt")), "old\n");
  EXPECT_EQ(listing(), "keep.txt\n");
}

// A full disk, simulated: RLIMIT_FSIZE in a child with SIGXFSZ ignored makes write(2) fail with
// EFBIG. The child reports what commit() said through its exit code and a file.
TEST_F(IoOutput, FileSizeLimitFailsTheCommitAndLeavesTheOldFile) {
  const std::string old_text = "old baseline\n" + std::string(5000, '.') + "\n";
  put("baseline.json", old_text, 0640);
  std::string message_file = path("message");
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    signal(SIGXFSZ, SIG_IGN);
    rlimit limit{4096, 4096};
    setrlimit(RLIMIT_FSIZE, &limit);
    io::OutputFile out(path("baseline.json"));
    out.stream() << std::string(20000, 'n');
    bool ok = out.commit();
    std::FILE* f = std::fopen(message_file.c_str(), "w");  // short: under the limit
    if (f) {
      std::fputs(out.error().c_str(), f);
      std::fclose(f);
    }
    _exit(ok ? 0 : 3);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
  EXPECT_EQ(read_file(message_file), "cannot write " + path("baseline.json") + ": File too large");
  EXPECT_EQ(read_file(path("baseline.json")), old_text);
  EXPECT_EQ(mode_of("baseline.json"), 0640u);
  EXPECT_EQ(listing(), "baseline.json\nmessage\n");
}

TEST_F(IoOutput, DeviceIsWrittenInPlaceAndItsErrorReported) {
  io::OutputFile full("/dev/full");
  full.stream() << "anything\n";
  EXPECT_FALSE(full.commit());
  EXPECT_EQ(full.error(), "cannot write /dev/full: No space left on device");
  io::OutputFile null("/dev/null");
  null.stream() << "anything\n";
  EXPECT_TRUE(null.commit()) << null.error();
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));  // still the device, not a file renamed over it
}

TEST_F(IoOutput, SymlinksAreFollowedAndStayLinks) {
  put("target.json", "old\n", 0600);
  ASSERT_EQ(::symlink("target.json", path("link.json").c_str()), 0);
  ASSERT_EQ(::symlink(path("link.json").c_str(), path("abs-link.json").c_str()), 0);
  std::string error;
  ASSERT_TRUE(io::write_file(
      path("abs-link.json"), [](std::ostream& out) { out << "new\n"; }, &error))
      << error;
  EXPECT_EQ(read_file(path("target.json")), "new\n");
  EXPECT_EQ(mode_of("target.json"), 0600u);
  struct stat st {};
  ASSERT_EQ(::lstat(path("link.json").c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  ASSERT_EQ(::lstat(path("abs-link.json").c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  // A loop is an error, not a hang.
  ASSERT_EQ(::symlink("loop-b", path("loop-a").c_str()), 0);
  ASSERT_EQ(::symlink("loop-a", path("loop-b").c_str()), 0);
  EXPECT_FALSE(io::write_file(
      path("loop-a"), [](std::ostream& out) { out << "x"; }, &error));
  EXPECT_EQ(error, "cannot write " + path("loop-a") + ": Too many levels of symbolic links");
}

TEST_F(IoOutput, DirectoryTargetIsAnError) {
  std::string error;
  EXPECT_FALSE(io::write_file(
      dir_, [](std::ostream& out) { out << "x"; }, &error));
  EXPECT_EQ(error, "cannot write " + dir_ + ": Is a directory");
  EXPECT_EQ(listing(), "");
}

// std::cout on /dev/full, in a child (CheckedStdout takes over the process's std::cout).
TEST(IoCheckedStdout, FailedStdoutIsReported) {
  for (const char* device : {"/dev/full", "/dev/null"}) {
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      int fd = ::open(device, O_WRONLY);
      ::dup2(fd, STDOUT_FILENO);
      std::string error;
      bool ok;
      {
        io::CheckedStdout out;
        std::cout << "report\n";
        ok = out.finish(&error);
      }
      _exit(ok ? 0 : error == "cannot write <stdout>: No space left on device" ? 3 : 4);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), std::string(device) == "/dev/full" ? 3 : 0) << device;
  }
}

TEST(IoReadFile, BoundsAndErrors) {
  std::string content, error;
  EXPECT_FALSE(io::read_file("/dev/zero", 1 << 20, &content, &error));
  EXPECT_EQ(error, "\"/dev/zero\": more than 1048576 bytes");
  std::string f = write_temp("io-read", std::string(1000, 'a'));
  EXPECT_FALSE(io::read_file(f, 999, &content, &error));
  EXPECT_EQ(error, "\"" + f + "\": more than 999 bytes");
  ASSERT_TRUE(io::read_file(f, 1000, &content, &error)) << error;
  EXPECT_EQ(content, std::string(1000, 'a'));
  EXPECT_FALSE(io::read_file("/nonexistent/x", 10, &content, &error));
  EXPECT_EQ(error, "cannot open \"/nonexistent/x\": No such file or directory");
  EXPECT_FALSE(io::read_file("/tmp", 10, &content, &error));
  EXPECT_EQ(error, "cannot read \"/tmp\": Is a directory");
  std::remove(f.c_str());
}

// read_all tells a too-large input from a failed read (lint - reports the first as
// source/too-large), stops an endless device at the bound, and reads across many chunks.
TEST(IoReadAll, TooLargeIsItsOwnStatus) {
  io::ReadResult r = io::read_all("/dev/zero", 1 << 20);
  EXPECT_EQ(r.status, io::ReadStatus::TooLarge);
  EXPECT_TRUE(r.content.empty());
  std::string big(200000, 'x');
  std::string f = write_temp("io-read-all", big);
  r = io::read_all(f, big.size());
  ASSERT_EQ(r.status, io::ReadStatus::Ok) << r.error;
  EXPECT_EQ(r.content, big);
  EXPECT_EQ(io::read_all(f, big.size() - 1).status, io::ReadStatus::TooLarge);
  EXPECT_EQ(io::read_all("/nonexistent/x", 10).status, io::ReadStatus::Failed);
  std::remove(f.c_str());
}

}  // namespace
}  // namespace promvet::test
