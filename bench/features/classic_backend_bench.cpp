// Classic feature extraction throughput per view against decoding the same file with our
// VideoReader, measured in the same run (the pipeline's target: features hide behind decoding).
//
//   classic_backend_bench [--file F.mp4] [--work-dir DIR] [--repeat 3] [--seconds 20]
//
// Without --file a 640x360 30 fps H.264 file (testsrc2 with moving content) is made with the ffmpeg
// CLI. Prints: decode frames/s and clips/s (32 frames per clip, delivered at the backend's input
// size, 128x72 RGB with the defaults, as the
// classic backend asks, one decoder thread), classic clips/s (8 of 32 frames analysed) from
// frames of that size and from 640x360 frames (resized inside the backend), and the ratio
// feature time / decode time per clip.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "features/feature_extractor.h"
#include "io/video_reader.h"

namespace {
namespace fs = std::filesystem;
using namespace teamor;

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::vector<io::Frame> decode_all(const fs::path& file, io::FrameFormat format, int threads) {
  io::VideoReader reader(file, {.format = format, .threads = threads});
  std::vector<io::Frame> frames;
  io::Frame f;
  while (reader.read(f))
    frames.push_back(f);
  return frames;
}

/// Runs a backend (classic unless @p config says otherwise) over every whole 32-frame clip
/// (at most @p max_clips); returns clips per second.
double backend_rate(const std::vector<io::Frame>& frames, int repeat, std::vector<float>* first,
                    features::BackendConfig config = {}, const fs::path& bundle = {},
                    std::size_t max_clips = 1000000) {
  double best = 0;
  for (int r = 0; r < repeat; ++r) {
    config.fusion.endoscope = false;
    auto fx = features::FeatureExtractor::create(config, bundle);
    const std::vector<io::View> views = {{"cam", "cam.mp4", io::ViewRole::Ceiling, 0}};
    fx->begin(views);
    const auto idx = fx->frame_indices({});
    // Clips are assembled before timing: copying frames is the reader's cost, not the backend's.
    const std::size_t clips = std::min(max_clips, frames.size() / 32);
    std::vector<features::ClipFrames> all(clips);
    for (std::size_t g = 0; g < clips; ++g) {
      all[g].resize(1);
      for (int k : idx)
        all[g][0].emplace_back(frames[g * 32 + k]);
    }
    const double t0 = now_s();
    for (std::size_t g = 0; g < clips; ++g) {
      auto v = fx->extract_clip(all[g]);
      if (first && g == clips / 2) *first = v;
    }
    best = std::max(best, clips / (now_s() - t0));
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path file, work_dir = fs::temp_directory_path() / "teamor-features-bench";
  int repeat = 3, seconds = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--file")
      file = argv[i + 1];
    else if (a == "--work-dir")
      work_dir = argv[i + 1];
    else if (a == "--repeat")
      repeat = std::max(1, std::atoi(argv[i + 1]));
    else if (a == "--seconds")
      seconds = std::max(2, std::atoi(argv[i + 1]));
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  if (file.empty()) {
    fs::create_directories(work_dir);
    file = work_dir / ("testsrc2-640x360-" + std::to_string(seconds) + "s.mp4");
    if (!fs::exists(file)) {
      const std::string cmd =
          "ffmpeg -v error -nostdin -y -f lavfi -i testsrc2=size=640x360:rate=30 -t " +
          std::to_string(seconds) + " -c:v libx264 -preset ultrafast -pix_fmt yuv420p '" +
          file.string() + "'";
      if (std::system(cmd.c_str()) != 0) {
        std::fprintf(stderr, "could not make %s with the ffmpeg CLI\n", file.c_str());
        return 1;
      }
    }
  }
  const io::FrameFormat small = features::FeatureExtractor::create({}, {})->input_format();
  double decode_fps = 0;
  std::vector<io::Frame> frames;
  for (int r = 0; r < repeat; ++r) {
    const double t0 = now_s();
    frames = decode_all(file, small, 1);
    decode_fps = std::max(decode_fps, frames.size() / (now_s() - t0));
  }
  if (frames.size() < 64) {
    std::fprintf(stderr, "only %zu frames decoded\n", frames.size());
    return 1;
  }
  std::vector<float> check;
  const double rate_small = backend_rate(frames, repeat, &check);
  // A fast wrong answer must not pass: the check vector must be finite and show motion.
  bool finite = std::all_of(check.begin(), check.end(), [](float x) { return std::isfinite(x); });
  if (!finite || check.empty() || check[0] <= 0) {
    std::fprintf(stderr, "classic features look wrong (finite %d, diff_mean %f)\n", finite,
                 check.empty() ? -1.0 : check[0]);
    return 1;
  }
  const auto full = decode_all(file, {640, 360, io::PixelFormat::Rgb24}, 0);
  const double rate_full = backend_rate(full, repeat, nullptr);
  // The optional weight-using backends, on 640x360 frames (their reader size), when the shared
  // assets are there.
  const fs::path assets = fs::path(TEAMOR_SHARED_DIR) / "assets/models";
  double rate_skeleton = 0, rate_detector = 0;
  if (fs::exists(assets / "bodypix-mobilenet050-s16")) {
    features::BackendConfig c;
    c.backend = "skeleton";
    c.settings = {
        {"pose_model", "bodypix-mobilenet050-s16/bodypix-mobilenet050-stride16-480x640.onnx"}};
    rate_skeleton = backend_rate(full, 1, nullptr, c, assets, 6);
  }
  if (fs::exists(assets / "yolo-fastest-1.1-body")) {
    features::BackendConfig c;
    c.backend = "detector";
    c.settings = {{"cfg", "yolo-fastest-1.1-body/yolo-fastest-1.1_body.cfg"},
                  {"weights", "yolo-fastest-1.1-body/yolo-fastest-1.1_body.weights"}};
    rate_detector = backend_rate(full, 1, nullptr, c, assets, 6);
  }
  const double decode_clips = decode_fps / 32.0;
  std::printf("file: %s (%zu frames)\n", file.c_str(), frames.size());
  std::printf("decode 640x360 -> %dx%d RGB, 1 thread: %8.1f frames/s = %6.2f clips/s\n",
              small.width, small.height, decode_fps, decode_clips);
  std::printf("classic, %dx%d input (%d of 32 frames): %8.1f clips/s per view\n", small.width,
              small.height, features::FeatureExtractor::create({}, {})->frames_per_clip(),
              rate_small);
  std::printf("classic, 640x360 input (resize inside): %8.1f clips/s per view\n", rate_full);
  std::printf("ratio feature time / decode time per clip: %.3f (small input), %.3f (640x360)\n",
              decode_clips / rate_small, decode_clips / rate_full);
  if (rate_skeleton > 0)
    std::printf(
        "skeleton (BodyPix, 4 frames per clip, 640x360): %6.2f clips/s per view, ratio to decode "
        "%.2f\n",
        rate_skeleton, decode_clips / rate_skeleton);
  if (rate_detector > 0)
    std::printf(
        "detector (YOLO-Fastest, 4 frames per clip, 640x360): %6.2f clips/s per view, ratio to "
        "decode %.2f\n",
        rate_detector, decode_clips / rate_detector);
  std::printf("4 views at 30 fps need %.2f clips/s: classic uses %.1f %% of one core\n",
              4 * 30.0 / 32, 100.0 * (4 * 30.0 / 32) / rate_small);
  return 0;
}
