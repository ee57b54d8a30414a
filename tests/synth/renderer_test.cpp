// Ceiling and laparoscope rendering: every camera sees the same 3-D scene where projection says it
// is, people are drawn where they stand, frames carry their index, the scope follows the phases.
#include "app/synth/renderer.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "app/synth/endoscope.h"
#include "app/synth/synth.h"
#include "io/frame_code.h"

using namespace teamor::synth;

namespace {

struct World {
  Scene scene;
  Timeline timeline;
  std::unique_ptr<Script> script;
  std::vector<Camera> cameras;
  std::unique_ptr<Lighting> lighting;

  World(std::uint64_t seed, int cameras_count, int width, int height) {
    Rng rng(seed);
    Rng a = rng.fork(1), b = rng.fork(2), c = rng.fork(3), d = rng.fork(4), e = rng.fork(5);
    scene = make_scene(a);
    SynthOptions o;
    o.minutes = 4;
    o.time_scale = 0.5;
    timeline = plan_timeline(o, b);
    script = std::make_unique<Script>(scene, timeline, c);
    cameras = make_ceiling_cameras(scene, cameras_count, width, height, d);
    lighting = std::make_unique<Lighting>(timeline.duration_s, e);
  }
};

teamor::io::Frame as_frame(const cv::Mat& bgr) {
  teamor::io::Frame f;
  f.width = bgr.cols;
  f.height = bgr.rows;
  f.stride = static_cast<int>(bgr.step[0]);
  f.pixel_format = teamor::io::PixelFormat::Bgr24;
  f.data.assign(bgr.data, bgr.data + bgr.step[0] * bgr.rows);
  return f;
}

}  // namespace

TEST(CeilingRenderer, EveryViewShowsTheTableWhereItProjects) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    World w(seed, 5, 320, 180);
    for (std::size_t v = 0; v < w.cameras.size(); ++v) {
      CeilingRenderer r(w.scene, w.cameras[v], *w.script, *w.lighting, seed, static_cast<int>(v));
      cv::Mat image;
      r.render_static(image);
      double u, px_v;
      ASSERT_TRUE(w.cameras[v].project(w.scene.table_top_center, u, px_v));
      ASSERT_GT(u, 0);
      ASSERT_LT(u, 320);
      ASSERT_GT(px_v, 0);
      ASSERT_LT(px_v, 180);
      // The draped patient is blue-green: blue clearly above red, unlike floor and walls.
      const cv::Vec3b c = image.at<cv::Vec3b>(static_cast<int>(px_v), static_cast<int>(u));
      EXPECT_GT(c[0], c[2] + 40) << "seed " << seed << " view " << v << " at " << u << "," << px_v;
    }
  }
}

TEST(CeilingRenderer, PeopleAppearWhereTheyStandAndFramesCarryTheirIndex) {
  World w(11, 3, 320, 180);
  for (std::size_t v = 0; v < w.cameras.size(); ++v) {
    CeilingRenderer r(w.scene, w.cameras[v], *w.script, *w.lighting, 11, static_cast<int>(v));
    cv::Mat empty, frame;
    r.render_static(empty);
    const double t = w.timeline.timeouts[0].start_s + 5;
    r.render(1234 + static_cast<int>(v), t, frame);
    const auto code = teamor::io::read_frame_code(as_frame(frame));
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 1234u + v);
    int visible = 0, changed = 0;
    for (std::size_t p = 0; p < w.script->people(); ++p) {
      const auto s = w.script->state(p, t);
      double u, pv;
      if (!w.cameras[v].project({s.position.x, s.position.y, 1.3}, u, pv)) continue;
      if (u < 80 || u >= 315 || pv < 40 || pv >= 175) continue;
      ++visible;
      cv::Mat diff;
      cv::absdiff(frame(cv::Rect(static_cast<int>(u) - 2, static_cast<int>(pv) - 2, 5, 5)),
                  empty(cv::Rect(static_cast<int>(u) - 2, static_cast<int>(pv) - 2, 5, 5)), diff);
      if (cv::mean(diff)[0] + cv::mean(diff)[1] + cv::mean(diff)[2] > 30) ++changed;
    }
    EXPECT_GT(visible, 0);
    // Most people show at their projected chest (a few may stand behind the lamp or a tower).
    EXPECT_GE(changed * 3, visible * 2) << "view " << v;
  }
}

TEST(CeilingRenderer, LightingDriftsAndNoiseVaries) {
  World w(4, 1, 320, 180);
  CeilingRenderer r(w.scene, w.cameras[0], *w.script, *w.lighting, 4, 0);
  std::vector<double> means;
  cv::Mat a, b;
  for (double t = 0; t < w.timeline.duration_s; t += 10) {
    r.render(0, t, a);
    means.push_back(cv::mean(a(cv::Rect(100, 0, 200, 40)))[1]);  // a band with few people
  }
  const auto [lo, hi] = std::minmax_element(means.begin(), means.end());
  EXPECT_GT(*hi - *lo, 3.0) << "brightness must change over the recording";
  r.render(1, 1.0, a);
  r.render(2, 1.0, b);  // same moment, other frame index: only the sensor noise differs
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  const double mean_diff = cv::mean(diff)[0];
  EXPECT_GT(mean_diff, 0.3);
  EXPECT_LT(mean_diff, 4.0);
}

TEST(EndoscopeRenderer, DarkBeforeInsertionTexturedInSurgeryFrozenInStop) {
  World w(2, 1, 320, 180);
  Rng rng(9);
  const Timeline tl = plan_timeline(
      [] {
        SynthOptions x;
        x.minutes = 6;
        x.stops = 1;
        return x;
      }(),
      rng);
  EndoscopeRenderer r(320, 180, tl, 2, 3);
  cv::Mat frame, next;
  const cv::Rect center(100, 50, 120, 80);
  auto stats = [&](const cv::Mat& m) {
    cv::Scalar mean, stddev;
    cv::meanStdDev(m(center), mean, stddev);
    return std::pair{mean, stddev};
  };
  r.render(0, tl.incision_s - 2, frame);
  const auto [dark_mean, dark_std] = stats(frame);
  EXPECT_LT(dark_mean[2], 70);
  EXPECT_LT(dark_std[2], 15);
  r.render(0, tl.incision_s + 10, frame);
  const auto [tissue_mean, tissue_std] = stats(frame);
  EXPECT_GT(tissue_mean[2], 120) << "tissue is red";
  EXPECT_GT(tissue_mean[2], tissue_mean[0] + 40);
  EXPECT_GT(tissue_std[2] + tissue_std[1], 15) << "tissue is textured";
  r.render(0, tl.scope_removed_s + 1, frame);
  EXPECT_LT(stats(frame).first[2], 70) << "dark again after removal";

  cv::Mat diff;
  const double s0 = tl.stops[0].start_s + 2;
  r.render(0, s0, frame);
  r.render(0, s0 + 3, next);  // same noise tile: only motion could differ
  cv::absdiff(frame, next, diff);
  const double frozen = cv::mean(diff)[2];
  r.render(0, tl.incision_s + 5, frame);
  r.render(0, tl.incision_s + 8, next);
  cv::absdiff(frame, next, diff);
  const double moving = cv::mean(diff)[2];
  EXPECT_LT(frozen, 1.0);
  EXPECT_GT(moving, 5 * frozen + 3);
}
