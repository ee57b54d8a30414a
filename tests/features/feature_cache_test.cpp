#include "features/feature_cache.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "io/npy.h"

namespace teamor::features {
namespace {
namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() /
                       ("teamor_feature_cache_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

FeatureSequence make_seq(std::int64_t T, int C) {
  FeatureSequence seq;
  seq.backend = "classic";
  seq.grid = {32, 32, 25.0};
  seq.config_json = R"({"backend":"classic","settings":{"width":160}})";
  for (int c = 0; c < C; ++c)
    seq.channel_names.push_back("ch" + std::to_string(c));
  for (std::int64_t t = 0; t < T; ++t) {
    std::vector<float> r;
    for (int c = 0; c < C; ++c)
      r.push_back(static_cast<float>(t * 100 + c) + 0.25f);
    seq.append(r);
  }
  return seq;
}

TEST(FeatureCache, OwnLayoutRoundTripsValuesGridAndNames) {
  const auto dir = fresh_dir("own");
  const auto seq = make_seq(5, 3);
  write_features(dir, "or01_view1", seq);
  EXPECT_TRUE(fs::exists(dir / "or01_view1.npy"));
  EXPECT_TRUE(fs::exists(dir / "meta.json"));
  EXPECT_TRUE(has_features(dir, "or01_view1"));
  EXPECT_FALSE(has_features(dir, "or02_view1"));
  const auto back = read_features(dir, "or01_view1");
  EXPECT_EQ(back.T, 5);
  EXPECT_EQ(back.C, 3);
  EXPECT_EQ(back.values, seq.values);
  EXPECT_EQ(back.grid, seq.grid);
  EXPECT_EQ(back.backend, "classic");
  EXPECT_EQ(back.channel_names, seq.channel_names);
  EXPECT_EQ(nlohmann::json::parse(back.config_json), nlohmann::json::parse(seq.config_json));
  // A second recording with the same features shares meta.json; different ones are refused.
  write_features(dir, "or02_view1", make_seq(2, 3));
  EXPECT_THROW(write_features(dir, "or03_view1", make_seq(2, 4)), ConfigError);
  auto other = make_seq(2, 3);
  other.backend = "torchscript";
  EXPECT_THROW(write_features(dir, "or04_view1", other), ConfigError);
  EXPECT_THROW(read_features(dir, "missing"), IoError);
  fs::remove_all(dir);
}

TEST(FeatureCache, ReferenceLayoutSplitsAndRejoinsStreams) {
  const auto dir = fresh_dir("ref");
  const auto seq = make_seq(4, 5);
  write_reference_features(dir, "or07_view1", seq, 3);
  const auto scene = io::read_npy(dir / "videomaev2" / "or07_view1.npy");
  const auto skel = io::read_npy(dir / "stgcnpp" / "or07_view1.npy");
  EXPECT_EQ(scene.shape, (std::vector<std::int64_t>{4, 3}));
  EXPECT_EQ(skel.shape, (std::vector<std::int64_t>{4, 2}));
  EXPECT_EQ(skel.to_float32()[1], 4.25f);  // row 0, channel 4
  const auto back = read_features(dir, "or07_view1");
  EXPECT_EQ(back.values, seq.values);
  EXPECT_EQ(back.channel_names, seq.channel_names);
  EXPECT_THROW(write_reference_features(fresh_dir("bad"), "x", seq, 6), ConfigError);
  fs::remove_all(dir);
}

TEST(FeatureCache, ReadsPythonReferenceFeaturesWithTeamOrAlignment) {
  // As Team-OR's load_feature: no meta.json, the skeleton stream 2 rows shorter; its first row is
  // repeated at the front so both streams end together.
  const auto dir = fresh_dir("py");
  fs::create_directories(dir / "videomaev2");
  fs::create_directories(dir / "stgcnpp");
  io::write_npy(dir / "videomaev2" / "or03_view1.npy", {0, 1, 10, 11, 20, 21, 30, 31}, {4, 2});
  io::write_npy(dir / "stgcnpp" / "or03_view1.npy", {5, 6}, {2, 1});
  const auto seq = read_features(dir, "or03_view1");
  EXPECT_EQ(seq.T, 4);
  EXPECT_EQ(seq.C, 3);
  EXPECT_EQ(seq.values, (std::vector<float>{0, 1, 5, 10, 11, 5, 20, 21, 5, 30, 31, 6}));
  EXPECT_EQ(seq.grid, io::ClipGrid{});
  EXPECT_EQ(seq.backend, "reference");
  // A 3-D array is not a feature file.
  io::write_npy(dir / "videomaev2" / "bad_view1.npy", {0, 1}, {1, 1, 2});
  EXPECT_THROW(read_features(dir, "bad_view1"), FormatError);
  fs::remove_all(dir);
}

TEST(FeatureCache, MetaJsonMustMatchTheArray) {
  const auto dir = fresh_dir("meta");
  write_features(dir, "a", make_seq(2, 3));
  io::write_npy(dir / "a.npy", {1, 2, 3, 4}, {2, 2});  // replaced by a file with 2 channels
  EXPECT_THROW(read_features(dir, "a"), FormatError);
  { std::ofstream(dir / "meta.json") << "{ not json"; }
  EXPECT_THROW(read_features(dir, "a"), FormatError);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace teamor::features
