#pragma once
// The laparoscope view: dark grey before insertion and after removal; in between a moving view over
// a procedural tissue texture (camera drift, breathing, two instruments), frozen during StOP?
// briefings (internal to teamor_synth).

#include <cstdint>

#include <opencv2/core.hpp>

#include "app/synth/renderer.h"
#include "app/synth/script.h"

namespace teamor::synth {

class EndoscopeRenderer {
 public:
  /// @param width, height frame size, pixels; @param view index of this view (noise stream)
  EndoscopeRenderer(int width, int height, const Timeline& timeline, std::uint64_t seed, int view);

  /// @brief Renders frame @p frame_index at @p t seconds into @p out (BGR, no frame code).
  void render(std::int64_t frame_index, double t, cv::Mat& out) const;

 private:
  int width_, height_;
  const Timeline& timeline_;
  std::uint64_t seed_;
  int view_;
  cv::Mat texture_;  // tissue, twice the frame size in each direction
  cv::Mat outside_;  // what the scope sees outside the body: dim grey
  cv::Mat border_;   // 255 outside the round optic
  NoiseBank noise_;
  double phase_[6];
};

}  // namespace teamor::synth
