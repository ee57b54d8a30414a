// teamor info RECORDING [--json]: per view codec, resolution, frame rate (nominal and measured by a
// packet scan), duration, frame count and offset; a table on the terminal or JSON for scripts.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/commands/commands.h"
#include "app/common_options.h"
#include "common/error.h"
#include "io/recording.h"
#include "io/video_info.h"
#ifdef TEAMOR_HAVE_MEDIA
#include "io/video_reader.h"
#endif

namespace teamor::app {
namespace {

struct InfoArgs {
  std::string recording;
  bool json = false;
};

/// What `info` knows about one view: the manifest's entry, and the stream facts or why they failed.
struct ViewReport {
  io::View view;
  std::optional<io::VideoInfo> video;
  std::string error;
};

std::vector<ViewReport> probe_views(const io::Recording& recording) {
  std::vector<ViewReport> reports;
  for (const auto& view : recording.views) {
    ViewReport report{view, std::nullopt, {}};
#ifdef TEAMOR_HAVE_MEDIA
    try {
      io::VideoReaderOptions options;
      options.measure_frames = true;  // exact frame count and measured fps from a packet scan
      options.threads = 1;            // nothing is decoded; no need for decoder threads
      report.video = io::VideoReader(view.path, options).info();
    } catch (const Error& e) {
      report.error = e.what();
    }
#else
    report.error = "built without FFmpeg (TEAMOR_WITH_MEDIA=OFF)";
#endif
    reports.push_back(std::move(report));
  }
  return reports;
}

std::string format(const char* pattern, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, pattern, value);
  return buffer;
}

void print_table(const io::Recording& recording, const std::vector<ViewReport>& reports) {
  std::cout << "recording " << recording.id << "  ("
            << (recording.manifest.empty() ? "discovered in " + recording.root.string()
                                           : recording.manifest.string())
            << ")\n";
  if (recording.annotations) std::cout << "annotations " << recording.annotations->string() << "\n";
  // Columns as wide as their longest entry, so long view names and codec names stay aligned.
  int name_w = 4, codec_w = 5;
  for (const auto& r : reports) {
    name_w = std::max(name_w, static_cast<int>(r.view.name.size()));
    if (r.video) codec_w = std::max(codec_w, static_cast<int>(r.video->codec.size()));
  }
  std::printf("%-*s  %-9s  %-*s  %-11s  %8s  %9s  %10s  %8s  %9s\n", name_w, "view", "role",
              codec_w, "codec", "size", "fps", "measured", "duration", "frames", "offset");
  for (const auto& r : reports) {
    const std::string role(io::to_string(r.view.role));
    if (!r.video) {
      std::printf("%-*s  %-9s  error: %s\n", name_w, r.view.name.c_str(), role.c_str(),
                  r.error.c_str());
      continue;
    }
    const io::VideoInfo& v = *r.video;
    const std::string size = std::to_string(v.width) + "x" + std::to_string(v.height);
    const std::string measured = v.measured_fps ? format("%.3f", *v.measured_fps) : "-";
    std::printf("%-*s  %-9s  %-*s  %-11s  %8.3f  %9s  %9.2fs  %8lld  %8.3fs%s\n", name_w,
                r.view.name.c_str(), role.c_str(), codec_w, v.codec.c_str(), size.c_str(),
                v.nominal_fps, measured.c_str(), v.duration_s,
                static_cast<long long>(v.frame_count), r.view.offset_s,
                v.variable_frame_rate ? "  (variable frame rate)" : "");
  }
}

void print_json(const io::Recording& recording, const std::vector<ViewReport>& reports) {
  nlohmann::ordered_json doc;
  doc["id"] = recording.id;
  doc["root"] = recording.root.string();
  doc["manifest"] =
      recording.manifest.empty() ? nullptr : nlohmann::ordered_json(recording.manifest.string());
  doc["annotations"] =
      recording.annotations ? nlohmann::ordered_json(recording.annotations->string()) : nullptr;
  auto views = nlohmann::ordered_json::array();
  for (const auto& r : reports) {
    nlohmann::ordered_json v;
    v["name"] = r.view.name;
    v["path"] = r.view.path.string();
    v["role"] = std::string(io::to_string(r.view.role));
    v["offset_s"] = r.view.offset_s;
    if (r.video) {
      const io::VideoInfo& info = *r.video;
      v["container"] = info.container;
      v["codec"] = info.codec;
      v["width"] = info.width;
      v["height"] = info.height;
      v["fps_nominal"] = info.nominal_fps;
      v["fps_measured"] = info.measured_fps ? nlohmann::ordered_json(*info.measured_fps) : nullptr;
      v["duration_s"] = info.duration_s;
      v["frame_count"] = info.frame_count;
      v["start_time_s"] = info.start_time_s;
      v["variable_frame_rate"] = info.variable_frame_rate;
    } else {
      v["error"] = r.error;
    }
    views.push_back(std::move(v));
  }
  doc["views"] = std::move(views);
  std::cout << doc.dump(2) << "\n";
}

void run_info(const InfoArgs& args) {
  const io::Recording recording = io::Recording::open(args.recording);
  const std::vector<ViewReport> reports = probe_views(recording);
  if (args.json) {
    print_json(recording, reports);
  } else {
    print_table(recording, reports);
  }
  std::size_t failed = 0;
  for (const auto& r : reports)
    failed += r.video ? 0 : 1;
  if (failed > 0) {
    throw IoError(
        std::to_string(failed) + " of " + std::to_string(reports.size()) +
            " views could not be read (see above)",
        recording.manifest.empty() ? recording.root.string() : recording.manifest.string());
  }
}

}  // namespace

void register_info(CLI::App& app) {
  auto args = std::make_shared<InfoArgs>();
  auto* cmd = app.add_subcommand(
      "info",
      "Show a recording's views: codec, resolution, fps (nominal and measured), duration, frame "
      "count, offset");
  cmd->add_option("RECORDING", args->recording,
                  "Recording folder, its recording.json, a folder of videos, or one video file")
      ->required();
  cmd->add_flag("--json", args->json, "Print JSON instead of a table");
  cmd->callback([args] {
    const int rc = run_guarded([&] { run_info(*args); });
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace teamor::app
