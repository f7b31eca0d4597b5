# cmake -DFILE=PromQLParser.cpp -P AntlrLazyInit.cmake: run on each ANTLR-generated recognizer
# (lib/promql/CMakeLists.txt). ANTLR 4.7's C++ target builds the recognizer's ATN in a global
# constructor (`X::Initializer X::_init;`): every run of promvet, `--version` included, paid for
# deserializing both ATNs at start and destroying them at exit, about 40% of the instructions of
# `promvet --version` (docs/benchmarks.md). This moves that work into the recognizer's constructor,
# as a function-local static (thread-safe, once per process), so that only runs that parse
# PromQL do it; and that first construction skips the runtime's re-check of the ATN (below).
# Anything but the expected shape is an error: the output is never half-patched.
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
# The runtime re-checks every deserialized ATN (verifyATN), a third of the deserialization. The ATN
# is the ANTLR tool's own output for this runtime: the check runs when $PROMVET_ANTLR_VERIFY_ATN is
# set, which tests/antlr_atn_test.cpp does.
set(deserializer "\n  atn::ATNDeserializer deserializer;\n")
string(FIND "${text}" "${deserializer}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${FILE}: no `atn::ATNDeserializer deserializer;` in ${class}::Initializer")
endif()
string(REPLACE "${deserializer}"
  "\n  atn::ATNDeserializationOptions options;  // promvet: checked on request (cmake/AntlrLazyInit.cmake)\n  options.setVerifyATN(std::getenv(\"PROMVET_ANTLR_VERIFY_ATN\") != nullptr);\n  atn::ATNDeserializer deserializer(options);\n"
  text "${text}")
set(text "#include <cstdlib>  // promvet: std::getenv\n${text}")
file(WRITE "${FILE}" "${text}")
