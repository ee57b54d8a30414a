// FeatureExtractor's fusion and frame handling, with a tiny backend whose output is predictable.
#include "features/feature_extractor.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "features/registry.h"
#include "features/view_backend.h"

namespace teamor::features {
namespace {

/// Outputs, per view clip: [first pixel of frame 0, mean first pixel over frames, view index].
class ProbeBackend final : public ViewBackend {
 public:
  int dimension() const override { return 3; }
  std::vector<std::string> channel_names() const override { return {"first", "mean", "view"}; }
  io::FrameFormat input_format() const override { return {8, 8, io::PixelFormat::Gray8}; }
  int frames_per_clip() const override { return 4; }
  void begin(std::size_t views) override { begun_views = views; }
  void extract(std::span<const ViewClip> clips, std::span<float> out) override {
    ++calls;
    for (std::size_t i = 0; i < clips.size(); ++i) {
      EXPECT_EQ(clips[i].frames.size(), 4u);
      float sum = 0;
      for (const auto* f : clips[i].frames)
        sum += f->data[0];
      out[i * 3] = clips[i].frames[0]->data[0];
      out[i * 3 + 1] = sum / 4;
      out[i * 3 + 2] = static_cast<float>(clips[i].view);
    }
  }
  std::size_t begun_views = 0;
  int calls = 0;
};

io::Frame gray(std::uint8_t value) {
  io::Frame f;
  f.width = f.height = f.stride = 8;
  f.pixel_format = io::PixelFormat::Gray8;
  f.data.assign(64, value);
  return f;
}

/// A whole 32-frame clip row whose frame k has value base + k.
std::vector<std::optional<io::Frame>> row(int base) {
  std::vector<std::optional<io::Frame>> r;
  for (int k = 0; k < 32; ++k)
    r.emplace_back(gray(static_cast<std::uint8_t>(base + k)));
  return r;
}

std::vector<io::View> views3() {
  return {{"c1", "c1.mp4", io::ViewRole::Ceiling, 0},
          {"endo", "e.mp4", io::ViewRole::Endoscope, 0},
          {"c2", "c2.mp4", io::ViewRole::Other, 0}};
}

TEST(FeatureExtractor, MeanFusionPoolsCeilingViewsAndFlagsPresence) {
  BackendConfig config;
  auto* probe = new ProbeBackend;
  FeatureExtractor fx(std::unique_ptr<ViewBackend>(probe), config);
  const auto views = views3();
  ASSERT_EQ(fx.dimension(views), 8);  // (3 + 1) ceiling + (3 + 1) endoscope
  EXPECT_EQ(fx.channel_names(views),
            (std::vector<std::string>{"ceiling.first", "ceiling.mean", "ceiling.view",
                                      "ceiling.present", "endoscope.first", "endoscope.mean",
                                      "endoscope.view", "endoscope.present"}));
  fx.begin(views);
  EXPECT_EQ(probe->begun_views, 3u);
  // Frames used: k = 0, 8, 16, 24.
  auto v = fx.extract_clip({row(0), row(100), row(50)});
  EXPECT_EQ(v, (std::vector<float>{25, 37, 1, 1, 100, 112, 1, 1}));
  // Ceiling view 2 missing entirely: mean over the one present view, presence 1/2.
  std::vector<std::optional<io::Frame>> missing(32);
  v = fx.extract_clip({row(0), row(100), missing});
  EXPECT_EQ(v, (std::vector<float>{0, 12, 0, 0.5f, 100, 112, 1, 1}));
  // Endoscope missing: zeros and presence 0.
  v = fx.extract_clip({row(0), missing, row(50)});
  EXPECT_EQ(v, (std::vector<float>{25, 37, 1, 1, 0, 0, 0, 0}));
}

TEST(FeatureExtractor, MaxAndConcatFusion) {
  BackendConfig config;
  config.fusion.ceiling = CeilingFusion::Max;
  config.fusion.endoscope = false;
  FeatureExtractor max_fx(std::make_unique<ProbeBackend>(), config);
  max_fx.begin(views3());
  EXPECT_EQ(max_fx.extract_clip({row(0), row(100), row(50)}), (std::vector<float>{50, 62, 2, 1}));

  config.fusion.ceiling = CeilingFusion::Concat;
  config.fusion.ceiling_slots = 3;
  FeatureExtractor cat_fx(std::make_unique<ProbeBackend>(), config);
  const auto views = views3();
  EXPECT_EQ(cat_fx.dimension(views), 12);
  EXPECT_EQ(cat_fx.channel_names(views)[4], "ceiling2.first");
  cat_fx.begin(views);
  std::vector<std::optional<io::Frame>> missing(32);
  EXPECT_EQ(cat_fx.extract_clip({missing, row(100), row(50)}),
            (std::vector<float>{0, 0, 0, 0, 50, 62, 2, 1, 0, 0, 0, 0}));

  config.fusion.ceiling_slots = 1;  // fewer slots than ceiling views
  FeatureExtractor small(std::make_unique<ProbeBackend>(), config);
  EXPECT_THROW(small.dimension(views), ConfigError);
  EXPECT_THROW(small.begin(views), ConfigError);
}

TEST(FeatureExtractor, FillsMissingFramesFromNearestAndAcceptsSampledClips) {
  BackendConfig config;
  config.fusion.endoscope = false;
  FeatureExtractor fx(std::make_unique<ProbeBackend>(), config);
  const std::vector<io::View> views = {{"c1", "c1.mp4", io::ViewRole::Ceiling, 0}};
  fx.begin(views);
  auto r = row(0);
  r[0].reset();   // frame 0 missing -> nearest present of the picked ones (k = 8)
  r[16].reset();  // tie between 8 and 24 -> earlier
  EXPECT_EQ(fx.extract_clip({r}), (std::vector<float>{8, (8 + 8 + 8 + 24) / 4.0f, 0, 1}));
  // Already sampled: exactly frames_per_clip frames.
  std::vector<std::optional<io::Frame>> sampled = {gray(1), gray(2), gray(3), gray(4)};
  EXPECT_EQ(fx.extract_clip({sampled}), (std::vector<float>{1, 2.5f, 0, 1}));
  // Any other count is an error naming the view.
  std::vector<std::optional<io::Frame>> odd(5, gray(1));
  EXPECT_THROW(fx.extract_clip({odd}), ConfigError);
  EXPECT_THROW(fx.extract_clip({r, r}), ConfigError);  // two views, one expected
  // A grid whose clips are shorter than the frames the backend wants.
  EXPECT_THROW(fx.begin(views, {2, 2, 30.0}), ConfigError);
}

TEST(FeatureExtractor, BatchesClipsIntoOneBackendCall) {
  BackendConfig config;
  auto* probe = new ProbeBackend;
  FeatureExtractor fx(std::unique_ptr<ViewBackend>(probe), config);
  fx.begin(views3());
  const auto out = fx.extract_clips({{row(0), row(100), row(50)}, {row(1), row(101), row(51)}});
  EXPECT_EQ(probe->calls, 1);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1], (std::vector<float>{26, 38, 1, 1, 101, 113, 1, 1}));
}

TEST(FeatureExtractor, NeedsBeginAndKnownBackend) {
  FeatureExtractor fx(std::make_unique<ProbeBackend>(), BackendConfig{});
  EXPECT_THROW(fx.extract_clip({row(0)}), ConfigError);
  BackendConfig unknown;
  unknown.backend = "no-such-backend";
  try {
    FeatureExtractor::create(unknown, {});
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("no-such-backend"), std::string::npos);
  }
}

TEST(FeatureExtractor, RegistryBuildsRegisteredBackends) {
  register_backend("probe-test", [](const BackendConfig&, const std::filesystem::path&) {
    return std::make_unique<ProbeBackend>();
  });
  const auto names = backend_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "probe-test"), names.end());
  BackendConfig config;
  config.backend = "probe-test";
  auto fx = FeatureExtractor::create(config, {});
  EXPECT_EQ(fx->backend_name(), "probe-test");
  EXPECT_EQ(fx->view_dimension(), 3);
  const auto seq = fx->make_sequence(views3());
  EXPECT_EQ(seq.C, 8);
  EXPECT_EQ(seq.backend, "probe-test");
  EXPECT_EQ(seq.T, 0);
}

}  // namespace
}  // namespace teamor::features
