// The "skeleton" backend: people's keypoints per analysed frame from the BodyPix ONNX model (OpenCV
// dnn), tracked over the clip, then encoded by a TorchScript graph model (e.g. an ST-GCN++ export
// returning [N, D]) when the bundle names one, else by weight-free skeleton statistics
// (features/README.md, "skeleton").
#include <torch/cuda.h>
#include <torch/script.h>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <memory>

#include "common/error.h"
#include "features/bodypix_pose.h"
#include "features/registry.h"
#include "features/settings_reader.h"
#include "features/skeleton_stats.h"

namespace teamor::features {
namespace {

struct SkeletonSettings {
  std::filesystem::path pose_model;   ///< BodyPix ONNX, relative to the bundle
  std::filesystem::path graph_model;  ///< optional TorchScript [1, M, T, 17, 3] -> [1, D]
  int graph_persons = 2;              ///< M: longest tracks fed to the graph model
  int graph_dimension = 0;            ///< D; 0 = found by one forward pass
  int frames_per_clip = 4;            ///< analysed frames per clip (BodyPix costs ~66 ms each)
  int reader_width = 640;             ///< frame size to ask the reader for
  int reader_height = 360;
  pose::PoseSettings pose;
};

SkeletonSettings parse(const nlohmann::json& json, const std::filesystem::path& bundle_dir) {
  SkeletonSettings s;
  SettingsReader r("skeleton", bundle_dir);
  r.file("pose_model", s.pose_model)
      .file("graph_model", s.graph_model)
      .value("graph_persons", s.graph_persons)
      .value("graph_dimension", s.graph_dimension)
      .value("frames_per_clip", s.frames_per_clip)
      .value("reader_width", s.reader_width)
      .value("reader_height", s.reader_height)
      .value("keypoint_threshold", s.pose.keypoint_threshold)
      .value("pose_threshold", s.pose.pose_threshold)
      .value("max_poses", s.pose.max_poses);
  r.read(json);
  r.require(!s.pose_model.empty(), "pose_model",
            "the BodyPix ONNX file (e.g. bodypix-mobilenet050-stride16-480x640.onnx)");
  r.require(s.frames_per_clip >= 2 && s.frames_per_clip <= 256, "frames_per_clip", "in [2, 256]");
  r.require(s.graph_persons >= 1 && s.graph_persons <= 16, "graph_persons", "in [1, 16]");
  r.require(s.reader_width >= 0 && s.reader_height >= 0, "reader_width", ">= 0");
  r.require(s.pose.keypoint_threshold > 0 && s.pose.keypoint_threshold < 1, "keypoint_threshold",
            "in (0, 1)");
  r.require(s.pose.pose_threshold >= 0 && s.pose.pose_threshold < 1, "pose_threshold", "in [0, 1)");
  r.require(s.pose.max_poses >= 1, "max_poses", ">= 1");
  return s;
}

cv::Mat to_bgr(const io::Frame& f) {
  const int type = f.pixel_format == io::PixelFormat::Gray8 ? CV_8UC1 : CV_8UC3;
  const cv::Mat src(f.height, f.width, type, const_cast<std::uint8_t*>(f.data.data()),
                    static_cast<std::size_t>(f.stride));
  cv::Mat bgr;
  if (f.pixel_format == io::PixelFormat::Rgb24)
    cv::cvtColor(src, bgr, cv::COLOR_RGB2BGR);
  else if (f.pixel_format == io::PixelFormat::Gray8)
    cv::cvtColor(src, bgr, cv::COLOR_GRAY2BGR);
  else
    bgr = src;
  return bgr;
}

class SkeletonBackend final : public ViewBackend {
 public:
  SkeletonBackend(SkeletonSettings s, const BackendConfig& config)
      : s_(std::move(s)), pose_(s_.pose_model, s_.pose), device_(torch::kCPU) {
    if (s_.graph_model.empty()) {
      names_ = skeleton::statistic_names();
      return;
    }
    if (config.device.rfind("cuda", 0) == 0) {
      if (!torch::cuda::is_available())
        throw ConfigError("device '" + config.device + "' asked for, but no CUDA is available", {},
                          "features.device");
      device_ = torch::Device(config.device);
    }
    if (!std::filesystem::exists(s_.graph_model))
      throw IoError("the skeleton graph model's TorchScript file is missing",
                    s_.graph_model.string());
    try {
      graph_ = torch::jit::load(s_.graph_model.string(), device_);
    } catch (const c10::Error& e) {
      throw ModelError(std::string("cannot load TorchScript module: ") + e.what_without_backtrace(),
                       s_.graph_model.string());
    }
    graph_->eval();
    if (s_.graph_dimension == 0)
      s_.graph_dimension = static_cast<int>(
          encode(skeleton::graph_input({}, s_.frames_per_clip, s_.graph_persons)).size());
    char buf[32];
    for (int i = 0; i < s_.graph_dimension; ++i) {
      std::snprintf(buf, sizeof buf, "graph.%04d", i);
      names_.push_back(buf);
    }
  }

  int dimension() const override { return static_cast<int>(names_.size()); }
  std::vector<std::string> channel_names() const override { return names_; }
  io::FrameFormat input_format() const override {
    return {s_.reader_width, s_.reader_height, io::PixelFormat::Rgb24};
  }
  int frames_per_clip() const override { return s_.frames_per_clip; }
  void begin(std::size_t) override {}

  void extract(std::span<const ViewClip> clips, std::span<float> out) override {
    const std::size_t dim = names_.size();
    for (std::size_t i = 0; i < clips.size(); ++i) {
      std::vector<std::vector<pose::Pose>> frames;
      for (const io::Frame* f : clips[i].frames)
        frames.push_back(pose_.estimate(to_bgr(*f)));
      const auto tracks = skeleton::track(frames);
      float* dst = out.data() + i * dim;
      if (!graph_) {
        skeleton::statistics(frames, tracks, dst);
        continue;
      }
      const auto v =
          encode(skeleton::graph_input(tracks, static_cast<int>(frames.size()), s_.graph_persons));
      if (v.size() != dim)
        throw ModelError("the graph model returned " + std::to_string(v.size()) +
                             " values, expected " + std::to_string(dim),
                         s_.graph_model.string());
      std::copy(v.begin(), v.end(), dst);
    }
  }

 private:
  std::vector<float> encode(std::vector<float> input) {
    torch::NoGradGuard no_grad;
    auto x = torch::from_blob(input.data(),
                              {1, s_.graph_persons, s_.frames_per_clip, pose::kKeypoints, 3},
                              torch::kFloat32)
                 .to(device_);
    torch::IValue y;
    try {
      y = graph_->forward({x});
    } catch (const std::exception& e) {
      throw ModelError(std::string("the graph model failed on [1, M, T, 17, 3]: ") + e.what(),
                       s_.graph_model.string());
    }
    if (!y.isTensor() || y.toTensor().dim() != 2 || y.toTensor().size(0) != 1)
      throw ModelError("the graph model must return one tensor [1, D]", s_.graph_model.string());
    auto t = y.toTensor().to(torch::kCPU).to(torch::kFloat32).contiguous();
    return {t.data_ptr<float>(), t.data_ptr<float>() + t.numel()};
  }

  SkeletonSettings s_;
  pose::BodyPixPose pose_;
  torch::Device device_;
  std::optional<torch::jit::Module> graph_;
  std::vector<std::string> names_;
};

}  // namespace

std::unique_ptr<ViewBackend> make_skeleton_backend(const BackendConfig& config,
                                                   const std::filesystem::path& bundle_dir) {
  return std::make_unique<SkeletonBackend>(parse(config.settings, bundle_dir), config);
}

}  // namespace teamor::features
