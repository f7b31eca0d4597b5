// sources::read_bounded: a stream read whole up to the limit, refused just past it, and an
// endless stream stops being read at the limit.
#include <gtest/gtest.h>

#include <sstream>
#include <streambuf>
#include <string>

#include "sources/bounded_read.h"

namespace promvet::sources {
namespace {

TEST(BoundedRead, ReadsWholeStreamUpToTheLimit) {
  std::istringstream in("groups: []\n");
  BoundedRead r = read_bounded(in, 11);
  EXPECT_FALSE(r.too_large);
  EXPECT_FALSE(r.failed);
  EXPECT_EQ(r.content, "groups: []\n");
  std::istringstream empty("");
  r = read_bounded(empty, 11);
  EXPECT_FALSE(r.too_large);
  EXPECT_EQ(r.content, "");
}

TEST(BoundedRead, OneByteOverTheLimitIsTooLarge) {
  std::istringstream in("groups: []\n");
  BoundedRead r = read_bounded(in, 10);
  EXPECT_TRUE(r.too_large);
  EXPECT_EQ(r.content, "");
}

TEST(BoundedRead, LargerThanOneChunk) {
  std::string big(200000, 'x');
  std::istringstream in(big);
  BoundedRead r = read_bounded(in, big.size());
  EXPECT_FALSE(r.too_large);
  EXPECT_EQ(r.content, big);
}

// A stream that never ends: read_bounded must return after max_bytes + 1 bytes.
class Endless : public std::streambuf {
 public:
  size_t served = 0;

 protected:
  int_type underflow() override {
    setg(buf_, buf_, buf_ + sizeof buf_);
    served += sizeof buf_;
    return traits_type::to_int_type(buf_[0]);
  }

 private:
  char buf_[4096] = {};
};

TEST(BoundedRead, EndlessStreamStopsAtTheLimit) {
  Endless source;
  std::istream in(&source);
  BoundedRead r = read_bounded(in, 1 << 20);
  EXPECT_TRUE(r.too_large);
  EXPECT_LE(source.served, (1u << 20) + 2 * 4096u);
}

}  // namespace
}  // namespace promvet::sources
