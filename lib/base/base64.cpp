#include "base/base64.h"

#include <cstdint>

namespace promvet::base {
namespace {

int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

bool decode_base64(std::string_view in, std::string* out) {
  std::uint32_t quantum = 0;
  int filled = 0;   // sextets in the current quantum
  int padding = 0;  // '=' seen: only at the end of the last quantum
  for (char c : in) {
    if (c == '\r' || c == '\n') continue;
    if (c == '=') {
      // Padding completes a quantum of two or three sextets, and nothing but padding follows.
      if (filled + padding < 2) return false;
      ++padding;
      if (filled + padding > 4) return false;
      continue;
    }
    int v = sextet(c);
    if (v < 0 || padding > 0) return false;
    quantum = quantum << 6 | static_cast<std::uint32_t>(v);
    if (++filled == 4) {
      out->push_back(static_cast<char>(quantum >> 16));
      out->push_back(static_cast<char>(quantum >> 8 & 0xFF));
      out->push_back(static_cast<char>(quantum & 0xFF));
      quantum = 0;
      filled = 0;
    }
  }
  if (padding == 0) return filled == 0;
  if (filled + padding != 4) return false;
  if (filled == 2) {
    out->push_back(static_cast<char>(quantum >> 4));
  } else {  // three sextets: two bytes
    out->push_back(static_cast<char>(quantum >> 10));
    out->push_back(static_cast<char>(quantum >> 2 & 0xFF));
  }
  return true;
}

}  // namespace promvet::base
