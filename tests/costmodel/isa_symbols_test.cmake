# Checks that each CPU path's copy of costmodel/src/isa/math_kernels.cpp
# defines no external symbol another copy could also define: every symbol the
# linker may merge (functions, weak template instances, guard variables) must
# carry the path's own name (isa_<path> or vpucost_eigen_<path>). Otherwise
# the linker could keep, say, the AVX-512 copy of an inline function for the
# generic path too, and vpucost would stop with SIGILL on a CPU without it.
#
# cmake -DNM=<nm> -DOBJECTS="<path>=<object>;..." -P isa_symbols_test.cmake
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
  foreach(line IN LISTS lines)
    # "<address> <type> <name>": uppercase types are external (global/weak).
    if(NOT line MATCHES "^[0-9a-fA-F]* ([A-Z]) (.+)$")
      continue()
    endif()
    set(name "${CMAKE_MATCH_2}")
    if(name MATCHES "isa_${path}|vpucost_eigen_${path}")
      math(EXPR own "${own} + 1")
    elseif(NOT name STREQUAL "DW.ref.__gxx_personality_v0")  # the same in every object
      message(FATAL_ERROR "${path}: ${object} defines the shared symbol ${name}; "
                          "give it the path's namespace (isa_${path})")
    endif()
  endforeach()
  if(own EQUAL 0)
    message(FATAL_ERROR "${path}: no symbol of the path's own found in ${object}")
  endif()
  message(STATUS "${path}: ${own} external symbols, all the path's own")
endforeach()
