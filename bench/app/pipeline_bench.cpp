// Speed of the whole pipeline (`teamor detect` on a multi-view recording) against only decoding the
// same files with our VideoReader, measured in the same run, plus real-time factor and peak RSS.
//
//   pipeline_bench --teamor build/app/teamor --model models/default --work-dir /tmp/teamor-bench
//                  [--recording DIR] [--minutes 10] [--repeat-minutes 0] [--runs 1]
//
// Without --recording it renders a 4-view 640x360 30 fps synthetic recording of --minutes with the
// synth library (seed 5) into --work-dir. --repeat-minutes M additionally makes an M-minute
// recording by concatenating the same files (ffmpeg stream copy, no re-encode) and measures its
// peak RSS too: memory must not grow with the recording's length.
//
// Baseline: every view decoded to the end with VideoReader in its own thread (one FFmpeg thread per
// view, frames delivered at the model's feature input size), the same parallelism `teamor detect`
// uses; and, stricter, the same without any scaling or colour conversion (the decoder alone). The
// detect run is a child process, so its peak RSS (ru_maxrss) is its own.
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "app/synth/synth.h"
#include "detector/protocol_detector.h"
#include "features/feature_extractor.h"
#include "io/recording.h"
#include "io/video_reader.h"

extern char** environ;

namespace {
namespace fs = std::filesystem;
using namespace teamor;

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct ChildResult {
  int status = -1;
  double wall_s = 0;
  double max_rss_mb = 0;
};

ChildResult run_child(const std::vector<std::string>& args, const fs::path& log) {
  std::vector<char*> argv;
  for (const auto& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  ChildResult result;
  const double t0 = now_s();
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) return result;
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  result.wall_s = now_s() - t0;
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.max_rss_mb = usage.ru_maxrss / 1024.0;  // kilobytes on Linux
  return result;
}

/// Decodes every view to the end, one thread per view; returns {seconds, frames}. With
/// @p convert false the frames are only decoded (VideoReader::read_timing), not scaled or
/// converted.
std::pair<double, long> decode_only(const io::Recording& recording, io::FrameFormat format,
                                    bool convert) {
  std::vector<long> counts(recording.views.size(), 0);
  const double t0 = now_s();
  std::vector<std::thread> threads;
  for (std::size_t v = 0; v < recording.views.size(); ++v) {
    threads.emplace_back([&, v] {
      io::VideoReader reader(recording.views[v].path, {.format = format, .threads = 1});
      io::Frame frame;
      while (convert ? reader.read(frame) : reader.read_timing(frame))
        ++counts[v];
    });
  }
  for (auto& t : threads)
    t.join();
  long frames = 0;
  for (long c : counts)
    frames += c;
  return {now_s() - t0, frames};
}

/// Makes a recording @p times as long by concatenating each view with itself (stream copy).
fs::path make_repeated(const io::Recording& recording, int times, const fs::path& dir) {
  fs::create_directories(dir);
  io::Recording repeated = recording;
  repeated.id = recording.id + "-x" + std::to_string(times);
  for (auto& view : repeated.views) {
    const fs::path list = dir / (view.name + ".txt");
    std::ofstream out(list);
    for (int i = 0; i < times; ++i)
      out << "file '" << fs::absolute(view.path).string() << "'\n";
    out.close();
    const fs::path target = dir / view.path.filename();
    const std::string command = "ffmpeg -v error -y -f concat -safe 0 -i '" + list.string() +
                                "' -c copy '" + target.string() + "'";
    if (std::system(command.c_str()) != 0) {
      std::fprintf(stderr, "ffmpeg concat failed: %s\n", command.c_str());
      std::exit(1);
    }
    view.path = fs::absolute(target);
  }
  repeated.annotations.reset();
  repeated.save(dir / "recording.json");
  return dir / "recording.json";
}

struct Measurement {
  double decode_s = 0;      ///< frames decoded and converted to the backend's input size
  double decode_raw_s = 0;  ///< frames decoded only (no scaling or colour conversion)
  long frames = 0;
  ChildResult detect;
  double media_s = 0;
};

Measurement measure(const fs::path& recording_path, const std::string& teamor,
                    const std::string& model, const fs::path& work_dir, int runs) {
  const auto recording = io::Recording::open(recording_path);
  const auto setup = detector::read_feature_setup(model);
  // The decode baseline delivers frames at the size the model's backend asks for, as detect does.
  const auto extractor = features::FeatureExtractor::create(setup.config, model);
  Measurement m;
  m.decode_s = m.decode_raw_s = 1e30;
  for (int r = 0; r < runs; ++r) {
    auto [seconds, frames] = decode_only(recording, extractor->input_format(), true);
    m.decode_s = std::min(m.decode_s, seconds);
    m.frames = frames;
    auto [raw_seconds, raw_frames] = decode_only(recording, extractor->input_format(), false);
    m.decode_raw_s = std::min(m.decode_raw_s, raw_seconds);
    if (raw_frames != frames) {
      std::fprintf(stderr, "decoding without conversion gave %ld frames, with %ld\n", raw_frames,
                   frames);
      std::exit(1);
    }
  }
  m.detect.wall_s = 1e30;
  for (int r = 0; r < runs; ++r) {
    const auto result =
        run_child({teamor, "detect", recording_path.string(), "--model", model, "--no-progress",
                   "--out", (work_dir / "bench-result.json").string()},
                  work_dir / "bench-detect.log");
    if (result.status != 0) {
      std::fprintf(stderr, "teamor detect failed (exit %d), see %s\n", result.status,
                   (work_dir / "bench-detect.log").c_str());
      std::exit(1);
    }
    if (result.wall_s < m.detect.wall_s) m.detect = result;
  }
  io::VideoReader probe(recording.views.front().path);
  m.media_s = probe.info().duration_s;
  return m;
}

void print(const char* name, const Measurement& m) {
  std::printf("%s: media %.0f s, %ld frames decoded\n", name, m.media_s, m.frames);
  std::printf("  decode only (VideoReader, 1 thread per view): %8.1f s  (%.0f frames/s)\n",
              m.decode_s, m.frames / m.decode_s);
  std::printf("  decode only, no conversion (decoder alone):   %8.1f s  (%.0f frames/s)\n",
              m.decode_raw_s, m.frames / m.decode_raw_s);
  std::printf("  teamor detect (whole command):                %8.1f s\n", m.detect.wall_s);
  std::printf("  ratio detect / decode:                        %8.2f  (target <= 1.3)\n",
              m.detect.wall_s / m.decode_s);
  std::printf("  ratio detect / decode without conversion:     %8.2f  (stricter)\n",
              m.detect.wall_s / m.decode_raw_s);
  std::printf("  real-time factor (media / detect wall):       %8.1fx\n",
              m.media_s / m.detect.wall_s);
  std::printf("  peak RSS of teamor detect:                    %8.0f MB\n", m.detect.max_rss_mb);
}

}  // namespace

int main(int argc, char** argv) {
  std::string teamor = "build/app/teamor", model = "models/default";
  fs::path work_dir = fs::temp_directory_path() / "teamor-pipeline-bench", recording;
  double minutes = 10;
  int repeat_minutes = 0, runs = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const char* v = argv[i + 1];
    if (a == "--teamor")
      teamor = v;
    else if (a == "--model")
      model = v;
    else if (a == "--work-dir")
      work_dir = v;
    else if (a == "--recording")
      recording = v;
    else if (a == "--minutes")
      minutes = std::atof(v);
    else if (a == "--repeat-minutes")
      repeat_minutes = std::atoi(v);
    else if (a == "--runs")
      runs = std::max(1, std::atoi(v));
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  teamor = fs::absolute(teamor).string();
  fs::create_directories(work_dir);
  try {
    if (recording.empty()) {
      synth::SynthOptions options;  // 4 views, 640x360, 30 fps
      options.minutes = minutes;
      options.seed = 5;
      recording = work_dir / ("synth-" + std::to_string(static_cast<int>(minutes)) + "min");
      if (!fs::exists(recording / "recording.json")) {
        std::fprintf(stderr, "rendering %.0f min into %s ...\n", minutes, recording.c_str());
        synth::render_recording(options, recording);
      }
    }
    const auto base = measure(recording, teamor, model, work_dir, runs);
    print("recording", base);
    if (repeat_minutes > 0) {
      const int times = std::max(1, static_cast<int>(repeat_minutes / (base.media_s / 60) + 0.5));
      const auto longer_path =
          make_repeated(io::Recording::open(recording), times, work_dir / "repeated");
      const auto longer = measure(longer_path, teamor, model, work_dir, 1);
      print("repeated recording", longer);
      std::printf("peak RSS %0.f min / %.0f min: %.2f (must not grow)\n", longer.media_s / 60,
                  base.media_s / 60, longer.detect.max_rss_mb / base.detect.max_rss_mb);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  return 0;
}
