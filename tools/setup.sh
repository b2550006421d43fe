#!/usr/bin/env bash
# Installs what act needs (once), then configures and builds it (incrementally).
# Used by tools/demo.sh and tools/test.sh; safe to run again: a second run only
# rebuilds what changed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# ACT_SANITIZE=1 (or a -fsanitize= list) builds act instrumented with ASan and
# UBSan, and the act-fuzz libFuzzer target, in build-asan (docs/Testing.md).
sanitize=${ACT_SANITIZE:-}
[ "$sanitize" = 1 ] && sanitize=address,undefined
[ "$sanitize" = 0 ] && sanitize=
if [ -n "$sanitize" ]; then
  build=${ACT_BUILD_DIR:-$root/build-asan}
else
  build=${ACT_BUILD_DIR:-$root/build}
fi
venv=$root/.venv
llvm=/usr/lib/llvm-22

log() { printf '== %s\n' "$*" >&2; }

# --- System packages (Debian 12) ----------------------------------------------
apt_packages=(
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools clang-22 lld-22
  cmake ninja-build ccache libgtest-dev libdnnl-dev libomp-22-dev python3-venv
  libclang-rt-22-dev
)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# --- Python for the tests' independent references (project-local) ------------
requirements=$root/tools/requirements.txt
stamp=$venv/.requirements.sha256
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "creating the Python environment in $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements"
  echo "$want" >"$stamp"
fi

# --- The import group: act-import, the demo and the model tests ---------------
# torch-mlir, onnx and onnxruntime (about 0.4 GB beside torch's 4 GB);
# ACT_IMPORT=0 skips them, and those tests are then reported unsupported.
if [ "${ACT_IMPORT:-1}" = 1 ]; then
  import_requirements=$root/tools/requirements-import.txt
  import_stamp=$venv/.requirements-import.sha256
  want=$(sha256sum "$import_requirements" | cut -d' ' -f1)
  if [ "$(cat "$import_stamp" 2>/dev/null)" != "$want" ]; then
    log "installing the import group into $venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$import_requirements"
    echo "$want" >"$import_stamp"
  fi
fi

# --- Configure and build -----------------------------------------------------
export PATH=$llvm/bin:$PATH
export CCACHE_BASEDIR=$root CCACHE_NOHASHDIR=1
if [ ! -f "$build/build.ninja" ]; then
  log "configuring $build"
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR=$llvm/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=$llvm/bin/lit \
    -DMLIR_LINK_MLIR_DYLIB=ON \
    -DLLVM_USE_LINKER=lld \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DACT_SANITIZE="$sanitize" \
    >/dev/null
fi
log "building"
ninja -C "$build" -j"$(nproc)" all mlir-doc | grep -v '^\[' || true
test "${PIPESTATUS[0]}" -eq 0
