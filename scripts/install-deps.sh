#!/usr/bin/env bash
# Installs every Debian package that teamor's build, tests and benchmarks need. Idempotent: packages
# already present are left alone and apt is not touched when nothing is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git clang clang-format libclang-rt-14-dev
  libtorch-dev
  # The BLAS behind LibTorch's non-oneDNN paths (small convolutions, matmul): Debian's default is the
  # unoptimised reference BLAS, 5-10x slower there (bench/README.md, "detector: inference").
  libopenblas0-openmp
  libopencv-dev
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libavfilter-dev ffmpeg
  qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev libgl-dev
  nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev libspdlog-dev libfmt-dev
  libpugixml-dev libyaml-cpp-dev
  xvfb xauth
  python3 python3-numpy python3-torch python3-yaml
  libxml2-utils
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all packages present"
fi

# Real multi-person footage shipped by Debian (opencv-doc): fetch only vtest.avi, not the whole package.
data_dir="$(cd "$(dirname "$0")/.." && pwd)/build/testdata"
if [ ! -f "$data_dir/vtest.avi" ]; then
  mkdir -p "$data_dir"
  if [ -f /usr/share/doc/opencv-doc/examples/data/vtest.avi ]; then
    cp /usr/share/doc/opencv-doc/examples/data/vtest.avi "$data_dir/vtest.avi"
  else
    tmp=$(mktemp -d)
    if (cd "$tmp" && apt-get download opencv-doc >/dev/null 2>&1); then
      dpkg-deb --fsys-tarfile "$tmp"/opencv-doc_*.deb |
        tar -x -C "$tmp" ./usr/share/doc/opencv-doc/examples/data/vtest.avi 2>/dev/null || true
      [ -f "$tmp/usr/share/doc/opencv-doc/examples/data/vtest.avi" ] &&
        cp "$tmp/usr/share/doc/opencv-doc/examples/data/vtest.avi" "$data_dir/vtest.avi"
    fi
    rm -rf "$tmp"
    [ -f "$data_dir/vtest.avi" ] || echo "install-deps: could not fetch vtest.avi (its tests will skip)"
  fi
fi
