// ClipSampler: the feature grid and its reference time convention.
#include "io/clip_sampler.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace {

using teamor::ConfigError;
using teamor::io::ClipGrid;
using ClipSamplerClass = teamor::io::ClipSampler;

TEST(ClipSampler, DefaultsAreThirtyTwoFramesEveryThirtyTwoAtThirtyFps) {
  const ClipSamplerClass sampler;
  EXPECT_EQ(sampler.grid().clip_frames, 32);
  EXPECT_EQ(sampler.grid().stride, 32);
  EXPECT_DOUBLE_EQ(sampler.grid().fps, 30.0);
}

TEST(ClipSampler, CountsWholeClips) {
  const ClipSamplerClass sampler;
  EXPECT_EQ(sampler.clip_count(0.0), 0);
  EXPECT_EQ(sampler.clip_count(-5.0), 0);
  EXPECT_EQ(sampler.clip_count(31 / 30.0), 0);
  EXPECT_EQ(sampler.clip_count(32 / 30.0), 1);  // exactly one clip, despite rounding
  EXPECT_EQ(sampler.clip_count(63 / 30.0), 1);
  EXPECT_EQ(sampler.clip_count(64 / 30.0), 2);
  EXPECT_EQ(sampler.clip_count(10.0), 9);  // 300 frames: (300 - 32) / 32 + 1
  const ClipSamplerClass overlapping(ClipGrid{16, 4, 25.0});
  EXPECT_EQ(overlapping.clip_count(4.0), 22);  // 100 frames: (100 - 16) / 4 + 1
}

TEST(ClipSampler, FrameTimesFollowTheNominalGrid) {
  const ClipSamplerClass sampler;
  EXPECT_DOUBLE_EQ(sampler.frame_time(0, 0), 0.0);
  EXPECT_DOUBLE_EQ(sampler.frame_time(2, 5), 69 / 30.0);
  const auto times = sampler.clip_times(3);
  ASSERT_EQ(times.size(), 32u);
  for (int k = 0; k < 32; ++k)
    EXPECT_DOUBLE_EQ(times[k], (96 + k) / 30.0);
  EXPECT_DOUBLE_EQ(sampler.clip_start_s(3), 96 / 30.0);
  EXPECT_DOUBLE_EQ(sampler.clip_end_s(3), 128 / 30.0);
}

TEST(ClipSampler, CentersUseTheReferenceConvention) {
  // t = (g * stride + clip_frames / 2) / fps
  const ClipSamplerClass sampler;
  EXPECT_DOUBLE_EQ(sampler.clip_center_s(0), 16 / 30.0);
  EXPECT_DOUBLE_EQ(sampler.clip_center_s(10), 336 / 30.0);
  const ClipSamplerClass odd(ClipGrid{15, 8, 25.0});
  EXPECT_DOUBLE_EQ(odd.clip_center_s(2), (16 + 7.5) / 25.0);
  for (std::int64_t g : {-2, 0, 1, 7, 1000}) {
    EXPECT_NEAR(sampler.grid_position(sampler.clip_center_s(g)), static_cast<double>(g), 1e-9);
    EXPECT_NEAR(odd.grid_position(odd.clip_center_s(g)), static_cast<double>(g), 1e-9);
  }
  EXPECT_NEAR(sampler.grid_position(16 / 30.0 + 16 / 30.0), 0.5, 1e-9);
}

TEST(ClipSampler, RejectsImpossibleGrids) {
  EXPECT_THROW(ClipSamplerClass(ClipGrid{0, 32, 30.0}), ConfigError);
  EXPECT_THROW(ClipSamplerClass(ClipGrid{32, 0, 30.0}), ConfigError);
  EXPECT_THROW(ClipSamplerClass(ClipGrid{32, 32, 0.0}), ConfigError);
  EXPECT_THROW(ClipSamplerClass(ClipGrid{32, 32, -30.0}), ConfigError);
}

}  // namespace
