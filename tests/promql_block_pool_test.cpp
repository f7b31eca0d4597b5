// The per-thread free lists behind the PromQL parser's tokens, leaves and rule contexts
// (lib/promql/antlr/block_pool_internal.h): blocks come back by size class, and a block freed after the
// thread's lists are gone (by a thread_local destroyed later) goes to the global allocator.
#include "promql/antlr/block_pool_internal.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace {

using promvet_antlr::BlockFreeLists;
using promvet_antlr::PooledBlocks;
using promvet_antlr::this_thread_instance;

TEST(PromqlBlockPool, AFreedBlockIsTakenAgainForAnySizeOfItsClass) {
  BlockFreeLists lists;
  void* a = lists.take(40);  // class 33..48
  lists.give(a, 40);
  void* again = lists.take(48);
  EXPECT_EQ(again, a);
  void* b = lists.take(33);
  EXPECT_NE(b, a);
  lists.give(b, 33);
  void* c = lists.take(64);  // another class: not b
  EXPECT_NE(c, b);
  lists.give(c, 64);
  lists.give(again, 48);  // every block back, so the lists free them (LeakSanitizer)
}

TEST(PromqlBlockPool, KeepsAtMostTheCapPerClass) {
  BlockFreeLists lists;
  std::vector<void*> blocks;
  for (size_t i = 0; i < BlockFreeLists::kKeptPerClass + 10; ++i) blocks.push_back(lists.take(24));
  for (void* b : blocks) lists.give(b, 24);
  // The first kKeptPerClass given are kept (last given, first taken); the 10 beyond were freed.
  std::vector<void*> taken;
  for (size_t i = 0; i < BlockFreeLists::kKeptPerClass; ++i) {
    taken.push_back(lists.take(24));
    EXPECT_EQ(taken.back(), blocks[BlockFreeLists::kKeptPerClass - 1 - i]) << i;
  }
  for (void* b : taken) lists.give(b, 24);  // back, so the lists free them (LeakSanitizer)
}

struct Tag {};

// Made before this thread's lists for Tag, so destroyed after them at thread exit: its block
// must not go back to the destroyed lists.
struct LateFree {
  void* block = nullptr;
  bool lists_gone_at_exit = false;
  bool* report = nullptr;
  ~LateFree() {
    lists_gone_at_exit = this_thread_instance<BlockFreeLists, Tag>() == nullptr;
    PooledBlocks<Tag>::deallocate(block, 64);
    if (report) *report = lists_gone_at_exit;
  }
};

TEST(PromqlBlockPool, ABlockFreedAfterTheThreadsListsAreGoneGoesToTheGlobalAllocator) {
  bool gone = false;
  std::thread([&gone] {
    thread_local LateFree late;
    late.report = &gone;
    late.block = PooledBlocks<Tag>::allocate(64);  // makes the lists, after `late`
    EXPECT_NE((this_thread_instance<BlockFreeLists, Tag>()), nullptr);
  }).join();
  EXPECT_TRUE(gone);
}

}  // namespace
