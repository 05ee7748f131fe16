#!/usr/bin/env bash
# Installs the Debian packages vpucost builds, tests and runs with, when they
# are missing. Nothing is downloaded at build time; this is the only step
# that touches the network (Debian's package mirror).
set -euo pipefail

packages=(
  cmake g++ make pkg-config
  libeigen3-dev libhdf5-dev libboost-program-options-dev libfccp-dev libspdlog-dev zlib1g-dev
  nlohmann-json3-dev libyaml-cpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  gnuplot-nox python3 python3-h5py python3-yaml
  # the vpucost Python package (python/) and its pytest suite
  python3-dev pybind11-dev python3-numpy python3-pandas python3-pytest python3-torch
  # ONNX import, and the tests that export torchvision's networks to ONNX
  libonnx-dev libprotobuf-dev python3-onnx python3-torchvision
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
# Another apt run (e.g. unattended upgrades) may hold the lock for a while.
apt_opts=(-y -q -o DPkg::Lock::Timeout=600)
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get "${apt_opts[@]}" install --no-install-recommends "${missing[@]}" ||
  { $sudo apt-get -q -o DPkg::Lock::Timeout=600 update && \
    $sudo apt-get "${apt_opts[@]}" install --no-install-recommends "${missing[@]}"; }
