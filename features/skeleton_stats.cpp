#include "features/skeleton_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace teamor::features::skeleton {
namespace {

constexpr float kConfident = 0.3f;  ///< keypoints scoring less are ignored in the statistics
constexpr int kNose = 0, kLeftEye = 1, kRightEye = 2, kLeftShoulder = 5, kRightShoulder = 6,
              kLeftWrist = 9, kRightWrist = 10;

struct Body {
  bool valid = false;
  float cx = 0, cy = 0;  ///< centre of the confident keypoints
  float height = 0;      ///< vertical extent of the confident keypoints (>= 0.02)
};

Body body(const pose::Pose& p) {
  Body b;
  float sx = 0, sy = 0, lo = 1, hi = 0;
  int n = 0;
  for (const auto& k : p.keypoints) {
    if (k.score < kConfident) continue;
    sx += k.x;
    sy += k.y;
    lo = std::min(lo, k.y);
    hi = std::max(hi, k.y);
    ++n;
  }
  if (n < 3) return b;
  b.valid = true;
  b.cx = sx / n;
  b.cy = sy / n;
  b.height = std::max(0.02f, hi - lo);
  return b;
}

bool ok(const pose::Keypoint& k) {
  return k.score >= kConfident;
}

}  // namespace

std::vector<std::string> statistic_names() {
  return {"skel.people",       "skel.people_max",  "skel.score",         "skel.centroid_x",
          "skel.centroid_y",   "skel.spread",      "skel.pair_distance", "skel.height",
          "skel.body_speed",   "skel.joint_speed", "skel.wrist_speed",   "skel.still_fraction",
          "skel.facing_group", "skel.frontal"};
}

std::vector<Track> track(const std::vector<std::vector<pose::Pose>>& frames) {
  std::vector<Track> tracks;
  std::vector<int> open;  // tracks that had a pose in the previous frame
  for (int f = 0; f < static_cast<int>(frames.size()); ++f) {
    std::vector<int> next;
    std::vector<bool> used(frames[f].size(), false);
    // Greedy: each open track takes the nearest unused pose within 0.6 body heights (or 5 % of
    // the picture for tiny people).
    for (int t : open) {
      const Body last = body(tracks[t].poses.back());
      int best = -1;
      float best_d = 0;
      for (std::size_t i = 0; i < frames[f].size(); ++i) {
        if (used[i]) continue;
        const Body b = body(frames[f][i]);
        if (!b.valid || !last.valid) continue;
        const float d = std::hypot(b.cx - last.cx, b.cy - last.cy);
        if (d <= std::max(0.05f, 0.6f * last.height) && (best < 0 || d < best_d)) {
          best = static_cast<int>(i);
          best_d = d;
        }
      }
      if (best >= 0) {
        used[best] = true;
        tracks[t].frame.push_back(f);
        tracks[t].poses.push_back(frames[f][best]);
        next.push_back(t);
      }
    }
    for (std::size_t i = 0; i < frames[f].size(); ++i) {
      if (used[i]) continue;
      tracks.push_back({{f}, {frames[f][i]}});
      next.push_back(static_cast<int>(tracks.size()) - 1);
    }
    open = std::move(next);
  }
  return tracks;
}

void statistics(const std::vector<std::vector<pose::Pose>>& frames,
                const std::vector<Track>& tracks, float* out) {
  const int n = static_cast<int>(frames.size());
  double people = 0, people_max = 0, score = 0, scored = 0, cx = 0, cy = 0, centred = 0;
  double spread = 0, spread_n = 0, pair = 0, pair_n = 0, height = 0, height_n = 0;
  double facing = 0, facing_n = 0, frontal = 0, frontal_n = 0;
  for (const auto& poses : frames) {
    people += poses.size();
    people_max = std::max<double>(people_max, poses.size());
    std::vector<Body> bodies;
    for (const auto& p : poses) {
      score += p.score;
      scored += 1;
      const Body b = body(p);
      if (!b.valid) continue;
      bodies.push_back(b);
      height += b.height;
      height_n += 1;
    }
    if (bodies.empty()) continue;
    float mx = 0, my = 0;
    for (const auto& b : bodies) {
      mx += b.cx / bodies.size();
      my += b.cy / bodies.size();
    }
    cx += mx;
    cy += my;
    centred += 1;
    if (bodies.size() >= 2) {
      double var = 0;
      for (const auto& b : bodies)
        var += (b.cx - mx) * (b.cx - mx) + (b.cy - my) * (b.cy - my);
      spread += std::sqrt(var / bodies.size());
      spread_n += 1;
      for (std::size_t i = 0; i < bodies.size(); ++i)
        for (std::size_t j = i + 1; j < bodies.size(); ++j) {
          pair += std::hypot(bodies[i].cx - bodies[j].cx, bodies[i].cy - bodies[j].cy);
          pair_n += 1;
        }
    }
    // Facing: from the shoulders' midpoint towards the nose, compared with the direction to the
    // group's centre (in the image plane; a ceiling view sees heads from above).
    for (const auto& p : poses) {
      const auto& k = p.keypoints;
      if (ok(k[kNose]) || (ok(k[kLeftShoulder]) && ok(k[kRightShoulder]))) {
        frontal += ok(k[kNose]) && ok(k[kLeftEye]) && ok(k[kRightEye]);
        frontal_n += 1;
      }
      if (bodies.size() < 2 || !ok(k[kNose]) || !ok(k[kLeftShoulder]) || !ok(k[kRightShoulder]))
        continue;
      const float sx = (k[kLeftShoulder].x + k[kRightShoulder].x) / 2;
      const float sy = (k[kLeftShoulder].y + k[kRightShoulder].y) / 2;
      const float fx = k[kNose].x - sx, fy = k[kNose].y - sy;
      const float gx = mx - sx, gy = my - sy;
      const float norm = std::hypot(fx, fy) * std::hypot(gx, gy);
      if (norm < 1e-6f) continue;
      facing += (fx * gx + fy * gy) / norm;
      facing_n += 1;
    }
  }
  // Speeds along tracks, relative to the person's height, per analysed step.
  double body_speed = 0, joint_speed = 0, wrist_speed = 0, steps = 0, joint_n = 0, wrist_n = 0,
         still = 0;
  for (const auto& t : tracks) {
    for (std::size_t i = 1; i < t.poses.size(); ++i) {
      const int gap = t.frame[i] - t.frame[i - 1];
      const Body a = body(t.poses[i - 1]), b = body(t.poses[i]);
      if (!a.valid || !b.valid || gap < 1) continue;
      const float h = (a.height + b.height) / 2;
      const double v = std::hypot(b.cx - a.cx, b.cy - a.cy) / h / gap;
      body_speed += v;
      still += v < 0.02;
      steps += 1;
      for (int k = 0; k < pose::kKeypoints; ++k) {
        const auto &p = t.poses[i - 1].keypoints[k], &q = t.poses[i].keypoints[k];
        if (!ok(p) || !ok(q)) continue;
        const double d = std::hypot(q.x - p.x, q.y - p.y) / h / gap;
        joint_speed += d;
        joint_n += 1;
        if (k == kLeftWrist || k == kRightWrist) {
          wrist_speed += d;
          wrist_n += 1;
        }
      }
    }
  }
  auto mean = [](double s, double c, double empty = 0.0) {
    return static_cast<float>(c > 0 ? s / c : empty);
  };
  int k = 0;
  out[k++] = static_cast<float>(people / std::max(1, n) / 10.0);
  out[k++] = static_cast<float>(people_max / 10.0);
  out[k++] = mean(score, scored);
  out[k++] = mean(cx, centred, 0.5);
  out[k++] = mean(cy, centred, 0.5);
  out[k++] = mean(spread, spread_n);
  out[k++] = mean(pair, pair_n);
  out[k++] = mean(height, height_n);
  out[k++] = mean(body_speed, steps);
  out[k++] = mean(joint_speed, joint_n);
  out[k++] = mean(wrist_speed, wrist_n);
  out[k++] = mean(still, steps);
  out[k++] = mean(facing, facing_n);
  out[k++] = mean(frontal, frontal_n);
}

std::vector<float> graph_input(const std::vector<Track>& tracks, int frames, int persons) {
  std::vector<float> x(static_cast<std::size_t>(persons) * frames * pose::kKeypoints * 3, 0.0f);
  for (std::size_t i = 0; i < x.size(); i += 3)
    x[i] = x[i + 1] = -1.0f;  // empty: (0, 0) -> (-1, -1)
  std::vector<int> order(tracks.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return tracks[a].poses.size() > tracks[b].poses.size(); });
  for (int m = 0; m < persons && m < static_cast<int>(order.size()); ++m) {
    const auto& t = tracks[order[m]];
    for (std::size_t i = 0; i < t.poses.size(); ++i) {
      for (int k = 0; k < pose::kKeypoints; ++k) {
        const auto& kp = t.poses[i].keypoints[k];
        float* v =
            &x[((static_cast<std::size_t>(m) * frames + t.frame[i]) * pose::kKeypoints + k) * 3];
        v[0] = kp.x * 2 - 1;  // (x - w/2) / (w/2) with x in pixels = 2 x_norm - 1
        v[1] = kp.y * 2 - 1;
        v[2] = kp.score;
      }
    }
  }
  return x;
}

}  // namespace teamor::features::skeleton
