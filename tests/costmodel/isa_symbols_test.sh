#!/bin/sh
# Checks that each CPU path's copy of costmodel/src/isa/math_kernels.cpp
# leaves the linker no way to run wide-vector code on a CPU without it. The
# linker keeps one copy of each weak function however many objects define
# it; if the avx512 object's copy of an inline function were kept, the
# generic path would run AVX-512 instructions and stop with SIGILL. So every
# function an object offers the linker (nm types T and W) must either carry
# its path's own name (isa_<path> or vpucost_eigen_<path>: no other object
# defines it) or hold no VEX/EVEX instruction, ymm/zmm or mask register (any
# copy then runs anywhere: std::bad_alloc's constructor and clang's
# __clang_call_terminate, which sanitizer builds emit). Data (typeinfo,
# personality references) is the same whatever the instruction set.
#
# isa_symbols_test.sh <nm> <GNU objdump> <path>=<object>...
set -eu
nm=$1
objdump=$2
shift 2
status=0
for entry in "$@"; do
  path=${entry%%=*}
  object=${entry#*=}
  tag="isa_${path}|vpucost_eigen_${path}"
  symbols=$("$nm" --defined-only "$object" | awk '$2 ~ /^[TW]$/ { print $3 }')
  own=$(printf '%s\n' "$symbols" | grep -cE "$tag" || true)
  shared=$(printf '%s\n' "$symbols" | grep -vE "$tag" | grep -v '^$' || true)
  # The functions of the object that use vector extensions, by name.
  wide=$("$objdump" -d --no-show-raw-insn "$object" | awk '
    /^[0-9a-f]+ <.*>:$/ { name = substr($2, 2, length($2) - 3); next }
    /\t(v[a-z0-9]+|k[a-z]+) / || /%[yz]mm/ { print name }' | sort -u)
  for name in $shared; do
    if printf '%s\n' "$wide" | grep -qxF "$name"; then
      echo "$path: $object defines $name, which another object may define too, with"
      echo "  vector-extension instructions; give it the path's namespace (isa_$path)"
      status=1
    fi
  done
  if [ "$own" -eq 0 ]; then
    echo "$path: no function of the path's own found in $object"
    status=1
  fi
  echo "$path: $own functions of the path's own; shared, baseline code only:" $shared
done
exit $status
