// A second thread that splits a chunk into lines and lexes them ahead of the
// parser (ParserOptions::lex_thread). Lexing is a pure function of a line and
// the format, so the lexing thread may run ahead; everything that depends on
// earlier lines (families, duplicates, error counts, "# EOF") stays on the
// parser's thread, which takes the lexed lines in input order. Diagnostics
// and events are therefore the same, in the same order, as without it.
//
// The lexed lines wait in a ring of kSlots slots: memory is bounded by the
// ring (each slot's buffers are shrunk again after an unusually long line),
// not by the input. Internal to lib/expfmt.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>

#include "expfmt/events.h"
#include "expfmt/line_lexer.h"

namespace promvet::expfmt::parser_detail {

// One line of the chunk as the lexing thread left it.
struct LexedLine {
  enum class Kind : std::uint8_t { kNone, kTooLong, kComment, kSample };
  Kind kind = Kind::kNone;  // kNone: a blank line, nothing lexed
  bool ok = false;          // the lexer's verdict for kComment / kSample
  std::string_view line;    // without '\n'
  Position pos;             // start of the line
  Sample sample;
  CommentLine comment;
  LineError error;
  LexBuffers buffers;
};

class LexPipeline {
 public:
  LexPipeline(Format format, bool utf8_names, std::size_t max_labels, std::size_t max_line_bytes);
  ~LexPipeline();
  LexPipeline(const LexPipeline&) = delete;
  LexPipeline& operator=(const LexPipeline&) = delete;

  // Starts lexing the lines of text, which must end with '\n' and stay
  // valid until the last line was taken or cancel() returned. first is the
  // position of its first line.
  void start(std::string_view text, const Position& first);
  // The next line in order, or nullptr when every line of text was taken.
  // Valid until the next call of next() or cancel().
  LexedLine* next();
  // Stops lexing the rest of text; returns once the thread is idle.
  void cancel();

 private:
  static constexpr std::size_t kSlots = 2048;
  void run();
  LexedLine* take();
  void produce();
  bool wait_for_room(std::size_t produced);
  void wake(std::atomic<bool>& sleeping);

  Format format_;
  std::size_t max_line_bytes_;
  LineLexer lexer_;
  std::unique_ptr<LexedLine[]> slots_;

  std::mutex mutex_;
  std::condition_variable cv_;
  // Job handshake (under mutex_).
  bool has_job_ = false;
  bool quit_ = false;
  std::string_view text_;
  Position first_;
  // The ring: lines [consumed_, produced_) are ready; done_ once the job's
  // last line is in. Each counter on a cache line of its own: one side
  // writes it, the other reads it.
  alignas(64) std::atomic<std::size_t> produced_{0};
  alignas(64) std::atomic<std::size_t> consumed_{0};
  alignas(64) std::atomic<bool> done_{true};
  std::atomic<bool> cancel_{false};
  std::atomic<bool> consumer_sleeping_{false};
  std::atomic<bool> producer_sleeping_{false};
  // What a sleeping side waits for: the lines produced (consumed) at which
  // the other side wakes it (kRefillLines, kRefillSlots).
  std::atomic<std::size_t> consumer_wake_at_{0};
  std::atomic<std::size_t> producer_wake_at_{0};
  // Lexing thread only.
  alignas(64) std::size_t room_seen_ = 0;  // consumed_ when last read
  // Parser thread only.
  alignas(64) std::size_t taken_ = 0;  // lines handed out so far
  std::size_t available_ = 0;          // produced_ when last read
  bool holding_ = false;               // next() returned a slot not yet released
  std::thread thread_;
};

}  // namespace promvet::expfmt::parser_detail
