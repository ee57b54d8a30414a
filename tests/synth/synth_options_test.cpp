// SynthOptions::validate names the command-line option of every bad value.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "app/synth/synth.h"
#include "common/error.h"

using teamor::synth::SynthOptions;

namespace {

void expect_rejected(const std::function<void(SynthOptions&)>& change, const std::string& option) {
  SynthOptions o;
  change(o);
  try {
    o.validate();
    FAIL() << "expected ConfigError for " << option;
  } catch (const teamor::ConfigError& e) {
    EXPECT_EQ(e.position(), option);
    EXPECT_NE(std::string(e.what()).find(option), std::string::npos) << e.what();
  }
}

}  // namespace

TEST(SynthOptions, DefaultsAreValid) {
  const SynthOptions o;
  EXPECT_NO_THROW(o.validate());
  EXPECT_EQ(o.views, 4);
  EXPECT_EQ(o.width, 640);
  EXPECT_EQ(o.height, 360);
  EXPECT_EQ(o.resolved_id(), "synth-1");
}

TEST(SynthOptions, EveryBadValueNamesItsOption) {
  expect_rejected([](SynthOptions& o) { o.minutes = 0; }, "--minutes");
  expect_rejected([](SynthOptions& o) { o.minutes = -3; }, "--minutes");
  expect_rejected([](SynthOptions& o) { o.minutes = 1e9; }, "--minutes");
  expect_rejected([](SynthOptions& o) { o.views = 1; }, "--views");
  expect_rejected([](SynthOptions& o) { o.views = 40; }, "--views");
  expect_rejected([](SynthOptions& o) { o.fps = 0; }, "--fps");
  expect_rejected([](SynthOptions& o) { o.fps = 1000; }, "--fps");
  expect_rejected([](SynthOptions& o) { o.width = 641; }, "--size");
  expect_rejected([](SynthOptions& o) { o.height = 10; }, "--size");
  expect_rejected([](SynthOptions& o) { o.timeouts = -1; }, "--timeouts");
  expect_rejected([](SynthOptions& o) { o.timeouts = 9; }, "--timeouts");
  expect_rejected([](SynthOptions& o) { o.stops = 4; }, "--stops");
  expect_rejected([](SynthOptions& o) { o.time_scale = 0; }, "--time-scale");
  expect_rejected([](SynthOptions& o) { o.time_scale = 2; }, "--time-scale");
  expect_rejected([](SynthOptions& o) { o.codec = "h265"; }, "--codec");
  expect_rejected([](SynthOptions& o) { o.id = "a/b"; }, "--id");
}

TEST(SynthOptions, RecordingTooShortForTheProtocolsNamesMinutes) {
  SynthOptions o;
  o.minutes = 2;
  o.timeouts = 2;  // two Time-outs of up to 150 s cannot fit into 2 minutes
  o.stops = 0;
  try {
    o.validate();
    FAIL() << "expected ConfigError";
  } catch (const teamor::ConfigError& e) {
    EXPECT_EQ(e.position(), "--minutes");
    EXPECT_NE(std::string(e.what()).find("at least"), std::string::npos) << e.what();
  }
  o.time_scale = 0.2;  // the same protocols, shortened, fit
  EXPECT_NO_THROW(o.validate());
}
