#pragma once
// Internal to the skeleton backend: multi-person 2D pose from the BodyPix MobileNet ONNX model
// (17 COCO keypoint heatmaps, short offsets and mid-range displacements at output stride 16),
// run with OpenCV dnn and decoded greedily, person by person, from the strongest keypoint.

#include <array>
#include <filesystem>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

namespace teamor::features::pose {

inline constexpr int kKeypoints = 17;  ///< COCO order: 0 nose, 1 l-eye, ... 16 r-ankle

struct Keypoint {
  float x = 0, y = 0;  ///< normalised image coordinates of the input frame, 0-1
  float score = 0;     ///< heatmap probability, 0-1
};

struct Pose {
  std::array<Keypoint, kKeypoints> keypoints;
  float score = 0;  ///< mean keypoint score, overlap with earlier poses discounted
};

struct PoseSettings {
  float keypoint_threshold = 0.5f;  ///< a root keypoint must score at least this
  float pose_threshold = 0.25f;     ///< poses scoring less are dropped
  float nms_radius_px = 20.0f;      ///< at the 640x480 model input
  int max_poses = 10;
};

/// @brief BodyPix pose estimator (one network; not thread-safe).
class BodyPixPose {
 public:
  /// @throws IoError when @p onnx is missing; ModelError when OpenCV cannot load it or its outputs
  /// are not the expected BodyPix ones
  BodyPixPose(const std::filesystem::path& onnx, PoseSettings settings);
  /// @brief Poses in @p bgr (any size; letterboxed into the 640x480 input).
  std::vector<Pose> estimate(const cv::Mat& bgr);

 private:
  std::filesystem::path path_;
  PoseSettings settings_;
  cv::dnn::Net net_;
  std::vector<std::string> outputs_;
};

}  // namespace teamor::features::pose
