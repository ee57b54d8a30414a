#include "features/backend_config.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "features/feature_sequence.h"

namespace teamor::features {
namespace {

TEST(BackendConfig, ReadsAndWritesTheFeaturesEntry) {
  const auto json = nlohmann::json::parse(R"({"backend": "torchscript", "device": "cuda",
      "batch_clips": 4, "fusion": {"ceiling": "concat", "ceiling_slots": 2, "endoscope": false},
      "settings": {"module": "scene.pt"}})");
  const auto config = BackendConfig::from_json(json);
  EXPECT_EQ(config.backend, "torchscript");
  EXPECT_EQ(config.device, "cuda");
  EXPECT_EQ(config.batch_clips, 4);
  EXPECT_EQ(config.fusion.ceiling, CeilingFusion::Concat);
  EXPECT_EQ(config.fusion.ceiling_slots, 2);
  EXPECT_FALSE(config.fusion.endoscope);
  EXPECT_EQ(config.settings.at("module"), "scene.pt");
  EXPECT_EQ(BackendConfig::from_json(config.to_json()).to_json(), config.to_json());
  // Defaults: classic, mean fusion, endoscope block.
  const auto d = BackendConfig::from_json(nlohmann::json::object());
  EXPECT_EQ(d.backend, "classic");
  EXPECT_EQ(d.fusion.ceiling, CeilingFusion::Mean);
  EXPECT_TRUE(d.fusion.endoscope);
}

TEST(BackendConfig, RejectsUnknownKeysAndImpossibleValues) {
  auto bad = [](const char* text) {
    try {
      BackendConfig::from_json(nlohmann::json::parse(text));
    } catch (const ConfigError& e) {
      return e.position();
    }
    return std::string("no error");
  };
  EXPECT_EQ(bad(R"({"backnd": "classic"})"), "features.backnd");
  EXPECT_EQ(bad(R"({"device": "tpu"})"), "features.device");
  EXPECT_EQ(bad(R"({"batch_clips": 0})"), "features.batch_clips");
  EXPECT_EQ(bad(R"({"batch_clips": "many"})"), "features.batch_clips");
  EXPECT_EQ(bad(R"({"fusion": {"ceiling": "median"}})"), "features.fusion.ceiling");
  EXPECT_EQ(bad(R"({"fusion": {"ceiling": "concat"}})"), "features.fusion.ceiling_slots");
  EXPECT_EQ(bad(R"({"fusion": {"views": 2}})"), "features.fusion.views");
  EXPECT_EQ(bad(R"({"settings": [1]})"), "features.settings");
  EXPECT_EQ(bad(R"([1, 2])"), "features");
}

TEST(FeatureSequence, AppendsRowsAndMapsRowsToSeconds) {
  FeatureSequence seq;
  seq.append({1, 2, 3});
  seq.append({4, 5, 6});
  EXPECT_EQ(seq.T, 2);
  EXPECT_EQ(seq.C, 3);
  EXPECT_EQ(seq.row(1)[2], 6);
  EXPECT_THROW(seq.append({1, 2}), ConfigError);
  // Reference convention: row g centred on frame 32 g + 16 at 30 fps.
  EXPECT_DOUBLE_EQ(seq.time_s(0), 16.0 / 30.0);
  EXPECT_DOUBLE_EQ(seq.time_s(10), 336.0 / 30.0);
  seq.channel_names = {"a", "b", "c"};
  EXPECT_EQ(seq.channel("c"), 2);
  EXPECT_EQ(seq.channel("z"), -1);
}

}  // namespace
}  // namespace teamor::features
