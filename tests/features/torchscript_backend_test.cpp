// The torchscript backend's C++ side, with small TorchScript modules made at test time by Debian's
// python3-torch (skipped when /usr/bin/python3 has no torch). The modules report what they were fed
// (per-channel means, pixel (0, 0) of each frame, the input's shape), so the input contract (frame
// sampling, resize, mean/std, layout, batching) is checked value by value.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "common/error.h"
#include "features/feature_extractor.h"

namespace teamor::features {
namespace {
namespace fs = std::filesystem;

constexpr const char* kScript = R"PY(
import sys, torch

class ProbeBCTHW(torch.nn.Module):
    def forward(self, x):
        b = x.shape[0]
        shape = torch.tensor([x.shape[1], x.shape[2], x.shape[3], x.shape[4]], dtype=torch.float32)
        return torch.cat([x.mean(dim=(2, 3, 4)), x[:, 0, :, 0, 0], shape.expand(b, 4)], dim=1)

class ProbeBTCHW(torch.nn.Module):
    def forward(self, x):
        b = x.shape[0]
        shape = torch.tensor([x.shape[1], x.shape[2], x.shape[3], x.shape[4]], dtype=torch.float32)
        return torch.cat([x.mean(dim=(1, 3, 4)), x[:, :, 0, 0, 0], shape.expand(b, 4)], dim=1)

class Tuple(torch.nn.Module):
    def forward(self, x):
        return (x.mean(), x.sum())

class Flatten(torch.nn.Module):
    def forward(self, x):
        return x.flatten(1)

out = sys.argv[1]
torch.jit.script(Flatten()).save(out + "/flatten.pt")
# FEATURES_SPEC A.2 steps 2-5 on frames with pixel = (x + 2y + 7t + 50c) mod 256, 2 frames of
# 12 x 20 (H x W) resized to 6 x 8: the C++ preprocessing must give the same tensor.
import torch.nn.functional as F
t, h, w = 2, 12, 20
frames = torch.zeros(t, h, w, 3, dtype=torch.uint8)
for ti in range(t):
    for y in range(h):
        for x in range(w):
            for c in range(3):
                frames[ti, y, x, c] = (x + 2 * y + 7 * ti + 50 * c) % 256
v = frames.permute(3, 0, 1, 2).float() / 255.0
v = F.interpolate(v, size=(6, 8), mode="bilinear", align_corners=False)
with open(out + "/expected.txt", "w") as f:
    f.write(" ".join("%.9g" % a for a in v.unsqueeze(0).flatten().tolist()))
torch.jit.script(ProbeBCTHW()).save(out + "/bcthw.pt")
torch.jit.script(ProbeBTCHW()).save(out + "/btchw.pt")
torch.jit.script(Tuple()).save(out + "/tuple.pt")
)PY";

/// The folder of python-made modules, removed when the test binary exits.
struct ModuleDir {
  fs::path path;
  ~ModuleDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path.parent_path(), ec);
  }
};

/// Makes the modules once per test binary run; empty path when python3-torch is unavailable.
const fs::path& module_dir() {
  static const ModuleDir dir = [] {
    if (!fs::exists("/usr/bin/python3")) return ModuleDir{};
    const fs::path root =
        fs::temp_directory_path() / ("teamor_ts_test_" + std::to_string(::getpid()));
    const fs::path d = root / "modules";
    fs::create_directories(d);
    std::ofstream(d / "make.py") << kScript;
    const std::string cmd = "/usr/bin/python3 " + (d / "make.py").string() + " " + d.string() +
                            " > " + (d / "log.txt").string() + " 2>&1";
    if (std::system(cmd.c_str()) != 0) {
      fs::remove_all(root);
      return ModuleDir{};
    }
    return ModuleDir{d};
  }();
  return dir.path;
}

io::Frame solid(int w, int h, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
  io::Frame f;
  f.width = w;
  f.height = h;
  f.stride = 3 * w;
  f.data.resize(static_cast<std::size_t>(f.stride) * h);
  for (int i = 0; i < w * h; ++i) {
    f.data[3 * i] = r;
    f.data[3 * i + 1] = g;
    f.data[3 * i + 2] = b;
  }
  return f;
}

/// A 32-frame clip of one view; frame k is solid (base + 2k, 100, 200).
ClipFrames clip(int base) {
  std::vector<std::optional<io::Frame>> r;
  for (int k = 0; k < 32; ++k)
    r.emplace_back(solid(16, 12, static_cast<std::uint8_t>(base + 2 * k), 100, 200));
  return {r};
}

BackendConfig config_for(const std::string& module, const std::string& layout) {
  BackendConfig c;
  c.backend = "torchscript";
  c.fusion.endoscope = false;
  c.batch_clips = 2;
  c.settings = {{"module", module}, {"frames_per_clip", 4},    {"width", 8},
                {"height", 6},      {"mean", {0.5, 0.5, 0.5}}, {"std", {0.5, 0.25, 0.5}},
                {"layout", layout}};
  return c;
}

const std::vector<io::View> kViews = {{"c1", "c1.mp4", io::ViewRole::Ceiling, 0}};

float norm(double v, double mean, double std) {
  return static_cast<float>((v / 255.0 - mean) / std);
}

TEST(TorchScriptBackend, FeedsSampledNormalisedClipsInBatches) {
  if (module_dir().empty()) GTEST_SKIP() << "/usr/bin/python3 with torch is not available";
  for (const std::string layout : {"BCTHW", "BTCHW"}) {
    SCOPED_TRACE(layout);
    auto fx = FeatureExtractor::create(
        config_for(layout == "BCTHW" ? "bcthw.pt" : "btchw.pt", layout), module_dir());
    ASSERT_EQ(fx->view_dimension(), 3 + 4 + 4);  // found by a probe forward pass
    EXPECT_EQ(fx->frame_indices({}), (std::vector<int>{0, 8, 16, 24}));
    EXPECT_EQ(fx->channel_names(kViews)[0], "ceiling.scene.0000");
    fx->begin(kViews);
    const auto out = fx->extract_clips({clip(0), clip(10), clip(20)});  // batches of 2 + 1
    ASSERT_EQ(out.size(), 3u);
    for (int c = 0; c < 3; ++c) {
      const auto& v = out[c];
      ASSERT_EQ(v.size(), 12u);
      const double red_mean = 10 * c + (0 + 16 + 32 + 48) / 4.0;
      EXPECT_NEAR(v[0], norm(red_mean, 0.5, 0.5), 1e-5);
      EXPECT_NEAR(v[1], norm(100, 0.5, 0.25), 1e-5);
      EXPECT_NEAR(v[2], norm(200, 0.5, 0.5), 1e-5);
      for (int j = 0; j < 4; ++j)
        EXPECT_NEAR(v[3 + j], norm(10 * c + 2 * (8 * j), 0.5, 0.5), 1e-5);
      const std::vector<float> shape =
          layout == "BCTHW" ? std::vector<float>{3, 4, 6, 8} : std::vector<float>{4, 3, 6, 8};
      EXPECT_EQ(std::vector<float>(v.begin() + 7, v.begin() + 11), shape);
      EXPECT_EQ(v[11], 1.0f);  // present
    }
  }
}

TEST(TorchScriptBackend, PreprocessingMatchesTheReferenceResize) {
  if (module_dir().empty()) GTEST_SKIP() << "/usr/bin/python3 with torch is not available";
  BackendConfig config;
  config.backend = "torchscript";
  config.fusion.endoscope = false;
  config.settings = {{"module", "flatten.pt"},
                     {"frames_per_clip", 2},
                     {"width", 8},
                     {"height", 6},
                     {"sampling", "head"}};
  auto fx = FeatureExtractor::create(config, module_dir());
  ASSERT_EQ(fx->view_dimension(), 3 * 2 * 6 * 8);
  fx->begin(kViews);
  std::vector<std::optional<io::Frame>> frames;
  for (int t = 0; t < 2; ++t) {
    io::Frame f = solid(20, 12, 0, 0, 0);
    for (int y = 0; y < 12; ++y)
      for (int x = 0; x < 20; ++x)
        for (int c = 0; c < 3; ++c)
          f.row(y)[3 * x + c] = static_cast<std::uint8_t>((x + 2 * y + 7 * t + 50 * c) % 256);
    frames.emplace_back(std::move(f));
  }
  const auto v = fx->extract_clip({frames});  // already sampled: 2 frames
  std::ifstream in(module_dir() / "expected.txt");
  std::vector<float> expected;
  for (float x; in >> x;)
    expected.push_back(x);
  ASSERT_EQ(expected.size(), 288u);
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(v[i], expected[i], 1e-6) << i;
}

TEST(TorchScriptBackend, HeadSamplingTakesTheFirstFrames) {
  if (module_dir().empty()) GTEST_SKIP() << "/usr/bin/python3 with torch is not available";
  auto config = config_for("bcthw.pt", "BCTHW");
  config.settings["sampling"] = "head";
  config.settings["dimension"] = 11;
  auto fx = FeatureExtractor::create(config, module_dir());
  EXPECT_EQ(fx->frame_indices({}), (std::vector<int>{0, 1, 2, 3}));
  fx->begin(kViews);
  const auto v = fx->extract_clip(clip(0));
  for (int j = 0; j < 4; ++j)
    EXPECT_NEAR(v[3 + j], norm(2 * j, 0.5, 0.5), 1e-5);
}

TEST(TorchScriptBackend, ReportsBadModulesAndSettings) {
  if (module_dir().empty()) GTEST_SKIP() << "/usr/bin/python3 with torch is not available";
  EXPECT_THROW(FeatureExtractor::create(config_for("tuple.pt", "BCTHW"), module_dir()), ModelError);
  EXPECT_THROW(FeatureExtractor::create(config_for("missing.pt", "BCTHW"), module_dir()), IoError);
  { std::ofstream(module_dir() / "garbage.pt") << "not a zip archive"; }
  EXPECT_THROW(FeatureExtractor::create(config_for("garbage.pt", "BCTHW"), module_dir()),
               ModelError);
  EXPECT_THROW(FeatureExtractor::create(config_for("bcthw.pt", "CTHW"), module_dir()), ConfigError);
  auto wrong_dim = config_for("bcthw.pt", "BCTHW");
  wrong_dim.settings["dimension"] = 5;  // the module returns 11 values
  auto fx = FeatureExtractor::create(wrong_dim, module_dir());
  fx->begin(kViews);
  EXPECT_THROW(fx->extract_clip(clip(0)), ModelError);
}

TEST(TorchScriptBackend, CudaWithoutGpuIsAConfigError) {
  if (module_dir().empty()) GTEST_SKIP() << "/usr/bin/python3 with torch is not available";
  auto config = config_for("bcthw.pt", "BCTHW");
  config.device = "cuda";
  try {
    auto fx = FeatureExtractor::create(config, module_dir());
    // A CUDA LibTorch with a GPU: then it must run there.
    fx->begin(kViews);
    EXPECT_EQ(fx->extract_clip(clip(0)).size(), 12u);
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("cuda"), std::string::npos);
  }
}

}  // namespace
}  // namespace teamor::features
