#include "io/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

namespace promvet::io {
namespace {

constexpr std::size_t kBufferBytes = 64 * 1024;
constexpr int kMaxSymlinkHops = 40;  // as the kernel's ELOOP limit

std::string dir_of(const std::string& path) {
  std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string base_of(const std::string& path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Follows symlinks the way open(2) would, so the file the link names is the one replaced.
// Returns 0 or an errno (ELOOP, or what lstat/readlink said).
int follow_links(const std::string& path, std::string* out) {
  std::string p = path;
  for (int hop = 0; hop < kMaxSymlinkHops; ++hop) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) {
      if (errno != ENOENT) return errno;
      *out = p;  // a new file (or a dangling link's target) is created
      return 0;
    }
    if (!S_ISLNK(st.st_mode)) {
      *out = p;
      return 0;
    }
    std::string link(static_cast<std::size_t>(st.st_size > 0 ? st.st_size : 256) + 1, '\0');
    ssize_t n = ::readlink(p.c_str(), link.data(), link.size());
    if (n < 0) return errno;
    link.resize(static_cast<std::size_t>(n));
    p = (link.empty() || link[0] == '/') ? link : dir_of(p) + "/" + link;
  }
  return ELOOP;
}

mode_t current_umask() {
  mode_t mask = ::umask(0);  // the only way to read it; output is written from one thread
  ::umask(mask);
  return mask;
}

}  // namespace

std::string errno_text(int err) { return std::strerror(err); }

FdStreambuf::FdStreambuf(int fd)
    : fd_(fd), line_buffered_(fd >= 0 && ::isatty(fd) == 1), buffer_(new char[kBufferBytes]) {
  setp(buffer_.get(), buffer_.get() + kBufferBytes);
}

FdStreambuf::~FdStreambuf() = default;  // owners flush and check; a destructor cannot report

void FdStreambuf::set_fd(int fd) {
  fd_ = fd;
  line_buffered_ = fd >= 0 && ::isatty(fd) == 1;
}

void FdStreambuf::write_all(const char* p, std::size_t n) {
  if (error_ != 0) return;  // the first failure is the one reported; the rest is lost anyway
  if (fd_ < 0) {
    error_ = EBADF;
    return;
  }
  while (n > 0) {
    ssize_t w = ::write(fd_, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      error_ = errno;
      return;
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

bool FdStreambuf::flush_buffer() {
  write_all(pbase(), static_cast<std::size_t>(pptr() - pbase()));
  setp(buffer_.get(), buffer_.get() + kBufferBytes);
  return error_ == 0;
}

FdStreambuf::int_type FdStreambuf::overflow(int_type c) {
  flush_buffer();
  if (!traits_type::eq_int_type(c, traits_type::eof())) {
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
    if (line_buffered_ && c == '\n') flush_buffer();
  }
  // Report success even after a failure: the stream keeps going and the owner reports the
  // errno once, instead of each printer stopping at a different point.
  return traits_type::not_eof(c);
}

std::streamsize FdStreambuf::xsputn(const char* s, std::streamsize n) {
  auto size = static_cast<std::size_t>(n);
  if (size > static_cast<std::size_t>(epptr() - pptr())) flush_buffer();
  if (size < kBufferBytes) {
    std::memcpy(pptr(), s, size);
    pbump(static_cast<int>(size));
    if (line_buffered_ && std::memchr(s, '\n', size)) flush_buffer();
  } else {
    write_all(s, size);
  }
  return n;
}

int FdStreambuf::sync() { return flush_buffer() ? 0 : -1; }

OutputFile::OutputFile(std::string path) : path_(std::move(path)), stream_(&buffer_) {
  if (int err = follow_links(path_, &target_)) {
    fail(err);
    return;
  }
  struct stat st {};
  bool exists = ::stat(target_.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) {
    fail(EISDIR);
    return;
  }
  if (exists && !S_ISREG(st.st_mode)) {
    fd_ = ::open(target_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd_ < 0) fail(errno);
    buffer_.set_fd(fd_);
    return;
  }
  temp_ = dir_of(target_) + "/." + base_of(target_) + ".promvet-XXXXXX";
  fd_ = ::mkostemp(temp_.data(), O_CLOEXEC);
  if (fd_ < 0) {
    int err = errno;
    temp_.clear();
    fail(err);
    return;
  }
  buffer_.set_fd(fd_);
  if (exists) {
    // Best effort for the owner (only root or the owner's own group may change it); the
    // permission bits must match, or the replacement would silently change who can read it.
    if (::fchown(fd_, st.st_uid, st.st_gid) != 0) { /* keep ours */
    }
    if (::fchmod(fd_, st.st_mode & 07777) != 0) fail(errno);
  } else if (::fchmod(fd_, 0666 & ~current_umask()) != 0) {
    fail(errno);
  }
}

OutputFile::~OutputFile() {
  if (!committed_) discard();
}

void OutputFile::fail(int err) {
  if (error_.empty()) error_ = "cannot write " + path_ + ": " + errno_text(err);
  buffer_.set_error(err);
}

void OutputFile::discard() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_.empty()) ::unlink(temp_.c_str());
  temp_.clear();
}

bool OutputFile::commit() {
  if (committed_) return error_.empty();
  if (error_.empty() && !buffer_.flush_buffer()) fail(buffer_.error());
  if (error_.empty() && !temp_.empty() && ::fsync(fd_) != 0) fail(errno);
  if (error_.empty()) {
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail(errno);  // NFS reports a failed write-back here
  }
  if (error_.empty() && !temp_.empty()) {
    if (::rename(temp_.c_str(), target_.c_str()) != 0) {
      fail(errno);
    } else {
      temp_.clear();
      // The rename itself is durable once the directory is synced; a failure here cannot
      // undo it, and the data are already on disk, so it is not reported.
      int dir = ::open(dir_of(target_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
      }
    }
  }
  if (!error_.empty()) {
    discard();
    return false;
  }
  committed_ = true;
  return true;
}

bool write_file(const std::string& path, const std::function<void(std::ostream&)>& write, std::string* error) {
  OutputFile out(path);
  write(out.stream());
  if (out.commit()) return true;
  *error = out.error();
  return false;
}

CheckedStdout::CheckedStdout() : buffer_(STDOUT_FILENO), previous_(std::cout.rdbuf(&buffer_)) {}

CheckedStdout::~CheckedStdout() {
  buffer_.flush_buffer();
  std::cout.rdbuf(previous_);
}

bool CheckedStdout::finish(std::string* error) {
  std::cout.flush();
  if (buffer_.flush_buffer()) return true;
  *error = "cannot write <stdout>: " + errno_text(buffer_.error());
  return false;
}

}  // namespace promvet::io
