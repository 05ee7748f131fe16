#!/usr/bin/env bash
# Installs what bench/compare_trainers needs besides vpucost itself: Debian's
# PyTorch, scikit-learn, XGBoost and pandas (PyPI is not used). Not part of
# the default build or test suite.
set -euo pipefail

packages=(python3 python3-numpy python3-pandas python3-torch python3-sklearn python3-xgboost)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-bench-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-bench-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
apt_opts=(-y -q -o DPkg::Lock::Timeout=600)
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get "${apt_opts[@]}" install --no-install-recommends "${missing[@]}" ||
  { $sudo apt-get -q -o DPkg::Lock::Timeout=600 update && \
    $sudo apt-get "${apt_opts[@]}" install --no-install-recommends "${missing[@]}"; }
