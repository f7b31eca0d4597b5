# cmake -DFILE=PromQLParser.cpp -P AntlrLazyInit.cmake: run on each ANTLR-generated recognizer
# (lib/promql/CMakeLists.txt). ANTLR 4.7's C++ target builds the recognizer's ATN in a global
# constructor (`X::Initializer X::_init;`): every run of promvet, `--version` included, paid for
# deserializing both ATNs at start and destroying them at exit, about 40% of the instructions of
# `promvet --version` (docs/benchmarks.md). This moves that work into the recognizer's constructor,
# as a function-local static (thread-safe, once per process), so that only runs that parse
# PromQL do it. Anything but the expected shape is an error: the output is never half-patched.
if(NOT FILE)
  message(FATAL_ERROR "AntlrLazyInit.cmake: -DFILE=<generated recognizer .cpp> is required")
endif()
file(READ "${FILE}" text)
string(REGEX MATCH "\n([A-Za-z_][A-Za-z0-9_]*)::Initializer ([A-Za-z_][A-Za-z0-9_]*)::_init;\n" eager "${text}")
set(class "${CMAKE_MATCH_1}")
if(NOT eager OR NOT class STREQUAL CMAKE_MATCH_2)
  if(text MATCHES "promvet: lazy ATN initialization")
    return()  # already done
  endif()
  message(FATAL_ERROR "${FILE}: no `X::Initializer X::_init;` to make lazy (another ANTLR version?)")
endif()
string(REGEX MATCHALL "\n  _interpreter = new atn::[A-Za-z]+ATNSimulator\\(" creations "${text}")
list(LENGTH creations n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "${FILE}: expected one `_interpreter = new atn::...ATNSimulator(` in ${class}'s constructor, found ${n}")
endif()
string(REPLACE "${eager}" "\n// promvet: lazy ATN initialization (cmake/AntlrLazyInit.cmake): see ${class}'s constructor.\n"
  text "${text}")
string(REPLACE "${creations}"
  "\n  static const Initializer lazy_init;  // promvet: the ATN is built by the first ${class}, not at start-up\n  (void)lazy_init;${creations}"
  text "${text}")
file(WRITE "${FILE}" "${text}")
