#include "io/bounded_read.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace promvet::io {
namespace {

constexpr std::size_t kChunkBytes = 1 << 16;

std::string name_of(const std::string& path) { return path == "-" ? "<stdin>" : path; }

}  // namespace

ReadResult read_all(const std::string& path, std::uint64_t max_bytes) {
  ReadResult r;
  int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    r.status = ReadStatus::Failed;
    r.error = "cannot open \"" + path + "\": " + std::strerror(errno);
    return r;
  }
  auto fail = [&](ReadStatus status, const std::string& message) {
    if (fd != STDIN_FILENO) ::close(fd);
    r.status = status;
    r.content.clear();
    r.error = message;
    return r;
  };
  auto too_large = [&] {
    return fail(ReadStatus::TooLarge, "\"" + name_of(path) + "\": more than " + std::to_string(max_bytes) + " bytes");
  };
  struct stat st {};
  if (::fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) return fail(ReadStatus::Failed, "cannot read \"" + path + "\": " + std::strerror(EISDIR));
    if (S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > max_bytes) return too_large();
    // A regular file's size is known: one allocation instead of growing by copies (plus one
    // byte, so that reaching the end does not grow it).
    if (S_ISREG(st.st_mode) && st.st_size > 0) r.content.reserve(static_cast<std::size_t>(st.st_size) + 1);
  }
  char buf[kChunkBytes];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(ReadStatus::Failed, "cannot read \"" + name_of(path) + "\": " + std::strerror(errno));
    }
    if (n == 0) break;
    if (static_cast<std::uint64_t>(n) > max_bytes - r.content.size()) return too_large();
    r.content.append(buf, static_cast<std::size_t>(n));
  }
  if (fd != STDIN_FILENO) ::close(fd);
  return r;
}

bool read_file(const std::string& path, std::uint64_t max_bytes, std::string* content, std::string* error) {
  ReadResult r = read_all(path, max_bytes);
  if (r.status != ReadStatus::Ok) {
    *error = std::move(r.error);
    return false;
  }
  *content = std::move(r.content);
  return true;
}

}  // namespace promvet::io
