// Speed of `teamor synth`: seconds of 4-view recording rendered and encoded per wall-clock second
// (target >= 10x real time at 640x360 on the 2-core build machine), with the encoder alone as the
// baseline measured in the same run (the same frames count and size, static content).
//
//   build/bench/app/synth_bench [--benchmark_filter=...]
//
// Counters: x_realtime = recording seconds / wall seconds; cpu_s_per_rec_s = process CPU seconds
// (all threads) per recording second, which does not depend on other load on the machine;
// x_realtime_2cores = what two idle cores would give (2 / cpu_s_per_rec_s).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "app/synth/synth.h"
#include "io/video_writer.h"

namespace fs = std::filesystem;

namespace {

double process_cpu_s() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         1e-6 * (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

constexpr double kRecordingSeconds = 10.0;

void set_counters(benchmark::State& state, double wall_s, double cpu_s) {
  const double runs = static_cast<double>(state.iterations());
  state.counters["x_realtime"] = kRecordingSeconds * runs / wall_s;
  state.counters["cpu_s_per_rec_s"] = cpu_s / (kRecordingSeconds * runs);
  state.counters["x_realtime_2cores"] = 2.0 / (cpu_s / (kRecordingSeconds * runs));
}

/// Whole recording: render + encode every view, manifest and ground truth.
void BM_SynthRecording(benchmark::State& state) {
  teamor::synth::SynthOptions o;
  o.width = static_cast<int>(state.range(0));
  o.height = static_cast<int>(state.range(1));
  o.views = static_cast<int>(state.range(2));
  o.minutes = kRecordingSeconds / 60.0;
  o.timeouts = 0;  // 10 s hold no protocol; the team still walks and works
  o.stops = 0;
  const fs::path dir = fs::temp_directory_path() / "teamor_synth_bench";
  // Check the output once before timing: a fast wrong answer must not count.
  {
    fs::remove_all(dir);
    const auto r = teamor::synth::render_recording(o, dir);
    if (r.videos.size() != static_cast<std::size_t>(o.views) ||
        r.frames_per_view != static_cast<std::int64_t>(kRecordingSeconds * o.fps) ||
        fs::file_size(r.videos[0]) < 1000) {
      state.SkipWithError("synth output is wrong");
      return;
    }
  }
  double wall = 0, cpu = 0;
  for (auto _ : state) {
    const double c0 = process_cpu_s();
    const auto t0 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(teamor::synth::render_recording(o, dir));
    wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    cpu += process_cpu_s() - c0;
  }
  set_counters(state, wall, cpu);
  fs::remove_all(dir);
}

/// Baseline: the encoder alone, same views, sizes, preset and threading, on a fixed textured frame.
void BM_EncodeOnly(benchmark::State& state) {
  const int width = static_cast<int>(state.range(0)), height = static_cast<int>(state.range(1));
  const int views = static_cast<int>(state.range(2));
  const fs::path dir = fs::temp_directory_path() / "teamor_synth_bench_encode";
  fs::create_directories(dir);
  std::vector<std::uint8_t> frame(static_cast<std::size_t>(width) * height * 3);
  for (std::size_t i = 0; i < frame.size(); ++i) frame[i] = static_cast<std::uint8_t>((i * 7) % 251);
  const int frames = static_cast<int>(kRecordingSeconds * 30);
  double wall = 0, cpu = 0;
  for (auto _ : state) {
    const double c0 = process_cpu_s();
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    const int workers = std::min<int>(views, std::max(1u, std::thread::hardware_concurrency()));
    std::atomic<int> next{0};
    for (int w = 0; w < workers; ++w)
      threads.emplace_back([&] {
        for (int v = next++; v < views; v = next++) {
          teamor::io::VideoWriter writer(dir / ("v" + std::to_string(v) + ".mp4"),
                                         {.width = width, .height = height, .fps = 30,
                                          .input_format = teamor::io::PixelFormat::Bgr24,
                                          .preset = "ultrafast", .threads = 1});
          for (int i = 0; i < frames; ++i) writer.write(frame.data(), width * 3);
          writer.close();
        }
      });
    for (auto& t : threads) t.join();
    wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    cpu += process_cpu_s() - c0;
  }
  set_counters(state, wall, cpu);
  fs::remove_all(dir);
}

}  // namespace

BENCHMARK(BM_EncodeOnly)
    ->Args({640, 360, 4})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);
BENCHMARK(BM_SynthRecording)
    ->Args({640, 360, 4})
    ->Args({320, 180, 4})
    ->Args({1280, 720, 4})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

BENCHMARK_MAIN();
