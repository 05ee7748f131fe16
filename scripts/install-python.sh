#!/usr/bin/env bash
# Installs the vpucost Python package built in build/python/vpucost (by
# scripts/build.sh) for Debian's /usr/bin/python3, so that
#   /usr/bin/python3 -c "import vpucost"
# works from any directory. Default destination: that interpreter's first
# site directory (/usr/local/lib/python3.11/dist-packages on Debian 12; root
# or sudo). For a prefix of your own:
#   scripts/install-python.sh --target ~/lib/python   # then PYTHONPATH=~/lib/python
# The copy goes to a temporary folder next to the destination first and is
# renamed into place, so an interrupted install leaves the old package whole.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${VPUCOST_PYTHON:-/usr/bin/python3}
package=${VPUCOST_PYTHON_PACKAGE:-build/python/vpucost}  # another build tree: set this
if ! ls "$package"/_vpucost*.so >/dev/null 2>&1; then
  echo "install-python: $package has no built extension; run scripts/build.sh first" >&2
  exit 1
fi
if [ "${1:-}" = "--target" ]; then
  [ $# -eq 2 ] || { echo "install-python: --target needs a directory" >&2; exit 1; }
  target=$2
else
  [ $# -eq 0 ] || { echo "install-python: unknown argument '$1' (use --target DIR)" >&2; exit 1; }
  target=$("$python" -c "import site; print(site.getsitepackages()[0])")
fi
sudo=""
if ! mkdir -p "$target" 2>/dev/null || [ ! -w "$target" ]; then
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null ||
    { echo "install-python: cannot write $target (need root or sudo; or use --target DIR)" >&2; exit 1; }
  sudo="sudo"
  $sudo mkdir -p "$target"
fi
staging="$target/.vpucost.installing.$$"
$sudo rm -rf "$staging"
$sudo mkdir -p "$staging"
$sudo cp "$package"/*.py "$package"/_vpucost*.so "$staging"/
$sudo rm -rf "$target/vpucost.old"
[ -e "$target/vpucost" ] && $sudo mv "$target/vpucost" "$target/vpucost.old"
$sudo mv "$staging" "$target/vpucost"
$sudo rm -rf "$target/vpucost.old"
echo "install-python: vpucost installed in $target/vpucost (for $python)"
