#include "app/synth/recording_writer.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <string_view>
#include <thread>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "app/synth/endoscope.h"
#include "app/synth/renderer.h"
#include "app/synth/scene.h"
#include "app/synth/script.h"
#include "app/synth/synth.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "io/video_writer.h"

namespace teamor::synth {
namespace {

/// Seconds rounded to milliseconds, so the JSON text does not depend on floating-point printing.
double ms(double seconds) {
  return std::round(seconds * 1000.0) / 1000.0;
}

}  // namespace

void write_manifest(const std::filesystem::path& path, const std::string& id,
                    const std::vector<ManifestView>& views, const std::string& annotations_file) {
  nlohmann::ordered_json j;
  j["id"] = id;
  j["views"] = nlohmann::ordered_json::array();
  for (const auto& v : views)
    j["views"].push_back(
        {{"name", v.name}, {"path", v.file}, {"role", v.role}, {"offset_s", v.offset_s}});
  j["annotations"] = annotations_file;
  write_file_atomically(path, j.dump(2) + "\n");
}

void write_activitynet(const std::filesystem::path& path, const std::string& id,
                       const std::string& subset, double duration_s, double fps,
                       const std::vector<annotations::Segment>& segments) {
  nlohmann::ordered_json entry;
  entry["subset"] = subset;
  entry["duration"] = ms(duration_s);
  entry["fps"] = fps;
  entry["annotations"] = nlohmann::ordered_json::array();
  for (const auto& s : segments)
    entry["annotations"].push_back({{"segment", {ms(s.start_s), ms(s.end_s)}}, {"label", s.label}});
  nlohmann::ordered_json j;
  j["version"] = "VERSION 1.3";
  j["taxonomy"] = nlohmann::ordered_json::array();
  j["database"] = nlohmann::ordered_json::object();
  j["database"][id] = entry;
  write_file_atomically(path, j.dump(2) + "\n");
}

SynthResult render_recording(const SynthOptions& options, const std::filesystem::path& out_dir,
                             const ProgressCallback& progress, const CancelToken* cancel) {
  options.validate();
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec || !std::filesystem::is_directory(out_dir))
    throw IoError("cannot create the output folder: " + ec.message(), out_dir.string());

  // Independent random streams per part, so changing one part never reshuffles another.
  Rng master(options.seed);
  Rng scene_rng = master.fork(1), timeline_rng = master.fork(2), script_rng = master.fork(3),
      camera_rng = master.fork(4), light_rng = master.fork(5);
  const Scene scene = make_scene(scene_rng);
  const Timeline timeline = plan_timeline(options, timeline_rng);
  const Script script(scene, timeline, script_rng);
  const int ceiling_views = options.views - 1;
  const auto cameras =
      make_ceiling_cameras(scene, ceiling_views, options.width, options.height, camera_rng);
  const Lighting lighting(timeline.duration_s, light_rng);

  SynthResult result;
  result.id = options.resolved_id();
  result.duration_s = timeline.duration_s;
  result.incision_s = timeline.incision_s;
  result.scope_removed_s = timeline.scope_removed_s;
  result.frames_per_view = static_cast<std::int64_t>(std::floor(timeline.duration_s * options.fps));
  for (const auto& cam : cameras) {
    double u = -1, v = -1;
    cam.project(scene.table_top_center, u, v);
    result.table_center_px.emplace_back(u, v);
  }
  std::vector<ManifestView> views;
  for (int v = 0; v < options.views; ++v) {
    const bool scope = v == ceiling_views;
    ManifestView mv;
    mv.name = scope ? "endoscope" : "ceiling" + std::to_string(v + 1);
    mv.file = mv.name + ".mp4";
    mv.role = scope ? "endoscope" : "ceiling";
    views.push_back(mv);
    result.videos.push_back(out_dir / mv.file);
  }

  // One job per view; workers take the next job. Each view is a pure function of the options, so
  // the scheduling never changes a pixel.
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const int workers =
      std::min(options.views, options.threads > 0 ? options.threads : static_cast<int>(cores));
  std::atomic<int> next_view{0};
  std::atomic<std::int64_t> frames_done{0};
  std::atomic<bool> stop{false};
  std::mutex error_mutex;
  std::exception_ptr error;
  const std::int64_t frames = result.frames_per_view;
  auto encode_view = [&](int v) {
    io::VideoWriterOptions wo;
    wo.width = options.width;
    wo.height = options.height;
    wo.fps = options.fps;
    wo.input_format = io::PixelFormat::Bgr24;
    wo.codec = options.codec;
    wo.preset = options.preset;
    wo.crf = options.crf;
    wo.gop = static_cast<int>(std::lround(2 * options.fps));
    wo.threads = 1;  // parallel across views instead: no frame-threading latency, deterministic
    io::VideoWriter writer(result.videos[v], wo);
    cv::Mat frame;
    const bool scope = v == ceiling_views;
    std::unique_ptr<CeilingRenderer> ceiling;
    std::unique_ptr<EndoscopeRenderer> endoscope;
    if (scope)
      endoscope = std::make_unique<EndoscopeRenderer>(options.width, options.height, timeline,
                                                      options.seed, v);
    else
      ceiling =
          std::make_unique<CeilingRenderer>(scene, cameras[v], script, lighting, options.seed, v);
    for (std::int64_t i = 0; i < frames; ++i) {
      if (stop.load(std::memory_order_relaxed) || (cancel != nullptr && cancel->cancelled()))
        throw CancelledError();
      const double t = static_cast<double>(i) / options.fps;
      if (scope)
        endoscope->render(i, t, frame);
      else
        ceiling->render(i, t, frame);
      writer.write(frame.data, static_cast<int>(frame.step[0]));
      frames_done.fetch_add(1, std::memory_order_relaxed);
    }
    writer.close();
  };
  std::condition_variable finished_cv;
  int running = workers;
  auto worker = [&] {
    for (int v = next_view.fetch_add(1); v < options.views && !stop; v = next_view.fetch_add(1)) {
      try {
        encode_view(v);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        stop = true;
      }
    }
    std::lock_guard lock(error_mutex);
    --running;
    finished_cv.notify_all();
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < workers; ++i)
    threads.emplace_back(worker);
  // Progress is reported from the calling thread only, a few times a second.
  const double total = static_cast<double>(frames) * options.views;
  {
    std::unique_lock lock(error_mutex);
    while (
        !finished_cv.wait_for(lock, std::chrono::milliseconds(200), [&] { return running == 0; })) {
      if (progress) {
        lock.unlock();
        progress({static_cast<double>(frames_done.load()), total, "rendering"});
        lock.lock();
      }
    }
  }
  for (auto& th : threads)
    th.join();
  if (error) {
    // Videos of views that did finish stay; the manifest is written only for a complete recording.
    std::rethrow_exception(error);
  }
  if (progress) progress({total, total, "rendering"});

  auto add_truth = [&](const auto& intervals, std::string_view label) {
    for (const auto& iv : intervals) {
      annotations::Segment s;
      s.label = std::string(label);
      s.start_s = ms(iv.start_s);
      s.end_s = ms(iv.end_s);
      result.ground_truth.push_back(s);
    }
  };
  add_truth(timeline.timeouts, annotations::kTimeOut);
  add_truth(timeline.stops, annotations::kStop);
  result.ground_truth_file = out_dir / "ground_truth.json";
  write_activitynet(result.ground_truth_file, result.id, options.subset, timeline.duration_s,
                    options.fps, result.ground_truth);
  result.manifest = out_dir / "recording.json";
  write_manifest(result.manifest, result.id, views, "ground_truth.json");
  return result;
}

}  // namespace teamor::synth
