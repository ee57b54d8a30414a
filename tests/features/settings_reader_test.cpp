// SettingsReader: one wording for every backend's settings errors, files relative to the bundle.
#include "features/settings_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error.h"

namespace teamor::features {
namespace {

struct Example {
  int width = 160;
  float threshold = 0.5f;
  std::string mode = "fast";
  std::vector<float> mean = {0, 0, 0};
  std::filesystem::path model;
};

SettingsReader reader_for(Example& e) {
  SettingsReader r("example", "/bundles/mine");
  r.value("width", e.width)
      .value("threshold", e.threshold)
      .value("mode", e.mode)
      .value("mean", e.mean)
      .file("model", e.model);
  return r;
}

std::string error_of(const nlohmann::json& settings, std::string* position = nullptr) {
  Example e;
  try {
    reader_for(e).read(settings);
  } catch (const ConfigError& error) {
    if (position) *position = error.position();
    return error.what();
  }
  return "";
}

TEST(SettingsReader, SetsListedKeysAndLeavesTheOthersAtTheirDefaults) {
  Example e;
  reader_for(e).read(
      {{"width", 96}, {"mean", {0.1, 0.2, 0.3}}, {"model", "net.onnx"}, {"mode", "exact"}});
  EXPECT_EQ(e.width, 96);
  EXPECT_FLOAT_EQ(e.threshold, 0.5f);
  EXPECT_EQ(e.mode, "exact");
  EXPECT_EQ(e.mean, (std::vector<float>{0.1f, 0.2f, 0.3f}));
  EXPECT_EQ(e.model, std::filesystem::path("/bundles/mine/net.onnx"));
  Example untouched;
  reader_for(untouched).read(nlohmann::json());  // no settings at all
  EXPECT_EQ(untouched.width, 160);
}

TEST(SettingsReader, UnknownKeyNamesItAndEveryKnownKey) {
  std::string position;
  const auto message = error_of({{"widht", 96}}, &position);
  EXPECT_NE(message.find("unknown example setting 'widht'"), std::string::npos) << message;
  EXPECT_NE(message.find("width, threshold, mode, mean, model"), std::string::npos) << message;
  EXPECT_EQ(position, "features.settings.widht");
}

TEST(SettingsReader, WrongTypesAndImpossibleValuesNameTheKey) {
  std::string position;
  auto message = error_of({{"width", "wide"}}, &position);
  EXPECT_NE(message.find("example setting 'width' has the wrong type (found string)"),
            std::string::npos)
      << message;
  EXPECT_EQ(position, "features.settings.width");
  message = error_of({{"mean", 3}});
  EXPECT_NE(message.find("'mean' has the wrong type"), std::string::npos) << message;
  message = error_of(nlohmann::json::array({1, 2}));
  EXPECT_NE(message.find("example settings must be an object"), std::string::npos) << message;

  Example e;
  const auto r = reader_for(e);
  EXPECT_NO_THROW(r.require(true, "width", "positive"));
  try {
    r.require(false, "width", "positive");
    ADD_FAILURE() << "no ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("example setting 'width' must be positive"),
              std::string::npos);
    EXPECT_EQ(error.position(), "features.settings.width");
  }
}

}  // namespace
}  // namespace teamor::features
