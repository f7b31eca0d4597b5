#include "expfmt/lex_pipeline.h"

#include <chrono>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace promvet::expfmt::parser_detail {

namespace {

// Busy-wait this many rounds before sleeping: the other thread usually has
// the next line (or a free slot) within a few hundred nanoseconds.
constexpr int kSpins = 200;
// Each side publishes its progress every kBatch lines (and before it waits),
// so the shared counters' cache line moves between the cores once per batch
// instead of once per line.
constexpr std::size_t kBatch = 32;
// A sleeper re-checks at least this often, so a missed wake-up costs time,
// never a hang.
constexpr auto kNap = std::chrono::milliseconds(1);
// A side that went to sleep is woken only once the other has made this many
// lines (or slots) for it, not at the next batch: sleeping and waking cost
// system calls on both threads (futex), and waking for one batch of 32 lines
// had the two sides take turns every few microseconds, thousands of times
// per file. The ring is the buffer that lets each side run in long stretches.
// The parser waits for fewer lines than the lexing thread for slots: lines
// piling up while the parser sleeps must not look like a slow parser to the
// hashing balance below (the ring at least half full).
constexpr std::size_t kRefillLines = 512;
constexpr std::size_t kRefillSlots = 1024;
// Buffers of a slot above these sizes are released once the parser is done
// with its line, so the ring holds at most kSlots times this much whatever
// the lines were (about 12 MB for 2,048 slots), not the largest lines seen.
constexpr std::size_t kKeepScratchBytes = 2u << 10;
constexpr std::size_t kKeepLabels = 32;

inline void relax() {
#if defined(__SSE2__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

template <typename T>
void trim(std::vector<T>& v, std::size_t keep) {
  if (v.capacity() > keep) std::vector<T>().swap(v);
}

}  // namespace

LexPipeline::LexPipeline(Format format, bool utf8_names, std::size_t max_labels, std::size_t max_line_bytes)
    : format_(format),
      max_line_bytes_(max_line_bytes),
      lexer_(format, utf8_names, max_labels),
      slots_(new LexedLine[kSlots]) {}

LexPipeline::~LexPipeline() {
  if (!thread_.joinable()) return;
  cancel();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void LexPipeline::start(std::string_view text, const Position& first) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    text_ = text;
    first_ = first;
    produced_.store(0);
    consumed_.store(0);
    consumer_wake_at_.store(0);
    producer_wake_at_.store(0);
    cancel_.store(false);
    done_.store(false);
    taken_ = 0;
    available_ = 0;
    holding_ = false;
    has_job_ = true;
  }
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  cv_.notify_all();
}

void LexPipeline::wake(std::atomic<bool>& sleeping) {
  if (!sleeping.load()) return;
  { std::lock_guard<std::mutex> lock(mutex_); }
  cv_.notify_all();
}

void LexPipeline::run() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [this] { return has_job_ || quit_; });
      if (quit_) return;
      has_job_ = false;
    }
    produce();
    done_.store(true);
    wake(consumer_sleeping_);
  }
}

bool LexPipeline::wait_for_room(std::size_t produced) {
  if (produced - room_seen_ < kSlots) return true;
  produced_.store(produced);  // what the parser may take while this side waits
  wake(consumer_sleeping_);
  auto full = [&] { return produced - (room_seen_ = consumed_.load()) >= kSlots; };
  // Once asleep, back to work when kRefillSlots slots are free.
  producer_wake_at_.store(produced - kSlots + kRefillSlots);
  auto short_of_room = [&] { return produced - (room_seen_ = consumed_.load()) > kSlots - kRefillSlots; };
  for (int spins = 0; full(); ++spins) {
    if (cancel_.load()) return false;
    if (spins < kSpins) {
      relax();
      continue;
    }
    producer_sleeping_.store(true);
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait_for(lock, kNap, [&] { return !short_of_room() || cancel_.load(); });
    producer_sleeping_.store(false);
  }
  return !cancel_.load();
}

void LexPipeline::produce() {
  const char* p = text_.data();
  const char* const end = p + text_.size();
  Position pos = first_;
  std::size_t produced = 0;
  room_seen_ = 0;
  lexer_.set_make_hashes(true);  // the ring is empty, but the parser has yet to start
  while (p < end) {
    if (!wait_for_room(produced)) return;
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (!nl) nl = end;  // start() promised a final '\n'; stay inside text regardless
    LexedLine& s = slots_[produced % kSlots];
    s.line = std::string_view(p, static_cast<std::size_t>(nl - p));
    s.pos = pos;
    s.kind = LexedLine::Kind::kNone;
    s.ok = false;
    LexBuffers& b = s.buffers;
    const std::string_view line = s.line;
    if (line.size() > max_line_bytes_) {
      s.kind = LexedLine::Kind::kTooLong;
    } else {
      // The same choice the parser makes before it lexes (text_line, om_line).
      std::size_t i = 0;
      if (format_ == Format::kText)
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      if (i < line.size()) {
        lexer_.use_buffers(&b);
        if (line[i] == '#') {
          s.kind = LexedLine::Kind::kComment;
          s.ok = lexer_.lex_comment(line, s.comment, s.error);
        } else {
          s.kind = LexedLine::Kind::kSample;
          s.ok = lexer_.lex_sample(line, pos, s.sample, s.error);
        }
        lexer_.use_buffers(nullptr);
      }
    }
    pos.line += 1;
    pos.offset += line.size() + 1;
    p = nl + 1;
    if (++produced % kBatch == 0) {
      produced_.store(produced);
      if (produced >= consumer_wake_at_.load(std::memory_order_relaxed)) wake(consumer_sleeping_);
      if (cancel_.load(std::memory_order_relaxed)) return;
      // Balance: with the ring at least half full the parser is the slower
      // side and this thread makes the label-pair hashes; below, the parser
      // makes them (same hashes either way, so the same findings).
      // Not relaxed: room_seen_ says which slots the parser is done with, and this thread
      // writes into them next, so the parser's last reads of them must happen before (acquire;
      // ThreadSanitizer reported the relaxed load as races on every reused slot).
      room_seen_ = consumed_.load();
      lexer_.set_make_hashes(produced - room_seen_ >= kSlots / 2);
    }
  }
  produced_.store(produced);
}

LexedLine* LexPipeline::next() {
  if (holding_) {
    holding_ = false;
    LexBuffers& b = slots_[(taken_ - 1) % kSlots].buffers;
    trim(b.scratch, kKeepScratchBytes);
    trim(b.labels, kKeepLabels);
    trim(b.exemplar_labels, kKeepLabels);
    trim(b.label_hashes, kKeepLabels);
    if (taken_ % kBatch == 0) {
      consumed_.store(taken_);
      if (taken_ >= producer_wake_at_.load(std::memory_order_relaxed)) wake(producer_sleeping_);
    }
  }
  if (taken_ < available_) return take();
  consumed_.store(taken_);  // all taken lines are done with: room for the lexing thread
  wake(producer_sleeping_);
  auto ready = [&] { return (available_ = produced_.load()) > taken_ || done_.load(); };
  // Once asleep, back to work when kRefillLines lines are ready (or the last).
  consumer_wake_at_.store(taken_ + kRefillLines);
  auto refilled = [&] { return (available_ = produced_.load()) >= taken_ + kRefillLines || done_.load(); };
  for (int spins = 0; !ready(); ++spins) {
    if (spins < kSpins) {
      relax();
      continue;
    }
    consumer_sleeping_.store(true);
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait_for(lock, kNap, refilled);
    consumer_sleeping_.store(false);
  }
  // done_ is stored after the last produced_: read produced_ again.
  available_ = produced_.load();
  if (available_ <= taken_) return nullptr;
  return take();
}

LexedLine* LexPipeline::take() {
  LexedLine* s = &slots_[taken_ % kSlots];
  ++taken_;
  holding_ = true;
  return s;
}

void LexPipeline::cancel() {
  cancel_.store(true);
  wake(producer_sleeping_);
  for (int spins = 0; !done_.load(); ++spins) {
    if (spins < kSpins) {
      relax();
      continue;
    }
    consumer_sleeping_.store(true);
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait_for(lock, kNap, [this] { return done_.load(); });
    consumer_sleeping_.store(false);
  }
  holding_ = false;
}

}  // namespace promvet::expfmt::parser_detail
