#!/usr/bin/env bash
# Installs the Debian 12 packages subsim needs (as root, non-interactive), then
# configures and builds in Release into build/release.
#   bash tools/setup.sh            # packages + Release build
#   SUBSIM_SKIP_APT=1 bash tools/setup.sh   # build only
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

packages=(
  build-essential cmake ninja-build pkg-config git
  libyaml-cpp-dev libboost-dev libeigen3-dev libfmt-dev libutf8proc-dev libcli11-dev nlohmann-json3-dev libtbb-dev
  librandom123-dev libssl-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  clang-14 libclang-rt-14-dev llvm-14
  time python3
  # report.xlsx (libxlsxwriter; zlib for the tests' ZIP reader); LibreOffice and Chromium
  # check the workbook and the HTML page in tests/e2e/office_test.cpp.
  libxlsxwriter-dev zlib1g-dev libreoffice-calc-nogui chromium
)

if [ -z "${SUBSIM_SKIP_APT:-}" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: run as root to install packages (or set SUBSIM_SKIP_APT=1)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build/release -j"$(nproc)"
echo "setup: built build/release/subsim"
