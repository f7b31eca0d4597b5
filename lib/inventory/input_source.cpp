#include "inventory/input_source.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <system_error>
#include <thread>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <vector>

#include <fmt/format.h>

namespace promvet::inventory {
namespace {

constexpr std::size_t kReadBytes = 1 << 20;
constexpr std::size_t kTailBytes = 64;
// Regular files are mapped this many bytes at a time instead of read (see
// MappedWindows): a multiple of kReadBytes and of any page size.
constexpr std::size_t kMapWindowBytes = 8u << 20;

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

// The limits of InputLimits over the stream's bytes so far; `run` is the
// number of bytes since the last newline. Checked per kReadBytes piece
// whatever the chunk size, so mapped and read files stop at the same byte.
class LimitCheck {
 public:
  LimitCheck(const std::string& name, const InputLimits& limits) : name_(name), limits_(limits) {}

  // How many bytes of [data, data + n) are within the limits (all of them,
  // or the pieces before the first that is not, with error set).
  std::size_t accept(const char* data, std::size_t n, ReadResult& r) {
    std::size_t done = 0;
    while (done < n) {
      const std::size_t piece = std::min(kReadBytes, n - done);
      if (static_cast<std::uint64_t>(piece) > limits_.max_file_bytes - r.bytes) {
        r.error = fmt::format("\"{}\": input exceeds {} bytes (--max-file-bytes)", name_, limits_.max_file_bytes);
        return done;
      }
      r.bytes += static_cast<std::uint64_t>(piece);
      const void* newline = memrchr(data + done, '\n', piece);
      run_ = newline ? static_cast<std::uint64_t>(data + done + piece - static_cast<const char*>(newline) - 1)
                     : run_ + static_cast<std::uint64_t>(piece);
      if (run_ > limits_.max_line_run) {
        r.error = fmt::format(
            "\"{}\": a line runs on for more than {} bytes without a newline (from byte {}); "
            "reading stopped",
            name_, limits_.max_line_run, r.bytes - run_);
        r.bytes -= static_cast<std::uint64_t>(piece);
        return done;
      }
      done += piece;
    }
    return done;
  }

 private:
  const std::string& name_;
  const InputLimits& limits_;
  std::uint64_t run_ = 0;
};

// A regular file is mapped window by window instead of read: no copy on the
// calling thread (the exposition parser's, which has the most work), the
// pages fault in where they are first read (the parser's lexing thread), and
// each window is unmapped once delivered, so the resident file pages stay
// under kMapWindowBytes whatever the file's size.
//
// A file that shrinks while mapped raises SIGBUS on the pages past its new
// end; the handler maps zero pages over the rest of the window instead, and
// the read ends with an error (so findings from the zeros are not reported).
// The handler is installed only while a window is mapped.
struct MappedWindow {
  static std::atomic<char*> begin;
  static std::atomic<char*> end;
  static std::atomic<bool> shrank;
  static std::uintptr_t page_mask;
  static struct sigaction previous;
};
std::atomic<char*> MappedWindow::begin{nullptr};
std::atomic<char*> MappedWindow::end{nullptr};
std::atomic<bool> MappedWindow::shrank{false};
std::uintptr_t MappedWindow::page_mask = 0;
struct sigaction MappedWindow::previous {};

void on_sigbus(int, siginfo_t* info, void*) {
  char* at = static_cast<char*>(info->si_addr);
  char* b = MappedWindow::begin.load();
  char* e = MappedWindow::end.load();
  if (b && at >= b && at < e) {
    char* page = reinterpret_cast<char*>(reinterpret_cast<std::uintptr_t>(at) & MappedWindow::page_mask);
    if (mmap(page, static_cast<std::size_t>(e - page), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) !=
        MAP_FAILED) {
      MappedWindow::shrank.store(true);
      return;  // the faulting read is retried and sees zeros
    }
  }
  // Not a window's page: the previous disposition takes the retried fault.
  sigaction(SIGBUS, &MappedWindow::previous, nullptr);
}

// Delivers [offset, size) of fd mapped; false with r.error set on a limit,
// a stop or a shrinking file. `done` is where mapping stopped (to read the
// rest, e.g. when mmap fails or the file grew).
bool deliver_mapped(int fd, std::uint64_t size, const std::string& name, HeadBuffer& buffer, LimitCheck& limits,
                    ReadResult& r, std::uint64_t& done) {
  MappedWindow::page_mask = ~static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE) - 1);
  struct sigaction sa {};
  sa.sa_sigaction = on_sigbus;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGBUS, &sa, &MappedWindow::previous) != 0) return true;
  struct Window {
    char* data = nullptr;  // nullptr: not mapped (the end, or mmap refused: read() takes over)
    std::size_t len = 0;
  };
  auto map = [&](std::uint64_t at) {
    Window w;
    if (at >= size) return w;
    w.len = static_cast<std::size_t>(std::min<std::uint64_t>(kMapWindowBytes, size - at));
    void* m = mmap(nullptr, w.len, PROT_READ, MAP_PRIVATE, fd, static_cast<off_t>(at));
    if (m != MAP_FAILED) w.data = static_cast<char*>(m);
    return w;
  };
  bool ok = true;
  done = 0;
  Window next = map(0);
  // Maps in (faults) the pages of the window after the one being parsed,
  // on a helper thread: page faults on the parser's lexing thread, the
  // busier one, took a tenth of its time. It may still run while its
  // window is parsed (the lexing thread then faults the rest in itself);
  // it is waited for only before that window is unmapped, so a helper the
  // scheduler has not run yet never holds up the parser. Without it (or
  // the madvise) the pages fault in where they are read, as before.
  std::thread populating;  // the helper for `next`
  auto populate = [](const Window& n) {
    std::thread t;
#ifdef MADV_POPULATE_READ
    if (n.data) {
      try {
        t = std::thread([n] { madvise(n.data, n.len, MADV_POPULATE_READ); });
      } catch (const std::system_error&) {
      }
    }
#endif
    return t;
  };
  while (next.data) {
    const Window w = next;
    std::thread populating_w = std::move(populating);
    next = map(done + w.len);
    populating = populate(next);
    char* data = w.data;
    const std::size_t len = w.len;
    MappedWindow::end.store(data + len);
    MappedWindow::begin.store(data);
    const std::size_t accepted = limits.accept(data, len, r);
    const bool pushed = accepted == 0 || buffer.push(std::string_view(data, accepted));
    MappedWindow::begin.store(nullptr);
    if (populating_w.joinable()) populating_w.join();
    munmap(data, len);
    if (!(pushed && accepted == len && !MappedWindow::shrank.load()) && next.data) {
      if (populating.joinable()) populating.join();
      munmap(next.data, next.len);
      next = Window{};
    }
    if (MappedWindow::shrank.exchange(false)) {
      r.error = fmt::format("\"{}\" shrank while it was read", name);
      ok = false;
      break;
    }
    if (!pushed) {
      r.error = fmt::format("reading \"{}\" was stopped", name);
      ok = false;
      break;
    }
    if (accepted < len) {
      ok = false;  // limits.accept said why
      break;
    }
    done += len;
  }
  if (populating.joinable()) populating.join();  // no helper is left here; kept for any early exit
  sigaction(SIGBUS, &MappedWindow::previous, nullptr);
  return ok;
}

ReadResult read_fd(int fd, const std::string& name, HeadBuffer& buffer, const InputLimits& limits) {
  ReadResult r;
  buffer.tail = read_tail(fd);
  LimitCheck check(name, limits);
  struct stat st {};
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    if (static_cast<std::uint64_t>(st.st_size) > limits.max_file_bytes) {
      r.error = fmt::format("\"{}\": file is {} bytes, more than {} (--max-file-bytes)", name, st.st_size,
                            limits.max_file_bytes);
      return r;
    }
    const off_t at = lseek(fd, 0, SEEK_CUR);
    if (at == 0 && st.st_size > 0) {
      std::uint64_t mapped = 0;
      if (!deliver_mapped(fd, static_cast<std::uint64_t>(st.st_size), name, buffer, check, r, mapped)) return r;
      // Whatever was not mapped (mmap refused, or the file grew) is read.
      if (lseek(fd, static_cast<off_t>(mapped), SEEK_SET) < 0) {
        r.error = fmt::format("cannot read \"{}\": {}", name, errno_text(errno));
        return r;
      }
    }
  }
  std::vector<char> buf(kReadBytes);
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      r.error = fmt::format("cannot read \"{}\": {}", name, errno_text(errno));
      return r;
    }
    if (n == 0) break;
    if (check.accept(buf.data(), static_cast<std::size_t>(n), r) < static_cast<std::size_t>(n)) return r;
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
