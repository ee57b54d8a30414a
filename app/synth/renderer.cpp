#include "app/synth/renderer.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "io/frame_code.h"

namespace teamor::synth {
namespace {

constexpr int kShift = 4;  // fractional bits of polygon coordinates: sub-pixel motion
constexpr double kOne = 1 << kShift;
// People are small; anti-aliased fills cost about twice as much and the encoder smooths edges
// anyway. Sub-pixel coordinates still move edges smoothly.
constexpr int kPersonLine = cv::LINE_8;

cv::Scalar scalar(const Color& c, double gain) {
  return cv::Scalar(std::min(255.0, c.b * gain), std::min(255.0, c.g * gain),
                    std::min(255.0, c.r * gain));
}

/// Projects @p points; false if any is behind the camera.
bool project_all(const Camera& cam, const std::vector<Vec3>& points, std::vector<cv::Point>& out) {
  out.clear();
  for (const auto& p : points) {
    double u, v;
    if (!cam.project(p, u, v)) return false;
    out.emplace_back(static_cast<int>(std::lround(u * kOne)),
                     static_cast<int>(std::lround(v * kOne)));
  }
  return true;
}

/// A horizontal ellipse at height @p z around @p c, radii along forward @p f and sideways.
std::vector<Vec3> ellipse_points(Vec2 c, Vec2 f, double r_fwd, double r_side, double z, int n) {
  const Vec2 l{-f.y, f.x};
  std::vector<Vec3> points;
  for (int i = 0; i < n; ++i) {
    const double a = 2 * kPi * i / n;
    const Vec2 p = c + f * (r_fwd * std::cos(a)) + l * (r_side * std::sin(a));
    points.push_back({p.x, p.y, z});
  }
  return points;
}

double hash_unit(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  return static_cast<double>(hash64(a, b, c) >> 11) * 0x1.0p-53;
}

}  // namespace

Lighting::Lighting(double duration_s, Rng& rng) {
  for (double& p : phase_)
    p = rng.uniform(0, 2 * kPi);
  // Brightness changes (a light switched, a blind moved) at random times, unrelated to the phases.
  const int count = 1 + static_cast<int>(duration_s / 150.0);
  for (int i = 0; i < count; ++i)
    steps_.push_back({rng.uniform(0, duration_s), rng.uniform(-0.12, 0.1), rng.uniform(0.3, 2.5)});
}

double Lighting::gain(double t, int view) const {
  double g = 1.0 + 0.035 * std::sin(2 * kPi * t / 41.0 + phase_[0]) +
             0.02 * std::sin(2 * kPi * t / 127.0 + phase_[1]);
  for (const auto& s : steps_)
    if (t > s.at_s) g += s.delta * std::min(1.0, (t - s.at_s) / s.ramp_s);
  // Per-camera auto-exposure hunting.
  g += 0.015 * std::sin(2 * kPi * t / (7.0 + view) + phase_[2] + view);
  return std::clamp(g, 0.7, 1.25);
}

NoiseBank::NoiseBank(int width, int height, double sigma, Rng& rng, int tiles) {
  // Binomial noise: the number of set bits among k random bits has mean k/2 and deviation
  // sqrt(k)/2, so k = 4 sigma^2 bits give the requested sigma without any transcendental call
  // (setup time counts for short clips). The noise is added, so images brighten by k/2 levels:
  // one saturating addition per frame instead of signed arithmetic.
  const int bits = std::clamp(static_cast<int>(std::lround(4 * sigma * sigma)), 1, 64);
  const std::uint64_t mask = bits == 64 ? ~0ull : ((1ull << bits) - 1);
  for (int i = 0; i < tiles; ++i) {
    cv::Mat tile(height, width, CV_8UC3);
    for (int y = 0; y < height; ++y) {
      auto* row = tile.ptr<std::uint8_t>(y);
      for (int x = 0; x < width * 3; ++x)
        row[x] = static_cast<std::uint8_t>(std::popcount(rng.next() & mask));
    }
    tiles_.push_back(tile);
  }
}

void NoiseBank::add(const cv::Mat& image, cv::Mat& out, std::uint64_t seed, int view,
                    std::int64_t frame) const {
  const auto& tile =
      tiles_[hash64(seed, static_cast<std::uint64_t>(view), static_cast<std::uint64_t>(frame)) %
             tiles_.size()];
  cv::add(image, tile, out);
}

CeilingRenderer::CeilingRenderer(const Scene& scene, const Camera& camera, const Script& script,
                                 const Lighting& lighting, std::uint64_t seed, int view)
    : scene_(scene),
      camera_(camera),
      script_(script),
      lighting_(lighting),
      seed_(seed),
      view_(view),
      noise_([&] {
        Rng rng(hash64(seed, 0xA015E, static_cast<std::uint64_t>(view)));
        return NoiseBank(camera.width, camera.height, 1.6, rng);
      }()) {
  build_background();
  build_furniture();
}

void CeilingRenderer::build_background() {
  const Camera& cam = camera_;
  const double hx = scene_.half_x, hy = scene_.half_y, hz = scene_.ceiling_z;
  background_.create(cam.height, cam.width, CV_8UC3);
  const std::uint64_t room_seed = hash64(seed_, 0xF100);
  const Vec2 light{scene_.lamp_center.x, scene_.lamp_center.y};
  cv::Vec3d floor_sum(0, 0, 0);
  double floor_count = 0;
  for (int v = 0; v < cam.height; ++v) {
    auto* row = background_.ptr<cv::Vec3b>(v);
    for (int u = 0; u < cam.width; ++u) {
      const Vec3 d = cam.ray(u + 0.5, v + 0.5);
      const Vec3& o = cam.position;
      // Nearest wall, floor or ceiling hit from inside the room box.
      double t = 1e9;
      int surface = -1;  // 0 floor, 1 ceiling, 2 +x, 3 -x, 4 +y, 5 -y
      auto hit = [&](double tt, int s) {
        if (tt > 0 && tt < t) {
          t = tt;
          surface = s;
        }
      };
      if (d.z < 0) hit(-o.z / d.z, 0);
      if (d.z > 0) hit((hz - o.z) / d.z, 1);
      if (d.x > 0) hit((hx - o.x) / d.x, 2);
      if (d.x < 0) hit((-hx - o.x) / d.x, 3);
      if (d.y > 0) hit((hy - o.y) / d.y, 4);
      if (d.y < 0) hit((-hy - o.y) / d.y, 5);
      const Vec3 p = o + d * t;
      cv::Vec3d c;
      double shade = 1.0;
      if (surface == 0) {
        const double tile = 0.5;
        const double fx = p.x / tile - std::floor(p.x / tile),
                     fy = p.y / tile - std::floor(p.y / tile);
        const bool grout = fx < 0.04 || fy < 0.04;
        const double var =
            hash_unit(room_seed, static_cast<std::uint64_t>(std::floor(p.x / tile) + 100),
                      static_cast<std::uint64_t>(std::floor(p.y / tile) + 100));
        c = grout ? cv::Vec3d(120, 125, 118) : cv::Vec3d(160, 168, 158) * (0.95 + 0.08 * var);
        const double r2 = std::pow(p.x - light.x, 2) + std::pow(p.y - light.y, 2);
        shade = 0.72 + 0.4 * std::exp(-r2 / (2 * 2.2 * 2.2));
      } else if (surface == 1) {
        const bool panel = (std::abs(std::fmod(std::abs(p.x) + 0.6, 2.4) - 1.2) < 0.55) &&
                           std::abs(std::abs(p.y) - 1.5) < 0.35;
        c = panel ? cv::Vec3d(250, 250, 248) : cv::Vec3d(212, 214, 210);
      } else {
        // Walls: light green-grey, a darker band below 1 m; doors and a wall screen.
        const double along = (surface == 2 || surface == 3) ? p.y : p.x;
        c = p.z < 1.0 ? cv::Vec3d(165, 178, 170) : cv::Vec3d(192, 204, 196);
        shade = 0.85 + 0.1 * std::min(1.0, p.z / hz);
        const bool door_east = surface == 2 && along > -2.7 && along < -1.2 && p.z < 2.15;
        const bool door_south = surface == 5 && along > -3.6 && along < -2.4 && p.z < 2.15;
        if (door_east || door_south) {
          const bool window =
              p.z > 1.3 && p.z < 1.8 && std::abs(along - (door_east ? -1.95 : -3.0)) < 0.25;
          c = window ? cv::Vec3d(110, 100, 90) : cv::Vec3d(150, 158, 165);
          if (std::abs(along - (door_east ? -1.95 : -3.0)) < 0.015) c = cv::Vec3d(90, 95, 100);
        }
        if (surface == 3 && along > -1.0 && along < 0.3 && p.z > 1.4 && p.z < 2.1) {
          c = cv::Vec3d(35, 35, 38);  // wall monitor with a few traces
          const double trace = std::sin(along * 40) * 0.04;
          if (std::abs(p.z - 1.85 - trace) < 0.012) c = cv::Vec3d(80, 220, 80);
          if (std::abs(p.z - 1.65 + trace) < 0.012) c = cv::Vec3d(220, 200, 60);
        }
      }
      // Lens vignetting.
      const double du = (u - cam.cx) / cam.width, dv = (v - cam.cy) / cam.width;
      shade *= 1.0 - 0.5 * (du * du + dv * dv);
      c *= shade;
      if (surface == 0) {
        floor_sum += c;
        floor_count += 1;
      }
      row[u] =
          cv::Vec3b(cv::saturate_cast<std::uint8_t>(c[0]), cv::saturate_cast<std::uint8_t>(c[1]),
                    cv::saturate_cast<std::uint8_t>(c[2]));
    }
  }
  cv::GaussianBlur(background_, background_, cv::Size(3, 3), 0.7);
  const cv::Vec3d floor_mean = floor_count > 0 ? floor_sum / floor_count : cv::Vec3d(150, 150, 150);
  shadow_color_ = cv::Scalar(floor_mean[0] * 0.55, floor_mean[1] * 0.55, floor_mean[2] * 0.55);
}

void CeilingRenderer::build_furniture() {
  const Vec3 light_dir = Vec3{0.3, 0.2, 1.0}.normalized();
  std::vector<cv::Point> poly;
  for (const auto& box : scene_.furniture) {
    Item item;
    item.depth = camera_.depth((box.min + box.max) * 0.5);
    const Vec3 a = box.min, b = box.max;
    const Vec3 corners[8] = {{a.x, a.y, a.z}, {b.x, a.y, a.z}, {b.x, b.y, a.z}, {a.x, b.y, a.z},
                             {a.x, a.y, b.z}, {b.x, a.y, b.z}, {b.x, b.y, b.z}, {a.x, b.y, b.z}};
    struct FaceDef {
      int idx[4];
      Vec3 normal;
    };
    const FaceDef faces[6] = {{{4, 5, 6, 7}, {0, 0, 1}},  {{0, 1, 5, 4}, {0, -1, 0}},
                              {{1, 2, 6, 5}, {1, 0, 0}},  {{2, 3, 7, 6}, {0, 1, 0}},
                              {{3, 0, 4, 7}, {-1, 0, 0}}, {{0, 3, 2, 1}, {0, 0, -1}}};
    for (const auto& f : faces) {
      const Vec3 center =
          (corners[f.idx[0]] + corners[f.idx[1]] + corners[f.idx[2]] + corners[f.idx[3]]) * 0.25;
      if (f.normal.dot(camera_.position - center) <= 0) continue;  // back face
      std::vector<Vec3> pts;
      for (int i : f.idx)
        pts.push_back(corners[i]);
      if (!project_all(camera_, pts, poly)) continue;
      const double lambert = 0.55 + 0.45 * std::max(0.0, f.normal.dot(light_dir));
      item.faces.push_back({poly, scalar(box.color, lambert)});
    }
    furniture_.push_back(std::move(item));
  }
  // The surgical lamp: a bright disc on an arm from the ceiling.
  Item lamp;
  lamp.depth = camera_.depth(scene_.lamp_center);
  const Vec2 lc{scene_.lamp_center.x, scene_.lamp_center.y};
  if (project_all(camera_,
                  ellipse_points(lc, {1, 0}, scene_.lamp_radius, scene_.lamp_radius,
                                 scene_.lamp_center.z, 20),
                  poly))
    lamp.faces.push_back({poly, cv::Scalar(150, 150, 150)});
  if (project_all(camera_,
                  ellipse_points(lc, {1, 0}, scene_.lamp_radius * 0.75, scene_.lamp_radius * 0.75,
                                 scene_.lamp_center.z - 0.02, 20),
                  poly))
    lamp.faces.push_back({poly, cv::Scalar(235, 240, 245)});
  const Vec3 arm_top{lc.x, lc.y, scene_.ceiling_z}, arm_bottom{lc.x, lc.y, scene_.lamp_center.z};
  const Vec2 side{0.03, 0.03};
  if (project_all(camera_,
                  {arm_top + Vec3{side.x, 0, 0}, arm_bottom + Vec3{side.x, 0, 0},
                   arm_bottom - Vec3{side.x, 0, 0}, arm_top - Vec3{side.x, 0, 0}},
                  poly))
    lamp.faces.insert(lamp.faces.begin(), {poly, cv::Scalar(170, 172, 175)});
  furniture_.push_back(std::move(lamp));

  for (auto& item : furniture_) {
    item.bbox = cv::Rect();
    for (const auto& f : item.faces) {
      cv::Rect r = cv::boundingRect(f.polygon);
      r = cv::Rect(r.x / (1 << kShift) - 2, r.y / (1 << kShift) - 2, r.width / (1 << kShift) + 5,
                   r.height / (1 << kShift) + 5);
      item.bbox = item.bbox.area() == 0 ? r : (item.bbox | r);
    }
  }
  for (std::size_t i = 0; i < furniture_.size(); ++i)
    furniture_by_depth_.push_back(i);
  std::stable_sort(
      furniture_by_depth_.begin(), furniture_by_depth_.end(),
      [&](std::size_t a, std::size_t b) { return furniture_[a].depth > furniture_[b].depth; });
  // Bake the furniture into the room image (far to near); render() redraws only what people
  // overlap.
  for (std::size_t i : furniture_by_depth_)
    for (const auto& f : furniture_[i].faces)
      cv::fillConvexPoly(background_, f.polygon, f.color, cv::LINE_AA, kShift);
}

void CeilingRenderer::render_static(cv::Mat& out) const {
  background_.copyTo(out);
}

void CeilingRenderer::render(std::int64_t frame_index, double t, cv::Mat& out) const {
  // The gain moves slowly: re-scale the room only when it changes by 1/512. Sensor noise is added
  // in the same pass as the copy; people drawn on top stay noise-free, which the encoder's
  // quantisation (QP ~23, steps of 8+ levels) makes indistinguishable from sigma 1.4 noise.
  const int gain_key = static_cast<int>(std::lround(lighting_.gain(t, view_) * 512));
  const double gain = gain_key / 512.0;
  if (gain_key != lit_gain_key_) {
    background_.convertTo(lit_background_, CV_8UC3, gain);
    lit_gain_key_ = gain_key;
  }
  noise_.add(lit_background_, out, seed_, view_, frame_index);

  const std::size_t people = script_.people();
  std::vector<PersonState> states(people);
  for (std::size_t i = 0; i < people; ++i)
    states[i] = script_.state(i, t);

  // Floor shadows first: they lie under everything.
  std::vector<cv::Point> poly;
  const cv::Scalar shadow = shadow_color_ * gain;
  for (const auto& s : states) {
    const Vec2 f{std::cos(s.facing), std::sin(s.facing)};
    if (project_all(camera_, ellipse_points(s.position + Vec2{0.08, 0.06}, f, 0.26, 0.33, 0.0, 12),
                    poly))
      cv::fillConvexPoly(out, poly, shadow, kPersonLine, kShift);
  }

  // The furniture is already in the room image. Redraw only the pieces a person or a shadow
  // overlaps (and, transitively, nearer pieces overlapping those), in depth order with the people:
  // the painter's algorithm where it matters, at a fraction of the cost.
  std::vector<cv::Rect> person_box(people);
  std::vector<double> person_depth(people);
  for (std::size_t i = 0; i < people; ++i) {
    const Vec2 c = states[i].position;
    cv::Rect box;
    bool first = true;
    for (double z : {0.0, 1.95})
      for (double dx : {-0.5, 0.5})
        for (double dy : {-0.5, 0.5}) {
          double u, v;
          if (!camera_.project({c.x + dx, c.y + dy, z}, u, v)) continue;
          const cv::Rect pt(static_cast<int>(std::floor(u)) - 1,
                            static_cast<int>(std::floor(v)) - 1, 3, 3);
          box = first ? pt : (box | pt);
          first = false;
        }
    person_box[i] = box;
    person_depth[i] = camera_.depth({c.x, c.y, 0.9});
  }
  std::vector<char> redraw(furniture_.size(), 0);
  for (std::size_t k = 0; k < furniture_by_depth_.size(); ++k) {
    const std::size_t i = furniture_by_depth_[k];
    for (const auto& box : person_box)
      if ((furniture_[i].bbox & box).area() > 0) redraw[i] = 1;
    if (!redraw[i]) continue;
    for (std::size_t m = k + 1; m < furniture_by_depth_.size(); ++m) {
      const std::size_t j = furniture_by_depth_[m];
      if ((furniture_[i].bbox & furniture_[j].bbox).area() > 0) redraw[j] = 1;
    }
  }
  struct Draw {
    double depth;
    int furniture;  // index, or -1 for a person
    std::size_t person;
  };
  std::vector<Draw> order;
  for (std::size_t i = 0; i < furniture_.size(); ++i)
    if (redraw[i]) order.push_back({furniture_[i].depth, static_cast<int>(i), 0});
  for (std::size_t i = 0; i < people; ++i)
    order.push_back({person_depth[i], -1, i});
  std::stable_sort(order.begin(), order.end(),
                   [](const Draw& a, const Draw& b) { return a.depth > b.depth; });
  for (const auto& d : order) {
    if (d.furniture >= 0) {
      for (const auto& f : furniture_[d.furniture].faces)
        cv::fillConvexPoly(out, f.polygon, f.color * gain, cv::LINE_AA, kShift);
    } else {
      draw_person(out, d.person, states[d.person], gain);
    }
  }

  io::stamp_frame_code(out.data, out.cols, out.rows, static_cast<int>(out.step[0]),
                       io::PixelFormat::Bgr24, static_cast<std::uint32_t>(frame_index));
}

void CeilingRenderer::draw_person(cv::Mat& out, std::size_t index, const PersonState& s,
                                  double gain) const {
  const Person& p = scene_.staff[index];
  const Camera& cam = camera_;
  const double k = p.height_m / 1.75;
  const Vec2 f{std::cos(s.facing), std::sin(s.facing)};
  const Vec2 l{-f.y, f.x};
  auto at = [&](double fwd, double side, double z) {
    const Vec2 q = s.position + f * (fwd * k) + l * (side * k);
    return Vec3{q.x, q.y, z * k + s.bob_m};
  };
  auto to_px = [&](const Vec3& q, cv::Point& px) {
    double u, v;
    if (!cam.project(q, u, v)) return false;
    px =
        cv::Point(static_cast<int>(std::lround(u * kOne)), static_cast<int>(std::lround(v * kOne)));
    return true;
  };
  auto px_size = [&](const Vec3& q, double metres) {
    return std::max(1.0, cam.fx * metres / std::max(cam.depth(q), 0.1));
  };
  std::vector<cv::Point> poly, hull;

  // Arms: shoulder -> elbow -> hand; drawn before the body when they are behind it.
  const Vec3 body_center = at(0, 0, 1.0);
  const double body_depth = cam.depth(body_center);
  auto draw_arm = [&](double side, const Vec3& hand) {
    const Vec3 shoulder = at(0.0, side * 0.2, 1.38);
    Vec3 elbow = (shoulder + hand) * 0.5;
    elbow.z -= 0.12 * k;
    const Vec3 out_dir{l.x * side * 0.06, l.y * side * 0.06, 0};
    elbow = elbow + out_dir;
    cv::Point a, b, c;
    if (!to_px(shoulder, a) || !to_px(elbow, b) || !to_px(hand, c)) return;
    const int thick = static_cast<int>(std::lround(px_size(elbow, 0.085 * k)));
    const cv::Scalar sleeve = scalar(p.sleeve, gain);
    cv::line(out, a, b, sleeve, thick, kPersonLine, kShift);
    cv::line(out, b, c, sleeve, std::max(1, thick - 1), kPersonLine, kShift);
    cv::circle(out, c, static_cast<int>(px_size(hand, 0.045 * k) * kOne), scalar(p.glove, gain),
               cv::FILLED, kPersonLine, kShift);
  };
  const bool left_behind = cam.depth(s.hand_left) > body_depth + 0.05;
  const bool right_behind = cam.depth(s.hand_right) > body_depth + 0.05;
  if (left_behind) draw_arm(1, s.hand_left);
  if (right_behind) draw_arm(-1, s.hand_right);

  // Gown: hull of a flared hem and the shoulders, then a lit upper torso and the shoulder top.
  auto hem = ellipse_points(s.position, f, 0.2 * k, 0.27 * k, 0.02, 10);
  auto top = ellipse_points(s.position, f, 0.13 * k, 0.22 * k, 1.4 * k + s.bob_m, 10);
  hem.insert(hem.end(), top.begin(), top.end());
  if (project_all(cam, hem, poly)) {
    cv::convexHull(poly, hull);
    cv::fillConvexPoly(out, hull, scalar(p.gown, 0.78 * gain), kPersonLine, kShift);
  }
  auto waist = ellipse_points(s.position, f, 0.11 * k, 0.17 * k, 0.95 * k + s.bob_m, 8);
  auto chest = ellipse_points(s.position, f, 0.12 * k, 0.2 * k, 1.38 * k + s.bob_m, 8);
  waist.insert(waist.end(), chest.begin(), chest.end());
  if (project_all(cam, waist, poly)) {
    cv::convexHull(poly, hull);
    cv::fillConvexPoly(out, hull, scalar(p.gown, 0.95 * gain), kPersonLine, kShift);
  }
  if (project_all(cam, ellipse_points(s.position, f, 0.12 * k, 0.22 * k, 1.43 * k + s.bob_m, 12),
                  poly)) {
    cv::convexHull(poly, hull);
    cv::fillConvexPoly(out, hull, scalar(p.gown, 1.08 * gain), kPersonLine, kShift);
  }
  if (!left_behind) draw_arm(1, s.hand_left);
  if (!right_behind) draw_arm(-1, s.hand_right);

  // Head: skin, cap over the top and back, face and mask only when turned towards the camera.
  const Vec3 head = at(0.02, 0, 1.6);
  cv::Point hp;
  if (!to_px(head, hp)) return;
  const double r = px_size(head, 0.105 * k);
  cv::circle(out, hp, static_cast<int>(r * kOne), scalar(p.skin, 0.9 * gain), cv::FILLED,
             kPersonLine, kShift);
  const Vec3 face = at(0.11, 0, 1.58);
  const bool face_visible = cam.depth(face) < cam.depth(head) - 0.02 * k;
  cv::Point cap_px;
  if (to_px(face_visible ? at(-0.03, 0, 1.65) : head, cap_px))
    cv::circle(out, cap_px, static_cast<int>(r * (face_visible ? 0.85 : 1.0) * kOne),
               scalar(p.cap, gain), cv::FILLED, kPersonLine, kShift);
  if (face_visible) {
    cv::Point fp, mp;
    if (to_px(at(0.08, 0, 1.6), fp))
      cv::circle(out, fp, static_cast<int>(r * 0.5 * kOne), scalar(p.skin, gain), cv::FILLED,
                 kPersonLine, kShift);
    if (to_px(at(0.09, 0, 1.55), mp))
      cv::circle(out, mp, static_cast<int>(r * 0.45 * kOne), scalar(p.mask, gain), cv::FILLED,
                 kPersonLine, kShift);
  }
}

}  // namespace teamor::synth
