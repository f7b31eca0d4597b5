# How promvet's programs are linked, for start-up time (issue 21; figures in docs/benchmarks.md).
# A pre-commit hook starts promvet once per commit, often for one small file, so the dynamic
# loader's work (mapping libraries, resolving their symbols, running their constructors) is most
# of the run. With PROMVET_STATIC_DEPS (the default) the C++ dependencies are linked from the
# static archives Debian ships, fmt is used header-only and libstdc++/libgcc are linked
# statically, leaving libc and libm to the loader. libcurl is not among them: it is only ever
# loaded by the fetcher module (lib/inventory/CMakeLists.txt). The installed CMake package is not
# affected: its targets name the dependencies, which a consumer resolves as it likes.
#
# Included by the top-level CMakeLists.txt after its find_package() calls.
option(PROMVET_STATIC_DEPS "Link RE2, ANTLR, the YAML library and libstdc++ statically, fmt header-only (start-up time)" ON)

# Let the linker drop libraries nothing refers to (libfmt.so once fmt is header-only, libm),
# and optimise the hash tables the loader searches.
add_link_options(-Wl,--as-needed -Wl,-O1)

# Sanitizer and fuzz builds keep everything shared: their runtimes interpose on libstdc++.
if(NOT PROMVET_STATIC_DEPS OR PROMVET_SANITIZE OR PROMVET_FUZZ)
  if(ANTLR4_RUNTIME_LIBRARY MATCHES "\\.a$")  # left by an earlier configure with the option on
    unset(ANTLR4_RUNTIME_LIBRARY CACHE)
  endif()
  return()
endif()

# The archive next to a shared library: /x/libfoo.so[.N...] -> /x/libfoo.a if it exists, else "".
function(promvet_static_archive_of path out)
  set(${out} "" PARENT_SCOPE)
  # Two steps: ${CMAKE_MATCH_1} in the same if() would be expanded before the match.
  if(path MATCHES "^(.*/lib[^/]+)\\.so(\\.[0-9.]+)?$")
    if(EXISTS "${CMAKE_MATCH_1}.a")
      set(${out} "${CMAKE_MATCH_1}.a" PARENT_SCOPE)
    endif()
  endif()
endfunction()

# Points an imported target found by find_package()/pkg_check_modules() at static archives:
# its locations (a CMake config package) and the paths in its link interface
# (pkg-config targets such as PkgConfig::RE2). Libraries without an archive stay shared.
function(promvet_prefer_static target)
  get_target_property(configs ${target} IMPORTED_CONFIGURATIONS)
  if(configs)
    foreach(config ${configs})
      get_target_property(location ${target} IMPORTED_LOCATION_${config})
      promvet_static_archive_of("${location}" archive)
      if(archive)
        set_target_properties(${target} PROPERTIES IMPORTED_LOCATION_${config} "${archive}")
        message(STATUS "promvet: ${target} linked from ${archive}")
      endif()
    endforeach()
  endif()
  get_target_property(links ${target} INTERFACE_LINK_LIBRARIES)
  if(links)
    set(changed "")
    foreach(item ${links})
      promvet_static_archive_of("${item}" archive)
      if(archive)
        list(APPEND changed "${archive}")
        message(STATUS "promvet: ${target} linked from ${archive}")
      else()
        list(APPEND changed "${item}")
      endif()
    endforeach()
    set_target_properties(${target} PROPERTIES INTERFACE_LINK_LIBRARIES "${changed}")
  endif()
endfunction()

# Every dependency the top-level file found, except libcurl (the fetcher module is a shared
# object and needs the shared libcurl) and zlib (only libcurl uses it).
get_directory_property(promvet_imported IMPORTED_TARGETS)
foreach(target ${promvet_imported})
  get_target_property(type ${target} TYPE)
  if(NOT target MATCHES "^(CURL::|ZLIB::)" AND (type STREQUAL "SHARED_LIBRARY" OR type STREQUAL "UNKNOWN_LIBRARY" OR
     type STREQUAL "INTERFACE_LIBRARY"))
    promvet_prefer_static(${target})
  endif()
endforeach()

# fmt: Debian ships no libfmt.a; header-only gives the same code without the shared library.
if(TARGET fmt::fmt)
  set_target_properties(fmt::fmt PROPERTIES INTERFACE_COMPILE_DEFINITIONS "FMT_HEADER_ONLY=1")
endif()

# The ANTLR4 C++ runtime is found by lib/promql/CMakeLists.txt with find_library(); the archive
# is put in the cache first, where that find_library() takes it.
find_library(PROMVET_ANTLR4_RUNTIME_ARCHIVE NAMES libantlr4-runtime.a)
if(PROMVET_ANTLR4_RUNTIME_ARCHIVE)
  set(ANTLR4_RUNTIME_LIBRARY ${PROMVET_ANTLR4_RUNTIME_ARCHIVE} CACHE FILEPATH "ANTLR4 C++ runtime" FORCE)
endif()

# libstdc++ and libgcc into the executables (not into the fetcher module, which loads the
# shared ones along with libcurl when a run fetches).
add_link_options($<$<STREQUAL:$<TARGET_PROPERTY:TYPE>,EXECUTABLE>:-static-libstdc++>
                 $<$<STREQUAL:$<TARGET_PROPERTY:TYPE>,EXECUTABLE>:-static-libgcc>)

# Position-independent executables stay the default: promvet reads untrusted input (dashboards,
# rule files, /metrics of other hosts, fuzzing) and a randomised code address is the hardening
# Debian builds with. -DPROMVET_PIE=OFF links at a fixed address (-no-pie) for the last bit of
# start-up: a PIE carries about 9,400 relative relocations (vtables, typeinfo, the check
# registry's tables) applied at every start, writing some 25 pages of .data.rel.ro and .got, each
# a copy-on-write fault: 0.13 M instructions and about 0.06 ms of the ~2.2 ms `promvet lint` on
# one dashboard (docs/benchmarks.md "Start-up").
option(PROMVET_PIE "Link the executables position-independent (randomised code address; OFF starts ~0.06 ms sooner)" ON)
if(NOT PROMVET_PIE)
  add_link_options($<$<STREQUAL:$<TARGET_PROPERTY:TYPE>,EXECUTABLE>:-no-pie>)
endif()
