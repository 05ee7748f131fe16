#!/bin/sh
# The portable build (issue #20): outside the kernels of the avx2 and avx512
# CPU paths (cpu_kernels.hpp), a binary holds no instruction an x86-64 CPU
# without AVX lacks, so it runs anywhere and only those kernels need the
# run-time check. Fails listing each function that has VEX/EVEX-encoded
# instructions (mnemonics v*, mask registers k*) or ymm/zmm registers.
#
# portable_binary_test.sh <objdump> <binary>...
set -eu
objdump=$1
shift
status=0
for binary in "$@"; do
  found=$("$objdump" -d --no-show-raw-insn "$binary" | awk '
    /^[0-9a-f]+ <.*>:$/ { fn = $2; next }
    /\t(v[a-z0-9]+|k[a-z]+) / || /%[yz]mm/ {
      if (fn !~ /isa_avx2|isa_avx512|vpucost_eigen_avx2|vpucost_eigen_avx512/) hits[fn]++
    }
    /\t(v[a-z0-9]+|k[a-z]+) / || /%[yz]mm/ { own++ }
    END { for (f in hits) print hits[f], f; print "paths:", own + 0 }')
  outside=$(printf '%s\n' "$found" | grep -v '^paths:' || true)
  if [ -n "$outside" ]; then
    echo "$binary: vector-extension instructions outside the CPU paths' kernels:"
    printf '%s\n' "$outside" | sort -rn | head -20
    status=1
  elif [ "$(printf '%s\n' "$found" | sed -n 's/^paths: //p')" = 0 ]; then
    echo "$binary: no AVX instruction at all - the avx2/avx512 kernels are missing"
    status=1
  else
    echo "$binary: portable ($(printf '%s\n' "$found" | sed -n 's/^paths: //p') AVX instructions, all in the CPU paths' kernels)"
  fi
done
exit $status
