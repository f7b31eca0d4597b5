#include "base/parts.h"

#include <exception>
#include <system_error>
#include <thread>
#include <vector>

namespace promvet::base {

void run_parts(size_t parts, const std::function<void(size_t)>& work) {
  if (parts == 0) return;
  std::vector<std::exception_ptr> failures(parts);
  auto run = [&](size_t k) {
    try {
      work(k);
    } catch (...) {
      failures[k] = std::current_exception();
    }
  };
  std::vector<std::thread> workers;
  size_t started = 1;
  try {
    workers.reserve(parts - 1);
    for (; started < parts; ++started) workers.emplace_back(run, started);
  } catch (const std::system_error&) {  // no more threads to be had: the rest run here
  }
  run(0);
  for (size_t k = started; k < parts; ++k) run(k);
  for (std::thread& t : workers) t.join();
  for (const std::exception_ptr& f : failures)
    if (f) std::rethrow_exception(f);
}

}  // namespace promvet::base
