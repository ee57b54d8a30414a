#pragma once
// Rendering of one ceiling camera: the static room is ray-cast once, then every frame composites
// the furniture and the people in depth order, with lighting drift, sensor noise and the frame code
// (internal to teamor_synth; OpenCV stays inside this library).

#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

#include "app/synth/geometry.h"
#include "app/synth/scene.h"
#include "app/synth/script.h"

namespace teamor::synth {

/// @brief Room lighting over time: slow drift plus a few step changes (lights dimmed or switched),
/// shared by all views; each camera adds its own small exposure wobble.
class Lighting {
 public:
  Lighting(double duration_s, Rng& rng);
  /// Brightness factor (about 0.8..1.15) at @p t seconds for camera @p view.
  double gain(double t, int view) const;

 private:
  struct Step {
    double at_s, delta, ramp_s;
  };
  std::vector<Step> steps_;
  double phase_[3];
};

/// @brief Precomputed sensor noise: a few full-frame tiles, one picked per frame by a hash.
class NoiseBank {
 public:
  NoiseBank(int width, int height, double sigma, Rng& rng, int tiles = 6);
  /// Writes @p image plus the tile for (@p view, @p frame) to @p out (saturating; may alias).
  void add(const cv::Mat& image, cv::Mat& out, std::uint64_t seed, int view,
           std::int64_t frame) const;

 private:
  std::vector<cv::Mat> tiles_;
};

class CeilingRenderer {
 public:
  /// @param view index of this view (chooses noise and exposure wobble)
  CeilingRenderer(const Scene& scene, const Camera& camera, const Script& script,
                  const Lighting& lighting, std::uint64_t seed, int view);

  /// @brief Renders frame @p frame_index at @p t seconds into @p out (BGR, camera size), code
  /// stamped.
  void render(std::int64_t frame_index, double t, cv::Mat& out) const;
  /// @brief The room and furniture without people, noise or code (tests check geometry with it).
  void render_static(cv::Mat& out) const;

  const Camera& camera() const { return camera_; }

 private:
  struct Face {
    std::vector<cv::Point> polygon;  // pixel coordinates with kShift fractional bits
    cv::Scalar color;
  };
  struct Item {
    double depth;
    std::vector<Face> faces;
    cv::Rect bbox;  // pixels, slightly enlarged
  };
  const Scene& scene_;
  Camera camera_;
  const Script& script_;
  const Lighting& lighting_;
  std::uint64_t seed_;
  int view_;
  cv::Mat background_;                           // room and furniture, without people
  std::vector<Item> furniture_;                  // projected once: the cameras do not move
  std::vector<std::size_t> furniture_by_depth_;  // far to near
  NoiseBank noise_;
  cv::Scalar shadow_color_;
  // The lit room for the last gain (render() is called by one thread per renderer).
  mutable cv::Mat lit_background_;
  mutable int lit_gain_key_ = -1;

  void build_background();
  void build_furniture();
  void draw_person(cv::Mat& out, std::size_t person, const PersonState& state, double gain) const;
};

}  // namespace teamor::synth
