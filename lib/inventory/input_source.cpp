#include "inventory/input_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

namespace promvet::inventory {
namespace {

constexpr std::size_t kReadBytes = 1 << 20;
constexpr std::size_t kTailBytes = 64;

// Holds back the first kHeadBytes so on_start can see them, then forwards
// everything in order.
class HeadBuffer {
 public:
  HeadBuffer(const std::function<void(const InputStart&)>& on_start, const ChunkCallback& on_chunk)
      : on_start_(on_start), on_chunk_(on_chunk) {}

  std::string content_type;
  std::string tail;

  bool push(std::string_view chunk) {
    if (started_) return on_chunk_(chunk);
    std::size_t take = std::min(chunk.size(), kHeadBytes - head_.size());
    head_.append(chunk.data(), take);
    if (head_.size() < kHeadBytes) return true;
    if (!start(false)) return false;
    return chunk.size() == take || on_chunk_(chunk.substr(take));
  }

  bool end() { return started_ || start(true); }

 private:
  bool start(bool at_eof) {
    started_ = true;
    InputStart s;
    s.content_type = content_type;
    s.head = head_;
    if (at_eof) {
      s.tail = std::string_view(head_).substr(head_.size() - std::min(head_.size(), kTailBytes));
    } else {
      s.tail = tail;
    }
    on_start_(s);
    return head_.empty() || on_chunk_(head_);
  }

  const std::function<void(const InputStart&)>& on_start_;
  const ChunkCallback& on_chunk_;
  std::string head_;
  bool started_ = false;
};

std::string errno_text(int err) { return std::strerror(err); }

std::string read_tail(int fd) {
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) return {};
  std::size_t n = std::min<std::size_t>(kTailBytes, static_cast<std::size_t>(st.st_size));
  std::string tail(n, '\0');
  ssize_t got = pread(fd, tail.data(), n, st.st_size - static_cast<off_t>(n));
  if (got < 0) return {};
  tail.resize(static_cast<std::size_t>(got));
  return tail;
}

ReadResult read_fd(int fd, const std::string& name, HeadBuffer& buffer, const InputLimits& limits) {
  ReadResult r;
  buffer.tail = read_tail(fd);
  struct stat st {};
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > limits.max_file_bytes) {
    r.error = fmt::format("\"{}\": file is {} bytes, more than {} (--max-file-bytes)", name, st.st_size,
                          limits.max_file_bytes);
    return r;
  }
  std::vector<char> buf(kReadBytes);
  std::uint64_t run = 0;  // bytes since the last newline
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      r.error = fmt::format("cannot read \"{}\": {}", name, errno_text(errno));
      return r;
    }
    if (n == 0) break;
    if (static_cast<std::uint64_t>(n) > limits.max_file_bytes - r.bytes) {
      r.error = fmt::format("\"{}\": input exceeds {} bytes (--max-file-bytes)", name, limits.max_file_bytes);
      return r;
    }
    r.bytes += static_cast<std::uint64_t>(n);
    const void* newline = memrchr(buf.data(), '\n', static_cast<std::size_t>(n));
    run = newline ? static_cast<std::uint64_t>(buf.data() + n - static_cast<const char*>(newline) - 1)
                  : run + static_cast<std::uint64_t>(n);
    if (run > limits.max_line_run) {
      r.error = fmt::format(
          "\"{}\": a line runs on for more than {} bytes without a newline (from byte {}); "
          "reading stopped",
          name, limits.max_line_run, r.bytes - run);
      return r;
    }
    if (!buffer.push(std::string_view(buf.data(), static_cast<std::size_t>(n)))) {
      r.error = fmt::format("reading \"{}\" was stopped", name);
      return r;
    }
  }
  if (!buffer.end()) {
    r.error = fmt::format("reading \"{}\" was stopped", name);
    return r;
  }
  r.ok = true;
  return r;
}

}  // namespace

bool is_url(std::string_view input) { return input.rfind("http://", 0) == 0 || input.rfind("https://", 0) == 0; }

ReadResult read_input(const std::string& input, const FetchOptions& fetch_options,
                      const std::function<void(const InputStart&)>& on_start, const ChunkCallback& on_chunk,
                      const InputLimits& limits) {
  HeadBuffer buffer(on_start, on_chunk);
  if (is_url(input)) {
    FetchResult f = fetch(
        input, fetch_options, [&](std::string_view ct) { buffer.content_type = std::string(ct); },
        [&](std::string_view chunk) { return buffer.push(chunk); });
    ReadResult r;
    r.bytes = f.bytes;
    if (!f.ok) {
      r.error = f.error;
      return r;
    }
    if (!buffer.end()) {
      r.error = fmt::format("reading \"{}\" was stopped", input);
      return r;
    }
    r.ok = true;
    return r;
  }
  if (input == "-") return read_fd(STDIN_FILENO, "<stdin>", buffer, limits);

  int fd = ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    ReadResult r;
    r.error = fmt::format("cannot open \"{}\": {}", input, errno_text(errno));
    return r;
  }
  struct stat st {};
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    ReadResult r;
    r.error = fmt::format("cannot read \"{}\": is a directory", input);
    return r;
  }
  ReadResult r = read_fd(fd, input, buffer, limits);
  ::close(fd);
  return r;
}

}  // namespace promvet::inventory
