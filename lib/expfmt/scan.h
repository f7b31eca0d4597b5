// Byte-level helpers shared by the exposition parser: character classes,
// number syntax (text 0.0.4 and OpenMetrics), UTF-8 validation, hashing and
// a small open-addressing hash set. Internal to lib/expfmt.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "base/utf8.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace promvet::expfmt::parser_detail {

// Character classes of name bytes, one table lookup per byte (the lexer's
// inner loop runs over every byte of every metric and label name).
enum : std::uint8_t { kNameStart = 1, kColon = 2, kDigit = 4 };
struct NameClassTable {
  std::uint8_t bits[256] = {};
  constexpr NameClassTable() {
    for (int c = 'a'; c <= 'z'; ++c) bits[c] = kNameStart;
    for (int c = 'A'; c <= 'Z'; ++c) bits[c] = kNameStart;
    bits[static_cast<unsigned char>('_')] = kNameStart;
    bits[static_cast<unsigned char>(':')] = kColon;
    for (int c = '0'; c <= '9'; ++c) bits[c] = kDigit;
  }
};
inline constexpr NameClassTable kNameClass{};

// [a-zA-Z_:] / [a-zA-Z0-9_:] for metric names, without ':' for label names.
inline bool is_name_start(unsigned char c, bool colon) {
  return (kNameClass.bits[c] & (colon ? kNameStart | kColon : kNameStart)) != 0;
}
inline bool is_name_char(unsigned char c, bool colon) {
  return (kNameClass.bits[c] & (colon ? kNameStart | kColon | kDigit : kNameStart | kDigit)) != 0;
}
// Index of the first byte at or after i that is no name character
// ([a-zA-Z0-9_] and ':' when colon), or n. Sixteen bytes per step where SSE2
// is available (every x86-64): the lexer spends most of its time in names.
inline std::size_t skip_name_chars(const char* s, std::size_t i, std::size_t n, bool colon) {
#if defined(__SSE2__)
  const __m128i lower_bit = _mm_set1_epi8(0x20);
  const __m128i under = _mm_set1_epi8('_');
  const __m128i colon_v = _mm_set1_epi8(colon ? ':' : '_');
  // Unsigned range tests with signed compares: x - lo + 128 < hi - lo + 1 - 128.
  const __m128i alpha_off = _mm_set1_epi8(static_cast<char>(128 - 'a'));
  const __m128i alpha_lim = _mm_set1_epi8(static_cast<char>(-128 + 26));
  const __m128i digit_off = _mm_set1_epi8(static_cast<char>(128 - '0'));
  const __m128i digit_lim = _mm_set1_epi8(static_cast<char>(-128 + 10));
  while (i + 16 <= n) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    const __m128i alpha = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(v, lower_bit), alpha_off), alpha_lim);
    const __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(v, digit_off), digit_lim);
    const __m128i punct = _mm_or_si128(_mm_cmpeq_epi8(v, under), _mm_cmpeq_epi8(v, colon_v));
    const unsigned ok = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(alpha, digit), punct)));
    if (ok != 0xffff) return i + static_cast<std::size_t>(__builtin_ctz(~ok));
    i += 16;
  }
#endif
  const std::uint8_t mask = colon ? kNameStart | kColon | kDigit : kNameStart | kDigit;
  while (i < n && (kNameClass.bits[static_cast<unsigned char>(s[i])] & mask) != 0) ++i;
  return i;
}

// Index of the first '"', '\\' or byte >= 0x80 at or after i, or n: what
// ends the plain part of a quoted string.
inline std::size_t find_quote_special(const char* s, std::size_t i, std::size_t n) {
#if defined(__SSE2__)
  const __m128i quote_v = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  while (i + 16 <= n) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote_v), _mm_cmpeq_epi8(v, backslash)), v);
    const unsigned m = static_cast<unsigned>(_mm_movemask_epi8(hit));
    if (m != 0) return i + static_cast<std::size_t>(__builtin_ctz(m));
    i += 16;
  }
#endif
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\' || c >= 0x80) return i;
    ++i;
  }
  return n;
}

// Legacy (unquoted) syntax of a metric name, or of a label name without ':'.
bool is_legacy_name(std::string_view s, bool colon);

// A float as Go's strconv.ParseFloat reads it after TextParser rejected
// "p", "P" and "_" (so no hex): [+-]digits[.digits][e[+-]digits],
// [+-]inf, [+-]infinity, nan, case-insensitive. OpenMetrics' ABNF is the same
// set. The whole token must be consumed.
bool parse_float(std::string_view s, double& out);
// A finite decimal float without inf/nan (OpenMetrics timestamps).
bool parse_real(std::string_view s, double& out);
// [+-]digits fitting int64 (text 0.0.4 timestamps, strconv.ParseInt).
bool parse_int64(std::string_view s, std::int64_t& out);

// Byte index of the first invalid UTF-8 sequence, or npos.
using base::invalid_utf8_at;
inline bool has_high_bit(std::string_view s) {
  unsigned char acc = 0;  // an OR-reduction the compiler vectorises
  for (unsigned char c : s) acc |= c;
  return (acc & 0x80) != 0;
}
using base::count_code_points;

// %q-style quoting for messages: escapes quotes, backslashes, control and
// non-UTF-8 bytes, and cuts long tokens.
std::string quote(std::string_view s);

inline std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

// The last 1..7 bytes of a string of fewer than 8 bytes as one word, from at
// most two loads (the lengths are mixed into every hash, so overlapping
// loads cannot make two strings equal). A byte-wise memcpy into a stack word
// would cost a store-forwarding stall per hashed string.
inline std::uint64_t load_short(const char* p, std::size_t n) {
  if (n >= 4) {
    std::uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    return a | (std::uint64_t{b} << 32);
  }
  if (n == 0) return 0;
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return std::uint64_t{u[0]} | (std::uint64_t{u[n / 2]} << 8) | (std::uint64_t{u[n - 1]} << 16);
}

// Folds s into h eight bytes at a time (multiply-xorshift); for counting and
// duplicate detection, not security.
inline std::uint64_t absorb(std::uint64_t h, std::string_view s) {
  const char* p = s.data();
  const std::size_t size = s.size();
  std::size_t n = size;
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0x100000001b3ull;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  std::uint64_t w = 0;
  if (n != 0 && size >= 8) {
    std::memcpy(&w, s.data() + size - 8, 8);  // the last 8 bytes, overlapping
  } else {
    w = load_short(p, n);
  }
  return (h ^ w) * 0x100000001b3ull;
}

inline std::uint64_t hash_bytes(std::string_view s, std::uint64_t seed = 0) {
  return mix64(absorb(0xcbf29ce484222325ull ^ seed ^ (s.size() * 0x9e3779b97f4a7c15ull), s));
}

// One hash over two strings (a label name and its value) without a copy;
// both lengths are mixed in so ("ab","c") and ("a","bc") differ.
inline std::uint64_t hash_pair(std::string_view a, std::string_view b) {
  std::uint64_t h = 0xcbf29ce484222325ull ^ (a.size() * 0x9e3779b97f4a7c15ull) ^ (b.size() << 32);
  h = absorb(h, a) ^ 0x5bd1e995;
  h = absorb(h, b) ^ 0x5bd1e995;
  return mix64(h);
}

// Sample::label_hashes: one hash per label over its name and value
// (hash_pair ends in mix64 already).
template <typename L>
inline std::uint64_t label_pair_hash(const L& l) {
  return hash_pair(l.name, l.value);
}

// a == b without a call to memcmp for the short names and values compared
// per sample (label names, family names).
inline bool same_bytes(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  if (n > 16) return std::memcmp(a.data(), b.data(), n) == 0;
  if (n >= 8) {
    std::uint64_t a0, a1, b0, b1;
    std::memcpy(&a0, a.data(), 8);
    std::memcpy(&b0, b.data(), 8);
    std::memcpy(&a1, a.data() + n - 8, 8);
    std::memcpy(&b1, b.data() + n - 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  return load_short(a.data(), n) == load_short(b.data(), n);
}

// Set of 64-bit hashes with open addressing; no allocation once grown.
class FlatHashSet {
 public:
  // true when h was not yet present (and is now).
  bool insert(std::uint64_t h) { return insert(h, ~std::size_t{0}); }
  // As insert(h), but a set holding cap hashes takes no more (returns false).
  bool insert(std::uint64_t h, std::size_t cap);
  bool contains(std::uint64_t h) const;
  void clear();  // keeps a moderate capacity for reuse
  void release() {
    std::vector<std::uint64_t>().swap(slots_);
    size_ = 0;
  }
  std::size_t size() const { return size_; }

 private:
  void grow();
  std::vector<std::uint64_t> slots_;
  std::size_t size_ = 0;
};

}  // namespace promvet::expfmt::parser_detail
