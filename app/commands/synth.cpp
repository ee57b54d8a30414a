// teamor synth: renders a synthetic multi-view operating-room recording with known Time-outs and
// StOP?-briefings (videos, recording.json, ActivityNet ground truth).
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "app/cancel.h"
#include "app/commands/commands.h"
#include "app/common_options.h"
#include "app/synth/synth.h"
#include "common/error.h"

namespace teamor::app {
namespace {

struct SynthArgs {
  std::filesystem::path out;
  std::string size = "640x360";
  synth::SynthOptions options;
};

/// Parses "WxH" into the options. @throws ConfigError naming --size
void parse_size(const std::string& text, synth::SynthOptions& options) {
  const auto x = text.find_first_of("xX");
  try {
    if (x == std::string::npos) throw std::invalid_argument("no x");
    std::size_t used_w = 0, used_h = 0;
    const std::string w = text.substr(0, x), h = text.substr(x + 1);
    options.width = std::stoi(w, &used_w);
    options.height = std::stoi(h, &used_h);
    if (used_w != w.size() || used_h != h.size()) throw std::invalid_argument("trailing text");
  } catch (const std::exception&) {
    throw ConfigError("'" + text + "' is not valid: expected WIDTHxHEIGHT, e.g. 640x360", {},
                      "--size");
  }
}

/// Progress on stderr: one rewritten line on a terminal, a line every 10% otherwise.
class ProgressPrinter {
 public:
  void operator()(const Progress& p) {
    if (p.total <= 0) return;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double rate = elapsed > 0 ? p.done / elapsed : 0;
    const double eta = rate > 0 ? (p.total - p.done) / rate : 0;
    const int percent = static_cast<int>(100.0 * p.done / p.total);
    if (tty_) {
      std::fprintf(stderr, "\r%s %3d%%  %.0f frames/s  ETA %.0f s   ", p.stage.c_str(), percent,
                   rate, eta);
      if (p.done >= p.total) std::fprintf(stderr, "\n");
    } else if (percent / 10 != last_decile_) {
      last_decile_ = percent / 10;
      spdlog::info("{} {}% ({:.0f} frames/s, ETA {:.0f} s)", p.stage, percent, rate, eta);
    }
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  bool tty_ = ::isatty(STDERR_FILENO) != 0 && spdlog::get_level() <= spdlog::level::info;
  int last_decile_ = -1;
};

}  // namespace

void register_synth(CLI::App& app) {
  auto args = std::make_shared<SynthArgs>();
  auto& o = args->options;
  auto* cmd = app.add_subcommand(
      "synth",
      "Render a synthetic operating-room recording (ceiling views + laparoscope) with "
      "ground truth");
  cmd->add_option("--out", args->out, "Output folder (created if missing)")->required();
  cmd->add_option("--minutes", o.minutes, "Recording length in minutes")->capture_default_str();
  cmd->add_option("--views", o.views, "Views in total: N-1 ceiling cameras + 1 laparoscope")
      ->capture_default_str();
  cmd->add_option("--fps", o.fps, "Frames per second")->capture_default_str();
  cmd->add_option("--size", args->size, "Frame size WIDTHxHEIGHT")->capture_default_str();
  cmd->add_option("--seed", o.seed, "Random seed (same seed, same recording)")
      ->capture_default_str();
  cmd->add_option("--timeouts", o.timeouts, "Time-outs before incision")->capture_default_str();
  cmd->add_option("--stops", o.stops, "StOP? briefings during surgery")->capture_default_str();
  cmd->add_option("--time-scale", o.time_scale,
                  "Factor on protocol durations (Time-out 60-150 s, StOP? 30-90 s)")
      ->capture_default_str();
  cmd->add_option("--id", o.id, "Recording id (default synth-<seed>)");
  cmd->add_option("--codec", o.codec, "Video codec: auto, libx264 or mpeg4")->capture_default_str();
  cmd->add_option("--crf", o.crf, "x264 quality (lower = better)")->capture_default_str();
  cmd->add_option("--threads", o.threads, "Views rendered in parallel (0 = one per core)")
      ->capture_default_str();
  cmd->callback([args] {
    const int rc = run_guarded([&] {
#ifndef TEAMOR_HAVE_MEDIA
      throw ConfigError(
          "this teamor was built without FFmpeg/OpenCV (TEAMOR_WITH_MEDIA=OFF): synth needs them "
          "to render and encode video");
#else
      parse_size(args->size, args->options);
      args->options.validate();
      ProgressPrinter printer;
      const auto start = std::chrono::steady_clock::now();
      const auto result = synth::render_recording(
          args->options, args->out, [&](const Progress& p) { printer(p); }, &cancel_token());
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      spdlog::info(
          "wrote {} ({} views, {} frames each, {:.1f} s of recording in {:.1f} s: {:.1f}x "
          "real time)",
          result.manifest.string(), result.videos.size(), result.frames_per_view, result.duration_s,
          seconds, result.duration_s / std::max(seconds, 1e-9));
      for (const auto& s : result.ground_truth)
        spdlog::info("  {:<9} {:8.2f} - {:8.2f} s", s.label, s.start_s, s.end_s);
      spdlog::info("  laparoscope in at {:.2f} s, out at {:.2f} s", result.incision_s,
                   result.scope_removed_s);
#endif
    });
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace teamor::app
