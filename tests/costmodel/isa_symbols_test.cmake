# Checks that each CPU path's copy of costmodel/src/isa/math_kernels.cpp
# leaves the linker no way to run wide-vector code on a CPU without it. The
# linker keeps one copy of each weak function however many objects define
# it; if the avx512 object's copy of an inline function were kept, the
# generic path would run AVX-512 instructions and stop with SIGILL. So every
# function an object defines for the linker must either carry the path's own
# name (isa_<path> or vpucost_eigen_<path>: no other object defines it), or
# hold no VEX/EVEX instruction, ymm/zmm or mask register at all (so any copy
# runs anywhere: e.g. std::bad_alloc's constructor or clang's
# __clang_call_terminate, which sanitizer builds emit). Data (typeinfo,
# personality references) is the same whatever the instruction set.
#
# cmake -DNM=<nm> -DOBJDUMP=<objdump> -DOBJECTS="<path>=<object>;..." -P isa_symbols_test.cmake
foreach(entry IN LISTS OBJECTS)
  string(REPLACE "=" ";" parts "${entry}")
  list(GET parts 0 path)
  list(GET parts 1 object)
  execute_process(COMMAND "${NM}" --defined-only "${object}"
                  OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${NM} failed on ${object}")
  endif()
  string(REPLACE "\n" ";" lines "${symbols}")
  set(own 0)
  set(shared_baseline "")
  foreach(line IN LISTS lines)
    # "<address> <type> <name>": T (global) and W (weak) are the functions
    # the linker may pick from this object.
    if(NOT line MATCHES "^[0-9a-fA-F]* ([TW]) (.+)$")
      continue()
    endif()
    set(name "${CMAKE_MATCH_2}")
    if(name MATCHES "isa_${path}|vpucost_eigen_${path}")
      math(EXPR own "${own} + 1")
      continue()
    endif()
    execute_process(COMMAND "${OBJDUMP}" -d --no-show-raw-insn "--disassemble=${name}" "${object}"
                    OUTPUT_VARIABLE code RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "${OBJDUMP} failed on ${name} in ${object}")
    endif()
    if(code MATCHES "\t(v[a-z0-9]+|k[a-z]+) " OR code MATCHES "%[yz]mm")
      message(FATAL_ERROR "${path}: ${object} defines ${name}, which another object may "
                          "define too, with vector-extension instructions; give it the "
                          "path's namespace (isa_${path})")
    endif()
    list(APPEND shared_baseline "${name}")
  endforeach()
  if(own EQUAL 0)
    message(FATAL_ERROR "${path}: no function of the path's own found in ${object}")
  endif()
  message(STATUS "${path}: ${own} functions of the path's own; shared, baseline code only: "
                 "${shared_baseline}")
endforeach()
