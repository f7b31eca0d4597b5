// Input of tools/code_size.py's own tests (tests/CMakeLists.txt, CodeSize.*): every construct the
// lexical counter must get right. Not compiled. sample.expected lists what --list must print.
#include <string>
#define BRACE_IN_MACRO {

namespace outer {
namespace {

const char* kText = "a } brace { in a string";
const char kOpen = '{';
const char* kRaw = R"x(raw } string { with "quotes" )x";
constexpr long kMillion = 1'000'000;
int table[] = {1, 2, 3};  // an initialiser, not a function

/* a comment with a function in it: void fake() {
} */
int plain(int a, int b) {
  return a + b;  // }
}

}  // namespace

struct Point {
  int x{0};
  Point() : x{1}, y_(2) {
    x += 1;
  }
  explicit Point(int v) : x(v) {}
  bool operator==(const Point& o) const noexcept {
    return x == o.x
        && y_ == o.y_;
  }
  int y_ = 0;
};

template <class T>
auto trailing(T t) -> decltype(t + 1) {
  if (t) {
    return t + 1;
  }
  return t;
}

auto lambda_at_namespace_scope = [](int v) {
  return v * 2;
};

extern "C" {
int c_linkage(void) {
  auto inner = [] {
    return 1;
  };
  return inner();
}
}

}  // namespace outer

TEST(Suite, Name) {
  EXPECT_EQ(1, 1);
}
