#include "app/synth/endoscope.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace teamor::synth {
namespace {

/// Smooth random field in [0, 1] at a given feature size (pixels).
cv::Mat smooth_field(int width, int height, int cell, Rng& rng) {
  const int w = std::max(2, width / cell), h = std::max(2, height / cell);
  cv::Mat low(h, w, CV_32F);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      low.at<float>(y, x) = static_cast<float>(rng.uniform());
  cv::Mat field;
  cv::resize(low, field, cv::Size(width, height), 0, 0, cv::INTER_CUBIC);
  return field;
}

}  // namespace

EndoscopeRenderer::EndoscopeRenderer(int width, int height, const Timeline& timeline,
                                     std::uint64_t seed, int view)
    : width_(width), height_(height), timeline_(timeline), seed_(seed), view_(view), noise_([&] {
        Rng rng(hash64(seed, 0xE4D0, static_cast<std::uint64_t>(view)));
        return NoiseBank(width, height, 1.8, rng);
      }()) {
  Rng rng(hash64(seed, 0x715E));
  for (double& p : phase_)
    p = rng.uniform(0, 2 * kPi);
  const int tw = 2 * width, th = 2 * height;
  const double unit = width / 640.0;  // features scale with the frame
  const cv::Mat coarse = smooth_field(tw, th, std::max(8, static_cast<int>(48 * unit)), rng);
  const cv::Mat fine = smooth_field(tw, th, std::max(3, static_cast<int>(10 * unit)), rng);
  const cv::Mat fat = smooth_field(tw, th, std::max(8, static_cast<int>(70 * unit)), rng);
  texture_.create(th, tw, CV_8UC3);
  for (int y = 0; y < th; ++y) {
    auto* row = texture_.ptr<cv::Vec3b>(y);
    for (int x = 0; x < tw; ++x) {
      const double v = 0.7 * coarse.at<float>(y, x) + 0.3 * fine.at<float>(y, x);
      cv::Vec3d c(55 + 75 * v, 50 + 80 * v, 145 + 90 * v);  // pink to dark red (BGR)
      const double fw = 0.65 * std::clamp((fat.at<float>(y, x) - 0.68) * 5.0, 0.0, 1.0);
      c = c * (1 - fw) + cv::Vec3d(105, 170, 215) * fw;  // yellowish fat
      row[x] =
          cv::Vec3b(cv::saturate_cast<std::uint8_t>(c[0]), cv::saturate_cast<std::uint8_t>(c[1]),
                    cv::saturate_cast<std::uint8_t>(c[2]));
    }
  }
  // Vessels: random walks in dark red, thick to thin.
  for (int i = 0; i < 40; ++i) {
    cv::Point2d p(rng.uniform(0, tw), rng.uniform(0, th));
    double heading = rng.uniform(0, 2 * kPi);
    double thick = rng.uniform(1.0, 4.0) * std::max(1.0, unit);
    for (int step = 0; step < 30; ++step) {
      heading += rng.uniform(-0.5, 0.5);
      const cv::Point2d q = p + cv::Point2d(std::cos(heading), std::sin(heading)) * 12.0 * unit;
      cv::line(texture_, p, q, cv::Scalar(40, 35, 110), std::max(1, static_cast<int>(thick)),
               cv::LINE_AA);
      p = q;
      thick = std::max(1.0, thick * 0.95);
    }
  }
  // Wet highlights.
  for (int i = 0; i < 90; ++i)
    cv::ellipse(texture_, cv::Point(rng.integer(0, tw - 1), rng.integer(0, th - 1)),
                cv::Size(rng.integer(1, 5), rng.integer(1, 3)), rng.uniform(0, 180), 0, 360,
                cv::Scalar(230, 238, 250), cv::FILLED, cv::LINE_AA);
  cv::GaussianBlur(texture_, texture_, cv::Size(3, 3), 0.8);

  outside_.create(height, width, CV_8UC3);
  const cv::Mat dim = smooth_field(width, height, std::max(8, static_cast<int>(120 * unit)), rng);
  for (int y = 0; y < height; ++y) {
    auto* row = outside_.ptr<cv::Vec3b>(y);
    for (int x = 0; x < width; ++x) {
      const auto v = cv::saturate_cast<std::uint8_t>(28 + 30 * dim.at<float>(y, x));
      row[x] = cv::Vec3b(v, v, cv::saturate_cast<std::uint8_t>(v + 3));
    }
  }
  border_ = cv::Mat(height, width, CV_8U, cv::Scalar(255));
  cv::circle(border_, cv::Point(width / 2, height / 2),
             static_cast<int>(0.62 * std::min(width, height)), cv::Scalar(0), cv::FILLED,
             cv::LINE_AA);
}

void EndoscopeRenderer::render(std::int64_t frame_index, double t, cv::Mat& out) const {
  // The scope brings its own light: the room's lighting changes do not reach it.
  const bool inside = t >= timeline_.incision_s && t < timeline_.scope_removed_s;
  if (!inside) {
    noise_.add(outside_, out, seed_, view_, frame_index);
  } else {
    // Motion clock: stands still during StOP? briefings, so the image freezes.
    const double c = timeline_.scope_clock(t) - timeline_.scope_clock(timeline_.incision_s);
    const double ax = 0.45 * width_, ay = 0.45 * height_;
    const double ox = width_ / 2.0 + ax * (0.6 * std::sin(c / 23.0 + phase_[0]) +
                                           0.4 * std::sin(c / 9.0 + phase_[1]));
    const double oy =
        height_ / 2.0 +
        ay * (0.6 * std::sin(c / 29.0 + phase_[2]) + 0.4 * std::sin(c / 11.0 + phase_[3])) +
        0.02 * height_ * std::sin(2 * kPi * c / 4.5);  // breathing
    const int x0 = std::clamp(static_cast<int>(std::lround(ox)), 0, width_);
    const int y0 = std::clamp(static_cast<int>(std::lround(oy)), 0, height_);
    // Fade in over the first two seconds after insertion (the light adapts), noise in the same
    // pass.
    const double fade = std::clamp((t - timeline_.incision_s) / 2.0, 0.3, 1.0);
    const cv::Mat view = texture_(cv::Rect(x0, y0, width_, height_));
    if (fade < 1.0) {
      view.convertTo(out, CV_8UC3, fade);
      noise_.add(out, out, seed_, view_, frame_index);
    } else {
      noise_.add(view, out, seed_, view_, frame_index);
    }
    // Two instruments from the lower corners, their tips wandering over the field.
    for (int i = 0; i < 2; ++i) {
      const double side = i == 0 ? -1 : 1;
      const cv::Point2d entry(width_ * (0.5 + side * 0.62), height_ * 1.05);
      const cv::Point2d tip(
          width_ * (0.5 + side * 0.12 + 0.13 * std::sin(c * (0.7 + 0.2 * i) + phase_[4 + i])),
          height_ * (0.5 + 0.15 * std::sin(c * (0.53 + 0.1 * i) + phase_[5 - i])));
      const double shaft = std::max(3, width_ / 28);
      const cv::Point2d dir = (tip - entry) * (1.0 / cv::norm(tip - entry));
      const cv::Point2d normal(-dir.y, dir.x);
      // The shaft as two quads (dark rim, bright metal): cheaper than thick anti-aliased lines.
      for (const auto& [half, color] : {std::pair{0.5 * shaft + 1, cv::Scalar(85, 88, 92)},
                                        std::pair{0.5 * shaft - 1, cv::Scalar(165, 168, 172)}}) {
        const cv::Point quad[4] = {entry + normal * half, tip + normal * half * 0.8,
                                   tip - normal * half * 0.8, entry - normal * half};
        cv::fillConvexPoly(out, quad, 4, color, cv::LINE_AA);
      }
      const double open = 0.3 + 0.25 * std::sin(c * 2.1 + i);
      const double jaw = width_ / 40.0;
      const int jaw_width = std::max(1, static_cast<int>(shaft / 3));
      cv::line(out, tip, tip + (dir + normal * open) * jaw, cv::Scalar(60, 60, 62), jaw_width,
               cv::LINE_8);
      cv::line(out, tip, tip + (dir - normal * open) * jaw, cv::Scalar(60, 60, 62), jaw_width,
               cv::LINE_8);
    }
  }
  out.setTo(cv::Scalar(0, 0, 0), border_);
}

}  // namespace teamor::synth
