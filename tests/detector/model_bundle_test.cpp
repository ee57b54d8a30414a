// Model bundles: save/load round trip, bad model.json, fixture import + detect end to end.
#include "detector/model_bundle.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "detector/inference.h"
#include "io/safetensors.h"

using namespace teamor::detector;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / "teamor_bundle_test" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

DetectorConfig small(int classes) {
  DetectorConfig c;
  c.dataset.input_dim = 8;
  c.dataset.num_classes = classes;
  c.dataset.max_seq_len = 128;
  c.model.embd_dim = c.model.head_dim = c.model.fpn_dim = 8;
  c.finalize();
  return c;
}

}  // namespace

TEST(ModelBundle, TwoProtocolBundleRoundTripsAndRunsInOnePass) {
  const auto dir = temp_dir("two");
  ModelBundle b;
  b.input_dim = 8;
  b.networks = {{small(1), {"Time-out"}, "detector.safetensors"},
                {small(1), {"StOP?"}, "detector_1.safetensors"}};
  b.provenance.source = "test";
  Network n0(b.networks[0].config), n1(b.networks[1].config);
  save_bundle(dir, b, {state_to_safetensors(n0), state_to_safetensors(n1)});
  EXPECT_TRUE(fs::exists(dir / "detector.safetensors"));
  EXPECT_TRUE(fs::exists(dir / "detector_1.safetensors"));
  const auto back = load_bundle(dir);
  ASSERT_EQ(back.networks.size(), 2u);
  EXPECT_EQ(back.networks[1].labels, std::vector<std::string>{"StOP?"});
  EXPECT_EQ(to_json(back.networks[0].config), to_json(b.networks[0].config));
  BundleDetector det(dir);
  FeatureSequence f;
  f.id = "x";
  f.length = 50;
  f.channels = 8;
  f.values.assign(50 * 8, 0.25f);
  const auto r = det.detect(f);
  bool saw_timeout = false, saw_stop = false;
  for (const auto& d : r.detections) {
    saw_timeout |= d.label == "Time-out";
    saw_stop |= d.label == "StOP?";
  }
  EXPECT_TRUE(saw_timeout && saw_stop);
  f.channels = 7;
  f.values.resize(50 * 7);
  EXPECT_THROW(det.detect(f), teamor::FormatError);
}

TEST(ModelBundle, BadModelJsonNamesTheKey) {
  const auto dir = temp_dir("bad");
  ModelBundle b;
  b.input_dim = 8;
  b.networks = {{small(2), {"Time-out", "StOP?"}, "detector.safetensors"}};
  Network n(b.networks[0].config);
  save_bundle(dir, b, {state_to_safetensors(n)});
  std::ifstream in(dir / "model.json");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  auto write = [&](const std::string& t) { std::ofstream(dir / "model.json") << t; };
  auto expect_key = [&](const std::string& key) {
    try {
      load_bundle(dir);
      ADD_FAILURE() << "no error for " << key;
    } catch (const teamor::ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  };
  write(text.substr(0, text.rfind('}')) + ", \"colour\": 1}");
  expect_key("colour");
  std::string one_label = text;
  one_label.replace(one_label.find("\"StOP?\""), 7, "\"Time-out\"");
  write(one_label);
  expect_key("labels");
  write(text);
  EXPECT_NO_THROW(load_bundle(dir));
  fs::remove(dir / "detector.safetensors");
  EXPECT_THROW(make_network(dir, load_bundle(dir), 0), teamor::IoError);
}

TEST(ModelBundle, ImportedFixtureBundleReproducesTheReferenceDetections) {
  const fs::path fx = fs::path(TEAMOR_SHARED_DIR) / "reference/fixture-v1";
  if (!fs::exists(fx / "model.safetensors")) GTEST_SKIP();
  const auto dir = temp_dir("fixture");
  ModelBundle b;
  auto cfg = load_config(fx / "reference_config.yaml");
  b.networks = {{cfg, {cfg.dataset.seg_name}, "detector.safetensors"}};
  Network net(cfg);
  load_state(net, teamor::io::read_safetensors(fx / "model.safetensors"), "model");
  save_bundle(dir, b, {state_to_safetensors(net)});
  BundleDetector det(dir);
  const auto r = det.detect(load_features(fx / "features", "or08_view1", 1664));
  EXPECT_EQ(r.detections.size(), 118u);  // expected_detections.json, or08_view1
  EXPECT_EQ(r.padded_length, 2304);
  EXPECT_EQ(r.detections[0].label, "11 (Time-Out)");
}
