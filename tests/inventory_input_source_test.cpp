// inventory::read_input on regular files, which it maps window by window
// (input_source.cpp): the chunks are the file's bytes, the limits stop at
// the same byte as reading did, and a file that shrinks while mapped ends
// the read with an error instead of killing the process with SIGBUS.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "inventory/input_source.h"

namespace promvet::inventory {
namespace {

class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    char name[] = "/tmp/promvet_input_source_XXXXXX";
    int fd = mkstemp(name);
    EXPECT_GE(fd, 0);
    path_ = name;
    std::size_t done = 0;
    while (done < content.size()) {
      ssize_t n = ::write(fd, content.data() + done, content.size() - done);
      EXPECT_GT(n, 0);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    ::close(fd);
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Lines of varying length, about `bytes` long, ending in '\n'.
std::string lines_of(std::size_t bytes) {
  std::mt19937 rng(7);
  std::string out;
  out.reserve(bytes + 200);
  while (out.size() < bytes) {
    out += "metric_" + std::to_string(rng() % 1000) + "{a=\"" + std::string(rng() % 90, 'x') + "\"} " +
           std::to_string(rng()) + "\n";
  }
  return out;
}

TEST(InventoryInputSource, ChunksOfAFileLargerThanSeveralWindowsAreItsBytes) {
  // 21 MB and not a multiple of the page size: more than two 8 MB windows
  // and a short last one.
  const std::string content = lines_of((21u << 20) + 12345);
  TempFile file(content);
  std::string seen_head, got;
  int starts = 0;
  ReadResult r = read_input(
      file.path(), FetchOptions{},
      [&](const InputStart& s) {
        ++starts;
        seen_head.assign(s.head);
      },
      [&](std::string_view chunk) {
        got.append(chunk);
        return true;
      });
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(starts, 1);
  EXPECT_EQ(seen_head, content.substr(0, kHeadBytes));
  EXPECT_EQ(r.bytes, content.size());
  EXPECT_TRUE(got == content) << "delivered " << got.size() << " bytes of " << content.size();
}

TEST(InventoryInputSource, AnUnbrokenRunStopsAtTheSameByteAsWithReads) {
  // A newline at byte 99, then 20 MB without one: with a 3 MB limit the
  // read stops after the third 1 MB piece (what reading 1 MB at a time
  // delivered), whatever the mapping's window size.
  std::string content(99, 'a');
  content += '\n';
  content.append(20u << 20, 'b');
  TempFile file(content);
  InputLimits limits;
  limits.max_line_run = 3u << 20;
  std::size_t delivered = 0;
  ReadResult r = read_input(
      file.path(), FetchOptions{}, [](const InputStart&) {},
      [&](std::string_view chunk) {
        delivered += chunk.size();
        return true;
      },
      limits);
  ASSERT_FALSE(r.ok);
  EXPECT_NE(r.error.find("without a newline (from byte 100)"), std::string::npos) << r.error;
  EXPECT_EQ(delivered, std::size_t{3} << 20);
}

TEST(InventoryInputSource, AFileThatShrinksWhileReadEndsWithAnErrorNotASignal) {
  const std::string content = lines_of(20u << 20);
  TempFile file(content);
  bool truncated = false;
  std::size_t delivered = 0;
  std::size_t nonzero_after_cut = 0;
  constexpr std::size_t kCut = 1u << 20;
  ReadResult r = read_input(
      file.path(), FetchOptions{}, [](const InputStart&) {},
      [&](std::string_view chunk) {
        if (!truncated) {
          truncated = true;
          EXPECT_EQ(::truncate(file.path().c_str(), kCut), 0);
        }
        // Touch every byte, as the parser would: past the new end the pages
        // are gone from the file.
        for (std::size_t i = 0; i < chunk.size(); ++i) {
          if (delivered + i >= kCut && chunk[i] != 0) ++nonzero_after_cut;
        }
        delivered += chunk.size();
        return true;
      });
  ASSERT_TRUE(truncated);
  ASSERT_FALSE(r.ok);
  EXPECT_NE(r.error.find("shrank while it was read"), std::string::npos) << r.error;
  EXPECT_EQ(nonzero_after_cut, 0u);
  // Reading works as before afterwards (the SIGBUS handler is gone again).
  TempFile again(content.substr(0, 5000));
  std::string got;
  ReadResult r2 = read_input(
      again.path(), FetchOptions{}, [](const InputStart&) {},
      [&](std::string_view chunk) {
        got.append(chunk);
        return true;
      });
  ASSERT_TRUE(r2.ok) << r2.error;
  EXPECT_EQ(got, content.substr(0, 5000));
}

}  // namespace
}  // namespace promvet::inventory
