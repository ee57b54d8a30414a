#include "features/bodypix_pose.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

#include "common/error.h"

namespace teamor::features::pose {
namespace {

constexpr int kInW = 640, kInH = 480, kStride = 16;
constexpr int kOutW = kInW / kStride, kOutH = kInH / kStride;  // 40 x 30
constexpr int kEdges = 16;
/// Parent -> child edges of the keypoint tree (rooted at the nose), in the order of the model's
/// displacement channels.
constexpr int kEdge[kEdges][2] = {{0, 1},  {1, 3},  {0, 2},   {2, 4},   {0, 5}, {5, 7},
                                  {7, 9},  {5, 11}, {11, 13}, {13, 15}, {0, 6}, {6, 8},
                                  {8, 10}, {6, 12}, {12, 14}, {14, 16}};

/// NHWC output [1, H, W, C] accessor.
struct Map {
  const float* data = nullptr;
  int channels = 0;
  float at(int y, int x, int c) const { return data[(y * kOutW + x) * channels + c]; }
};

float sigmoid(float v) {
  return 1.0f / (1.0f + std::exp(-v));
}

struct Point {
  float y = 0, x = 0;
};

}  // namespace

BodyPixPose::BodyPixPose(const std::filesystem::path& onnx, PoseSettings settings)
    : path_(onnx), settings_(settings) {
  if (!std::filesystem::exists(onnx))
    throw IoError("the BodyPix pose model is missing", onnx.string());
  try {
    net_ = cv::dnn::readNetFromONNX(onnx.string());
  } catch (const cv::Exception& e) {
    throw ModelError(std::string("OpenCV cannot load the pose model: ") + e.what(), onnx.string());
  }
  outputs_ = {"float_heatmaps", "float_short_offsets", "MobilenetV1/displacement_fwd_2/BiasAdd",
              "MobilenetV1/displacement_bwd_2/BiasAdd"};
  const auto names = net_.getUnconnectedOutLayersNames();
  for (const auto& want : outputs_)
    if (std::find(names.begin(), names.end(), want) == names.end())
      throw ModelError("the pose model has no output '" + want +
                           "': expected BodyPix MobileNet (stride 16, 640x480)",
                       onnx.string(), want);
}

std::vector<Pose> BodyPixPose::estimate(const cv::Mat& bgr) {
  // Letterbox into the top-left corner of the 640x480 input, keeping the aspect ratio.
  const float scale =
      std::min(static_cast<float>(kInW) / bgr.cols, static_cast<float>(kInH) / bgr.rows);
  const int w = std::max(1, static_cast<int>(std::lround(bgr.cols * scale)));
  const int h = std::max(1, static_cast<int>(std::lround(bgr.rows * scale)));
  cv::Mat rgb, sized;
  cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
  cv::resize(rgb, sized, cv::Size(w, h), 0, 0, cv::INTER_LINEAR);
  cv::Mat canvas(kInH, kInW, CV_32FC3, cv::Scalar(-1, -1, -1));
  sized.convertTo(canvas(cv::Rect(0, 0, w, h)), CV_32FC3, 1.0 / 127.5, -1.0);  // [-1, 1]
  const int shape[] = {1, kInH, kInW, 3};
  net_.setInput(cv::Mat(4, shape, CV_32F, canvas.data));
  std::vector<cv::Mat> out;
  try {
    net_.forward(out, outputs_);
  } catch (const cv::Exception& e) {
    throw ModelError(std::string("the pose model failed: ") + e.what(), path_.string());
  }
  const int want_channels[] = {kKeypoints, 2 * kKeypoints, 2 * kEdges, 2 * kEdges};
  for (std::size_t i = 0; i < out.size(); ++i)
    if (out[i].dims != 4 || out[i].size[1] != kOutH || out[i].size[2] != kOutW ||
        out[i].size[3] != want_channels[i])
      throw ModelError("pose model output '" + outputs_[i] + "' has an unexpected shape",
                       path_.string(), outputs_[i]);
  const Map heat{out[0].ptr<float>(), kKeypoints}, offsets{out[1].ptr<float>(), 2 * kKeypoints};
  const Map fwd{out[2].ptr<float>(), 2 * kEdges}, bwd{out[3].ptr<float>(), 2 * kEdges};

  std::vector<float> score(kOutH * kOutW * kKeypoints);
  for (int i = 0; i < kOutH * kOutW * kKeypoints; ++i)
    score[i] = sigmoid(heat.data[i]);
  auto score_at = [&](int y, int x, int k) { return score[(y * kOutW + x) * kKeypoints + k]; };
  auto cell_of = [](float v, int n) {
    return std::clamp(static_cast<int>(std::lround(v / kStride)), 0, n - 1);
  };
  auto refine = [&](Point p, int k) {
    // Snap to the heatmap cell and add that cell's short-range offset for keypoint k.
    for (int step = 0; step < 2; ++step) {
      const int cy = cell_of(p.y, kOutH), cx = cell_of(p.x, kOutW);
      p = {cy * kStride + offsets.at(cy, cx, k), cx * kStride + offsets.at(cy, cx, k + kKeypoints)};
    }
    return p;
  };

  // Candidate roots: local maxima (3x3) of each keypoint's heatmap above the threshold.
  struct Candidate {
    float score;
    int k, y, x;
  };
  std::vector<Candidate> candidates;
  for (int y = 0; y < kOutH; ++y)
    for (int x = 0; x < kOutW; ++x)
      for (int k = 0; k < kKeypoints; ++k) {
        const float s = score_at(y, x, k);
        if (s < settings_.keypoint_threshold) continue;
        bool peak = true;
        for (int dy = -1; dy <= 1 && peak; ++dy)
          for (int dx = -1; dx <= 1 && peak; ++dx) {
            const int yy = y + dy, xx = x + dx;
            if (yy >= 0 && yy < kOutH && xx >= 0 && xx < kOutW && score_at(yy, xx, k) > s)
              peak = false;
          }
        if (peak) candidates.push_back({s, k, y, x});
      }
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) { return a.score > b.score; });

  struct Raw {
    std::array<Point, kKeypoints> p;
    std::array<float, kKeypoints> s;
  };
  std::vector<Raw> raws;
  std::vector<Pose> poses;
  const float r2 = settings_.nms_radius_px * settings_.nms_radius_px;
  auto near_existing = [&](const Point& p, int k) {
    for (const auto& r : raws) {
      const float dy = r.p[k].y - p.y, dx = r.p[k].x - p.x;
      if (dy * dy + dx * dx <= r2) return true;
    }
    return false;
  };
  for (const auto& c : candidates) {
    if (static_cast<int>(poses.size()) >= settings_.max_poses) break;
    const Point root{c.y * kStride + offsets.at(c.y, c.x, c.k),
                     c.x * kStride + offsets.at(c.y, c.x, c.k + kKeypoints)};
    if (near_existing(root, c.k)) continue;
    Raw raw;
    raw.s.fill(-1.0f);
    raw.p[c.k] = root;
    raw.s[c.k] = c.score;
    auto follow = [&](int from, int to, int edge, const Map& disp) {
      const int cy = cell_of(raw.p[from].y, kOutH), cx = cell_of(raw.p[from].x, kOutW);
      const Point moved{raw.p[from].y + disp.at(cy, cx, edge),
                        raw.p[from].x + disp.at(cy, cx, edge + kEdges)};
      raw.p[to] = refine(moved, to);
      raw.s[to] = score_at(cell_of(raw.p[to].y, kOutH), cell_of(raw.p[to].x, kOutW), to);
    };
    // Towards the nose first (child -> parent), then out to the limbs (parent -> child).
    for (int e = kEdges - 1; e >= 0; --e)
      if (raw.s[kEdge[e][1]] >= 0 && raw.s[kEdge[e][0]] < 0)
        follow(kEdge[e][1], kEdge[e][0], e, bwd);
    for (int e = 0; e < kEdges; ++e)
      if (raw.s[kEdge[e][0]] >= 0 && raw.s[kEdge[e][1]] < 0)
        follow(kEdge[e][0], kEdge[e][1], e, fwd);
    float total = 0;
    for (int k = 0; k < kKeypoints; ++k)
      if (!near_existing(raw.p[k], k)) total += std::max(0.0f, raw.s[k]);
    const float pose_score = total / kKeypoints;
    if (pose_score < settings_.pose_threshold) continue;
    Pose pose;
    pose.score = pose_score;
    for (int k = 0; k < kKeypoints; ++k) {
      pose.keypoints[k] = {std::clamp(raw.p[k].x / scale / bgr.cols, 0.0f, 1.0f),
                           std::clamp(raw.p[k].y / scale / bgr.rows, 0.0f, 1.0f),
                           std::max(0.0f, raw.s[k])};
    }
    raws.push_back(raw);
    poses.push_back(pose);
  }
  return poses;
}

}  // namespace teamor::features::pose
