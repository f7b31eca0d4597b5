// The base of the generated parser's rule contexts (grammar/PromQLParser.g4, contextSuperClass):
// a valid expression makes about thirty contexts and as many children lists, all freed together
// when the parse ends, which overflows malloc's per-thread cache every time. Here both are kept
// per thread for the next parse. Built into promvet_promql_antlr, next to the code it completes.
#include <array>
#include <new>
#include <vector>

#include "PromQLParser.h"

namespace promvet_antlr {
namespace {

using Children = std::vector<antlr4::tree::ParseTree*>;

// Free blocks by size in steps of 16 bytes, and children lists emptied but not freed. A block or
// list freed by another thread simply joins that thread's pool. After this thread's pool has been
// destroyed (thread_locals made earlier outlive it), everything goes back to the global allocator.
class ContextPool {
 public:
  static constexpr size_t kStep = 16;
  static constexpr size_t kClasses = 32;  // blocks up to 512 bytes; contexts are 100-200
  static constexpr size_t kKeptPerClass = 4096;
  static constexpr size_t kKeptLists = 8192;

  static ContextPool* of_this_thread() {
    thread_local bool destroyed = false;  // trivially destructible: readable after the pool is gone
    thread_local ContextPool pool(&destroyed);
    return destroyed ? nullptr : &pool;
  }

  void* take(size_t size) {
    const size_t c = size_class(size);
    if (c >= kClasses || free_[c] == nullptr) return ::operator new(c < kClasses ? (c + 1) * kStep : size);
    Free* block = free_[c];
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
  void keep(Children& list) {
    if (list.capacity() == 0 || lists_.size() >= kKeptLists) return;
    list.clear();
    lists_.push_back(std::move(list));
  }
  void reuse(Children& list) {
    if (!list.empty() || list.capacity() >= 4) return;
    if (lists_.empty()) {
      list.reserve(4);
      return;
    }
    list = std::move(lists_.back());
    lists_.pop_back();
  }

  explicit ContextPool(bool* destroyed) : destroyed_(destroyed) {}
  ~ContextPool() {
    *destroyed_ = true;
    for (Free* head : free_) {
      while (head != nullptr) {
        Free* next = head->next;
        ::operator delete(head);
        head = next;
      }
    }
  }

 private:
  struct Free {
    Free* next;
  };
  static size_t size_class(size_t size) { return (size + kStep - 1) / kStep - 1; }

  std::array<Free*, kClasses> free_{};
  std::array<size_t, kClasses> kept_{};
  std::vector<Children> lists_;
  bool* destroyed_;
};

}  // namespace

PooledContext::~PooledContext() {
  if (ContextPool* pool = ContextPool::of_this_thread()) pool->keep(children);
}

void PooledContext::reserve_children() {
  if (ContextPool* pool = ContextPool::of_this_thread()) {
    pool->reuse(children);
  } else {
    children.reserve(4);
  }
}

void* PooledContext::operator new(size_t size) {
  if (ContextPool* pool = ContextPool::of_this_thread()) return pool->take(size);
  return ::operator new(size);
}

void PooledContext::operator delete(void* block, size_t size) {
  if (ContextPool* pool = ContextPool::of_this_thread()) {
    pool->give(block, size);
    return;
  }
  ::operator delete(block);
}

}  // namespace promvet_antlr
