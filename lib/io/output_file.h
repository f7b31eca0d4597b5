// Writing output so that nothing is lost without a word.
//
// Every byte promvet writes (stdout, -o FILE, --write-baseline, --json/--html) goes through
// FdStreambuf, which checks every write(2) and keeps the errno of the first failure, so the
// caller can exit 2 with `cannot write <where>: <strerror>` instead of reporting success. It
// buffers 64 KiB, or a line at a time on a terminal.
//
// Files are written with OutputFile, never truncated in place:
//
//   io::OutputFile out("baseline.json");
//   out.stream() << text;
//   if (!out.commit()) fail(out.error());     // "cannot write baseline.json: File too large"
//
// It writes a temporary file in the target's directory (".NAME.promvet-XXXXXX"), then flushes,
// fsyncs and renames it over the target, so a reader sees the old file or the new one, never a
// part. The new file keeps the target's permission bits (and owner and group when allowed); a new
// target gets 0666 minus the umask. When anything fails the temporary file is removed and the
// old file is left byte-identical. A symlink is followed (to any depth, also when dangling): the
// file it points to is replaced and the link stays a link. A target that exists but is not a
// regular file (/dev/null, /dev/full, a FIFO, /dev/stdout) is written in place, with the same
// checks, since renaming over a device would replace the device node.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

namespace promvet::io {

// "No space left on device" for ENOSPC.
std::string errno_text(int err);

class FdStreambuf : public std::streambuf {
 public:
  explicit FdStreambuf(int fd = -1);
  FdStreambuf(const FdStreambuf&) = delete;
  FdStreambuf& operator=(const FdStreambuf&) = delete;
  ~FdStreambuf() override;

  void set_fd(int fd);
  // Writes what is buffered; false once any write has failed.
  bool flush_buffer();
  int error() const { return error_; }  // errno of the first failed write, 0 if none
  void set_error(int err) {
    if (error_ == 0) error_ = err;
  }

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  void write_all(const char* p, std::size_t n);

  int fd_;
  bool line_buffered_;  // a terminal sees each line as it is written, in order with stderr
  int error_ = 0;
  // Not zero-filled: a page of it is only touched once output reaches it (on this VM a fresh page
  // costs about 1.6 us, and the 64 KB buffer was 16 of them at every start, `--version` included).
  std::unique_ptr<char[]> buffer_;
};

class OutputFile {
 public:
  explicit OutputFile(std::string path);
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile();  // without a successful commit(): removes the temporary file

  // Writes to a failed OutputFile are dropped; commit() then reports the first error.
  std::ostream& stream() { return stream_; }
  // Flush, fsync, close, rename. True when the target now holds exactly what was written.
  bool commit();
  // "cannot write PATH: REASON" (PATH as given), empty while nothing failed.
  const std::string& error() const { return error_; }

 private:
  void fail(int err);
  void discard();

  std::string path_;    // as the user gave it
  std::string target_;  // symlinks followed
  std::string temp_;    // empty when the target is written in place
  int fd_ = -1;
  FdStreambuf buffer_;
  std::ostream stream_;
  std::string error_;
  bool committed_ = false;
};

// OutputFile in one call; false with *error set ("cannot write PATH: REASON").
bool write_file(const std::string& path, const std::function<void(std::ostream&)>& write, std::string* error);

// Points std::cout at a checked buffer on file descriptor 1 for its lifetime (and restores it
// after). finish() flushes and says whether every byte written to std::cout reached stdout.
class CheckedStdout {
 public:
  CheckedStdout();
  CheckedStdout(const CheckedStdout&) = delete;
  CheckedStdout& operator=(const CheckedStdout&) = delete;
  ~CheckedStdout();
  // True when every write succeeded; else *error is "cannot write <stdout>: REASON".
  bool finish(std::string* error);

 private:
  FdStreambuf buffer_;
  std::streambuf* previous_;
};

}  // namespace promvet::io
