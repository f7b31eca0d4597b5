#pragma once
// Per-thread free lists for the objects the ANTLR runtime makes and frees one by one during a
// parse: rule contexts (lib/promql/antlr/pooled_context.cpp), tokens and parse-tree leaves
// (lib/promql/parse_runtime_internal.h). An expression makes dozens of each and frees them all
// when the parse ends, which overflows malloc's per-thread cache every time; kept here, the
// next parse takes them back without malloc. A block freed by another thread simply joins that
// thread's lists.
#include <array>
#include <cstddef>
#include <new>

namespace promvet_antlr {

// This thread's T (one per Tag), or null once it has been destroyed at thread exit: thread_locals
// made before it are destroyed after it, and may still free blocks then.
template <class T, class Tag>
T* this_thread_instance() {
  struct Holder {
    T value;
    bool* gone;
    ~Holder() { *gone = true; }  // runs before value's destructor
  };
  thread_local bool gone = false;  // trivially destructible: readable after the holder is gone
  thread_local Holder holder{T{}, &gone};
  return gone ? nullptr : &holder.value;
}

// Freed blocks by size in steps of 16 bytes, up to 512 bytes and kKeptPerClass blocks per size;
// larger blocks, and blocks beyond the cap, go back to the global allocator. The kept blocks are
// freed with the lists.
class BlockFreeLists {
 public:
  static constexpr size_t kStep = 16;
  static constexpr size_t kClasses = 32;
  static constexpr size_t kKeptPerClass = 4096;

  BlockFreeLists() = default;
  BlockFreeLists(const BlockFreeLists&) = delete;
  BlockFreeLists& operator=(const BlockFreeLists&) = delete;
  ~BlockFreeLists() {
    for (Free* head : free_) {
      while (head != nullptr) {
        Free* next = head->next;
        ::operator delete(head);
        head = next;
      }
    }
  }

  void* take(size_t size) {
    const size_t c = size_class(size);
    if (c >= kClasses) return ::operator new(size);
    Free* block = free_[c];
    if (block == nullptr) return ::operator new((c + 1) * kStep);  // any size of the class fits
    free_[c] = block->next;
    --kept_[c];
    return block;
  }
  void give(void* block, size_t size) {
    const size_t c = size_class(size);
    if (c >= kClasses || kept_[c] >= kKeptPerClass) {
      ::operator delete(block);
      return;
    }
    free_[c] = new (block) Free{free_[c]};
    ++kept_[c];
  }

 private:
  struct Free {
    Free* next;
  };
  static size_t size_class(size_t size) { return (size + kStep - 1) / kStep - 1; }

  std::array<Free*, kClasses> free_{};
  std::array<size_t, kClasses> kept_{};
};

// operator new and delete of a class whose objects come from this thread's lists for Tag. The
// runtime deletes through base pointers; with a virtual destructor the sized delete still gets
// the object's own size.
template <class Tag>
struct PooledBlocks {
  static void* allocate(size_t size) {
    if (BlockFreeLists* lists = this_thread_instance<BlockFreeLists, Tag>()) return lists->take(size);
    return ::operator new(size);
  }
  static void deallocate(void* block, size_t size) {
    if (BlockFreeLists* lists = this_thread_instance<BlockFreeLists, Tag>()) {
      lists->give(block, size);
      return;
    }
    ::operator delete(block);
  }
};

}  // namespace promvet_antlr
