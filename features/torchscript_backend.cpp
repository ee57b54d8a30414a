// The "torchscript" backend: a scene-context model (e.g. VideoMAEv2 exported by
// models/tools/export_videomaev2.py) run by LibTorch on batches of clips. The input contract lives
// in the bundle's settings (features/README.md): frames per clip and where they sit in the clip,
// size, mean/std, tensor layout. Defaults reproduce VideoMAEv2's extract_tad_feature.py
// (FEATURES_SPEC A.2).
#include <torch/script.h>
#include <torch/torch.h>

#include <cstdio>
#include <memory>

#include "common/error.h"
#include "features/registry.h"
#include "features/settings_reader.h"

namespace teamor::features {
namespace {

struct TorchScriptSettings {
  std::filesystem::path module;     ///< .pt file, relative to the bundle
  int frames_per_clip = 16;         ///< frames fed to the model per clip
  std::string sampling = "spread";  ///< spread: k = j*clip/n (32i+2j); head: the first n frames
  int width = 224;                  ///< model input width, pixels
  int height = 224;                 ///< model input height, pixels
  int reader_width = 0;             ///< size to ask the reader for (0 = native, as the reference)
  int reader_height = 0;
  std::vector<float> mean = {0, 0, 0};  ///< per RGB channel, on the [0, 1] scale
  std::vector<float> std = {1, 1, 1};
  std::string layout = "BCTHW";  ///< BCTHW (VideoMAEv2) or BTCHW
  int dimension = 0;             ///< output length; 0 = found by one probe forward pass
  std::string prefix = "scene";  ///< channel names: prefix.0000 ...
};

TorchScriptSettings parse(const nlohmann::json& json, const std::filesystem::path& bundle_dir) {
  TorchScriptSettings s;
  SettingsReader r("torchscript", bundle_dir);
  r.file("module", s.module)
      .value("frames_per_clip", s.frames_per_clip)
      .value("sampling", s.sampling)
      .value("width", s.width)
      .value("height", s.height)
      .value("reader_width", s.reader_width)
      .value("reader_height", s.reader_height)
      .value("mean", s.mean)
      .value("std", s.std)
      .value("layout", s.layout)
      .value("dimension", s.dimension)
      .value("prefix", s.prefix);
  r.read(json);
  r.require(!s.module.empty(), "module", "the TorchScript file of the scene model");
  r.require(s.frames_per_clip >= 1 && s.frames_per_clip <= 1024, "frames_per_clip", "in [1, 1024]");
  r.require(s.sampling == "spread" || s.sampling == "head", "sampling", "spread or head");
  r.require(s.width >= 1 && s.height >= 1, "width", "positive (width and height)");
  r.require(s.reader_width >= 0 && s.reader_height >= 0, "reader_width", ">= 0");
  r.require(s.mean.size() == 3, "mean", "3 values (R, G, B)");
  r.require(s.std.size() == 3 && s.std[0] > 0 && s.std[1] > 0 && s.std[2] > 0, "std",
            "3 positive values (R, G, B)");
  r.require(s.layout == "BCTHW" || s.layout == "BTCHW", "layout", "BCTHW or BTCHW");
  r.require(s.dimension >= 0, "dimension", ">= 0");
  return s;
}

torch::Device parse_device(const std::string& device) {
  if (device.rfind("cuda", 0) == 0 && !torch::cuda::is_available())
    throw ConfigError("device '" + device +
                          "' asked for, but this LibTorch has no CUDA or no GPU is visible; use "
                          "--device cpu",
                      {}, "features.device");
  return torch::Device(device);
}

class TorchScriptBackend final : public ViewBackend {
 public:
  TorchScriptBackend(TorchScriptSettings s, const BackendConfig& config)
      : s_(std::move(s)), device_(parse_device(config.device)), batch_(config.batch_clips) {
    if (!std::filesystem::exists(s_.module))
      throw IoError("the scene model's TorchScript file is missing", s_.module.string());
    try {
      module_ = torch::jit::load(s_.module.string(), device_);
    } catch (const c10::Error& e) {
      throw ModelError(std::string("cannot load TorchScript module: ") + e.what_without_backtrace(),
                       s_.module.string());
    }
    module_.eval();
    mean_ = torch::tensor(s_.mean).view({3, 1, 1});
    std_ = torch::tensor(s_.std).view({3, 1, 1});
    if (s_.dimension == 0) {
      // One forward pass of a blank clip tells the output length.
      const torch::Tensor out = forward(torch::zeros(input_shape(1)));
      s_.dimension = static_cast<int>(out.size(1));
    }
  }

  int dimension() const override { return s_.dimension; }
  std::vector<std::string> channel_names() const override {
    std::vector<std::string> names;
    char buf[32];
    for (int i = 0; i < s_.dimension; ++i) {
      std::snprintf(buf, sizeof buf, "%04d", i);
      names.push_back(s_.prefix + "." + buf);
    }
    return names;
  }
  io::FrameFormat input_format() const override {
    return {s_.reader_width, s_.reader_height, io::PixelFormat::Rgb24};
  }
  int frames_per_clip() const override { return s_.frames_per_clip; }
  std::vector<int> frame_indices(int clip_frames) const override {
    if (s_.sampling == "spread") return ViewBackend::frame_indices(clip_frames);
    std::vector<int> head;
    for (int k = 0; k < std::min(s_.frames_per_clip, clip_frames); ++k)
      head.push_back(k);
    return head;
  }
  void begin(std::size_t) override {}

  void extract(std::span<const ViewClip> clips, std::span<float> out) override {
    torch::NoGradGuard no_grad;
    for (std::size_t start = 0; start < clips.size(); start += batch_) {
      const std::size_t end = std::min(clips.size(), start + batch_);
      std::vector<torch::Tensor> items;
      for (std::size_t i = start; i < end; ++i)
        items.push_back(preprocess(clips[i]));
      const torch::Tensor y = forward(torch::stack(items)).to(torch::kCPU).to(torch::kFloat32);
      if (y.size(0) != static_cast<std::int64_t>(end - start) || y.size(1) != s_.dimension)
        throw ModelError("the scene model returned [" + std::to_string(y.size(0)) + ", " +
                             std::to_string(y.size(1)) + "] for a batch of " +
                             std::to_string(end - start) + ", expected [" +
                             std::to_string(end - start) + ", " + std::to_string(s_.dimension) +
                             "]",
                         s_.module.string());
      const auto contiguous = y.contiguous();
      std::copy_n(contiguous.data_ptr<float>(), contiguous.numel(),
                  out.data() + start * s_.dimension);
    }
  }

 private:
  std::vector<std::int64_t> input_shape(std::int64_t b) const {
    if (s_.layout == "BCTHW") return {b, 3, s_.frames_per_clip, s_.height, s_.width};
    return {b, s_.frames_per_clip, 3, s_.height, s_.width};
  }

  /// One clip as the model wants it, without the batch axis.
  torch::Tensor preprocess(const ViewClip& clip) const {
    std::vector<torch::Tensor> frames;  // each [3, H, W] float in [0, 1]
    for (const io::Frame* f : clip.frames) {
      const int channels = f->pixel_format == io::PixelFormat::Gray8 ? 1 : 3;
      auto t = torch::from_blob(const_cast<std::uint8_t*>(f->data.data()),
                                {f->height, f->width, channels}, {f->stride, channels, 1},
                                torch::kUInt8);
      t = t.permute({2, 0, 1}).to(torch::kFloat32).div_(255.0);
      if (channels == 1) t = t.expand({3, f->height, f->width});
      if (f->pixel_format == io::PixelFormat::Bgr24) t = t.flip({0});
      frames.push_back(t);
    }
    torch::Tensor x;
    try {
      x = torch::stack(frames);  // [T, 3, H, W]
    } catch (const c10::Error&) {
      throw ConfigError("the frames of one clip differ in size (view " + std::to_string(clip.view) +
                        ")");
    }
    if (x.size(2) != s_.height || x.size(3) != s_.width) {
      // As the reference: bilinear, align_corners false, no antialiasing, on float data.
      namespace F = torch::nn::functional;
      x = F::interpolate(x, F::InterpolateFuncOptions()
                                .size(std::vector<std::int64_t>{s_.height, s_.width})
                                .mode(torch::kBilinear)
                                .align_corners(false));
    }
    x = (x - mean_) / std_;
    if (s_.layout == "BCTHW") x = x.permute({1, 0, 2, 3});  // [3, T, H, W]
    return x.contiguous();
  }

  torch::Tensor forward(const torch::Tensor& input) {
    torch::NoGradGuard no_grad;
    torch::IValue result;
    try {
      result = module_.forward({input.to(device_)});
    } catch (const std::exception& e) {
      throw ModelError(std::string("the scene model failed on input ") + c10::str(input.sizes()) +
                           ": " + e.what(),
                       s_.module.string());
    }
    if (!result.isTensor())
      throw ModelError(
          "the scene model must return one tensor [B, D], it returned " + result.tagKind(),
          s_.module.string());
    torch::Tensor y = result.toTensor();
    if (y.dim() != 2)
      throw ModelError("the scene model must return [B, D], it returned " + c10::str(y.sizes()),
                       s_.module.string());
    return y;
  }

  TorchScriptSettings s_;
  torch::Device device_;
  std::size_t batch_;
  torch::jit::Module module_;
  torch::Tensor mean_, std_;
};

}  // namespace

std::unique_ptr<ViewBackend> make_torchscript_backend(const BackendConfig& config,
                                                      const std::filesystem::path& bundle_dir) {
  return std::make_unique<TorchScriptBackend>(parse(config.settings, bundle_dir), config);
}

}  // namespace teamor::features
