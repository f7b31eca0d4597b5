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

bool read_file(const std::string& path, std::uint64_t max_bytes, std::string* content, std::string* error) {
  int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = "cannot open \"" + path + "\": " + std::strerror(errno);
    return false;
  }
  auto fail = [&](const std::string& message) {
    if (fd != STDIN_FILENO) ::close(fd);
    *error = message;
    return false;
  };
  struct stat st {};
  if (::fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) return fail("cannot read \"" + path + "\": " + std::strerror(EISDIR));
    if (S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > max_bytes)
      return fail("\"" + name_of(path) + "\": more than " + std::to_string(max_bytes) + " bytes");
  }
  content->clear();
  char buf[kChunkBytes];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot read \"" + name_of(path) + "\": " + std::strerror(errno));
    }
    if (n == 0) break;
    if (static_cast<std::uint64_t>(n) > max_bytes - content->size())
      return fail("\"" + name_of(path) + "\": more than " + std::to_string(max_bytes) + " bytes");
    content->append(buf, static_cast<std::size_t>(n));
  }
  if (fd != STDIN_FILENO) ::close(fd);
  return true;
}

}  // namespace promvet::io
