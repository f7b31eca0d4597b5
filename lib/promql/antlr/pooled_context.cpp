// The base of the generated parser's rule contexts (grammar/PromQLParser.g4, contextSuperClass):
// a valid expression makes about thirty contexts and as many children lists, all freed together
// when the parse ends. The contexts' blocks come from this thread's free lists (block_pool_internal.h),
// and emptied children lists are kept per thread too, for the next parse. Built into
// promvet_promql_antlr, next to the code it completes.
#include <vector>

#include "PromQLParser.h"
#include "block_pool_internal.h"

namespace promvet_antlr {
namespace {

using Children = std::vector<antlr4::tree::ParseTree*>;
using ContextBlocks = PooledBlocks<PooledContext>;

// Children lists emptied but not freed, at most kKept of them.
class ChildrenLists {
 public:
  static constexpr size_t kKept = 8192;

  void keep(Children& list) {
    if (list.capacity() == 0 || lists_.size() >= kKept) return;
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

 private:
  std::vector<Children> lists_;
};

ChildrenLists* this_threads_lists() { return this_thread_instance<ChildrenLists, ChildrenLists>(); }

}  // namespace

PooledContext::~PooledContext() {
  if (ChildrenLists* lists = this_threads_lists()) lists->keep(children);
}

void PooledContext::reserve_children() {
  if (ChildrenLists* lists = this_threads_lists()) {
    lists->reuse(children);
  } else {
    children.reserve(4);
  }
}

void* PooledContext::operator new(size_t size) { return ContextBlocks::allocate(size); }

void PooledContext::operator delete(void* block, size_t size) { ContextBlocks::deallocate(block, size); }

}  // namespace promvet_antlr
