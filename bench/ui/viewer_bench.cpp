// Speed figures of the viewer (issue 6), measured on this machine:
//   1. playback of four 640x360 30 fps views at 1x: frames shown / skipped per view
//   2. seek latency: time until every view shows the frame of a random seek (target < 150 ms)
//   3. timeline with 10,000 segments: paint time at several zoom levels (target: < 16.7 ms)
//
//   teamor_ui_bench [--recording DIR] [--seconds 10] [--seeks 30]
// Without --recording, four views are encoded with the ffmpeg CLI (testsrc2, x264, GOP 2 s).
// Ratios are printed against the targets (ratio < 1 is within target).

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTimer>
#include <QUndoStack>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <random>

#include "io/recording.h"
#include "ui/player/multi_view_player.h"
#include "ui/timeline_model.h"
#include "ui/timeline_widget.h"

namespace {

using namespace teamor;

void wait_ms(int ms) {
  QEventLoop loop;
  QTimer::singleShot(ms, &loop, &QEventLoop::quit);
  loop.exec();
}

std::filesystem::path make_views(const std::filesystem::path& dir, int seconds) {
  std::filesystem::create_directories(dir);
  const char* names[] = {"ceiling1", "ceiling2", "ceiling3", "endoscope"};
  std::string manifest = R"({"id": "bench", "views": [)";
  for (int v = 0; v < 4; ++v) {
    const auto file = dir / (std::string(names[v]) + ".mp4");
    if (!std::filesystem::exists(file)) {
      const std::string cmd = "ffmpeg -v error -y -f lavfi -i testsrc2=size=640x360:rate=30 -t " +
                              std::to_string(seconds) +
                              " -c:v libx264 -preset ultrafast -g 60 -pix_fmt yuv420p '" +
                              file.string() + "'";
      if (std::system(cmd.c_str()) != 0) throw std::runtime_error("ffmpeg failed: " + cmd);
    }
    manifest += std::string(v ? "," : "") + R"({"name": ")" + names[v] + R"(", "path": ")" +
                names[v] + R"(.mp4", "offset_s": )" + (v == 3 ? "0.5" : "0") + "}";
  }
  manifest += "]}";
  QFile f(QString::fromStdString((dir / "recording.json").string()));
  f.open(QIODevice::WriteOnly);
  f.write(manifest.c_str());
  return dir;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()))];
}

void bench_playback(ui::MultiViewPlayer& player, double seconds) {
  player.seek(1.0);
  while (!player.frames_ready())
    wait_ms(5);
  std::vector<ui::DecoderStats> before;
  for (int v = 0; v < player.view_count(); ++v)
    before.push_back(player.decoder(v)->stats());
  const double t0 = player.position();
  player.play();
  wait_ms(static_cast<int>(seconds * 1000));
  player.pause();
  const double played = player.position() - t0;
  std::printf("playback 1x, %d views, %.2f s of timeline:\n", player.view_count(), played);
  std::int64_t total_skipped = 0;
  for (int v = 0; v < player.view_count(); ++v) {
    const auto s = player.decoder(v)->stats();
    const double fps = player.decoder(v)->info().nominal_fps;
    const std::int64_t expected = static_cast<std::int64_t>(played * fps);
    const std::int64_t shown = s.shown - before[v].shown;
    const std::int64_t skipped = s.skipped - before[v].skipped;
    const std::int64_t resyncs = s.resyncs - before[v].resyncs;
    total_skipped += skipped + std::max<std::int64_t>(0, expected - shown - 1);
    std::printf("  %-10s expected ~%lld frames, shown %lld, skipped %lld, resyncs %lld\n",
                player.view_name(v).toUtf8().constData(), static_cast<long long>(expected),
                static_cast<long long>(shown), static_cast<long long>(skipped),
                static_cast<long long>(resyncs));
  }
  std::printf("  dropped frames in total: %lld (target 0)\n",
              static_cast<long long>(total_skipped));
}

void bench_seeks(ui::MultiViewPlayer& player, int seeks) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> pick(0.0, player.duration_s() - 1);
  std::vector<double> ms;
  for (int i = 0; i < seeks; ++i) {
    QElapsedTimer timer;
    timer.start();
    player.seek(pick(rng));
    while (!player.frames_ready())
      QCoreApplication::processEvents(QEventLoop::AllEvents, 1);
    player.tick();  // the new frames are now on the tiles
    ms.push_back(timer.nsecsElapsed() / 1e6);
    wait_ms(20);
  }
  const double p50 = percentile(ms, 0.5), p95 = percentile(ms, 0.95);
  const double worst = *std::max_element(ms.begin(), ms.end());
  std::printf(
      "seek latency over %d random seeks: median %.1f ms, p95 %.1f ms, max %.1f ms; "
      "ratio to 150 ms target: median %.2f, p95 %.2f, max %.2f\n",
      seeks, p50, p95, worst, p50 / 150, p95 / 150, worst / 150);
}

void bench_timeline() {
  ui::TimelineModel model;
  QUndoStack stack;
  annotations::AnnotationSet set;
  std::mt19937 rng(5);
  const double duration = 4 * 3600;
  std::uniform_real_distribution<double> start(0, duration - 100), len(2, 90), score(0, 1);
  const char* labels[] = {"Time-out", "StOP?"};
  const annotations::Source sources[] = {annotations::Source::GroundTruth,
                                         annotations::Source::Prediction,
                                         annotations::Source::Reviewer};
  for (int i = 0; i < 10000; ++i) {
    annotations::Segment s;
    s.label = labels[i % 2];
    s.source = sources[(i / 2) % 3];
    s.start_s = start(rng);
    s.end_s = s.start_s + len(rng);
    if (s.source == annotations::Source::Prediction) s.score = score(rng);
    set.segments.push_back(s);
  }
  model.reset(set);
  ui::TimelineWidget widget;
  widget.set_model(&model, &stack);
  widget.resize(1600, 200);
  widget.set_timebase(duration, 30);
  widget.show();
  wait_ms(100);
  std::printf("timeline, 10,000 segments over 4 h, 1600 px wide:\n");
  for (double span : {duration, 3600.0, 600.0, 60.0, 5.0, 0.5}) {
    widget.scale().show_range(duration / 2 - span / 2, span);
    std::vector<double> ms;
    for (int i = 0; i < 20; ++i) {
      widget.scale().pan_px(3);
      widget.repaint();
      ms.push_back(widget.last_paint_ms());
    }
    std::printf(
        "  span %8.1f s: paint median %.2f ms, max %.2f ms (%d segments drawn); ratio to "
        "16.7 ms frame: %.3f\n",
        span, percentile(ms, 0.5), *std::max_element(ms.begin(), ms.end()), widget.last_drawn(),
        percentile(ms, 0.5) / 16.7);
  }
  // Wheel-like zoom sequence: 60 zoom steps around a point, each followed by a paint.
  QElapsedTimer timer;
  timer.start();
  widget.zoom_fit();
  for (int i = 0; i < 60; ++i) {
    widget.scale().zoom_around(800, 1.25);
    widget.repaint();
  }
  std::printf("  60 zoom steps with repaint: %.1f ms in total (%.2f ms each)\n",
              timer.nsecsElapsed() / 1e6, timer.nsecsElapsed() / 1e6 / 60);
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QCommandLineParser parser;
  QCommandLineOption recording("recording", "Recording to play (default: make 4 views)", "DIR");
  QCommandLineOption seconds("seconds", "Playback seconds", "S", "10");
  QCommandLineOption seeks("seeks", "Random seeks", "N", "30");
  parser.addOptions({recording, seconds, seeks});
  parser.addHelpOption();
  parser.process(app);
  try {
    std::filesystem::path dir = parser.value(recording).toStdString();
    if (dir.empty())
      dir = make_views(std::filesystem::temp_directory_path() / "teamor-ui-bench", 40);
    ui::MultiViewPlayer player;
    player.resize(1280, 720);
    player.show();
    player.set_recording(io::Recording::open(dir));
    for (int v = 0; v < player.view_count(); ++v)
      if (!player.decoder(v))
        throw std::runtime_error("view failed: " + player.tile(v)->message().toStdString());
    wait_ms(300);
    bench_playback(player, parser.value(seconds).toDouble());
    bench_seeks(player, parser.value(seeks).toInt());
    player.clear();
    bench_timeline();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "teamor_ui_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
