#!/usr/bin/env bash
# GPU check, one run of a few minutes on a machine with an NVIDIA GPU, nvcc and a CUDA PyTorch
# (its LibTorch is what the CUDA build links against), but possibly no FFmpeg/OpenCV/Qt dev packages:
# builds the core-only CUDA configuration, runs the CUDA tests, then the GPU benchmarks.
#   scripts/gpu-check.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-cuda}
python=${PYTHON:-python3}
torch_prefix=$($python -c 'import torch; print(torch.utils.cmake_prefix_path)')
echo "gpu-check: LibTorch from $torch_prefix"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DTEAMOR_WITH_UI=OFF -DTEAMOR_WITH_MEDIA=OFF -DTEAMOR_WITH_CUDA=ON \
  -DCMAKE_PREFIX_PATH="$torch_prefix" -DCMAKE_CUDA_COMPILER="$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)"
cmake --build "$build" -j"$(nproc)" --target teamor_preprocess_tests teamor_preprocess_cuda_tests \
  teamor_preprocess_bench

echo "== CUDA tests"
(cd "$build" && ctest --output-on-failure -R "ClipPreprocess")
echo "== benchmarks"
"$build"/bench/preprocess/teamor_preprocess_bench --benchmark_counters_tabular=true
