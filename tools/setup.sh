#!/usr/bin/env bash
# Installs nazir's Debian 12 build dependencies, builds a Release tree in
# build/, and runs the main job (`nazir cluster`) on the bundled seed corpus.
# Usage: tools/setup.sh            (as root, or with sudo available)
# Env:   NAZIR_BUILD_DIR=build  NAZIR_SKIP_APT=1 (skip apt-get)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${NAZIR_BUILD_DIR:-build}"

packages=(g++ cmake make pkg-config
          libabsl-dev libxxhash-dev libicu-dev libeigen3-dev libsimdjson-dev libzstd-dev
          libgtest-dev libgmock-dev libbenchmark-dev zstd)
if [[ "${NAZIR_SKIP_APT:-0}" != 1 ]]; then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release
cmake --build "$build" -j"$(nproc)"

echo
echo "== build/tools/nazir cluster datasets/seed/seed_docs.jsonl =="
"$build/tools/nazir" cluster datasets/seed/seed_docs.jsonl
