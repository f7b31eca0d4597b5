// base/parts.h: every part runs once, part 0 on the caller, failures come back after all parts.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "base/parts.h"

namespace {

using promvet::base::run_parts;

TEST(BaseRunParts, RunsEveryPartOnceAndPartZeroOnTheCallingThread) {
  for (size_t parts : {0u, 1u, 2u, 3u, 8u, 64u}) {
    std::vector<std::atomic<int>> runs(parts);
    std::thread::id part_zero;
    run_parts(parts, [&](size_t k) {
      runs[k].fetch_add(1);
      if (k == 0) part_zero = std::this_thread::get_id();
    });
    for (size_t k = 0; k < parts; ++k) {
      EXPECT_EQ(runs[k].load(), 1) << "part " << k << " of " << parts;
    }
    if (parts > 0) {
      EXPECT_EQ(part_zero, std::this_thread::get_id());
    }
  }
}

TEST(BaseRunParts, RethrowsTheLowestPartsFailureAfterEveryPartHasFinished) {
  std::atomic<int> finished{0};
  try {
    run_parts(6, [&](size_t k) {
      if (k == 2 || k == 4) throw std::runtime_error("part " + std::to_string(k));
      finished.fetch_add(1);
    });
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "part 2");
  }
  EXPECT_EQ(finished.load(), 4);
}

}  // namespace
