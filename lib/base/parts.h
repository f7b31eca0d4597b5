// Work cut into parts that may run on threads of their own.
#pragma once

#include <cstddef>
#include <functional>

namespace promvet::base {

// Runs work(0), ..., work(parts - 1) and returns once all have finished: parts 1 and up on threads
// of their own, part 0 on the calling thread, and so is any part no thread could be had for (a
// process limit), so the work is done either way. An exception a part throws (out of memory on a
// worker) is rethrown here after every part has finished, the lowest part's first.
void run_parts(size_t parts, const std::function<void(size_t)>& work);

}  // namespace promvet::base
