// The classic backend on a synthetic operating-room recording (teamor_synth): the fused channels
// must tell the protocol intervals (team gathered and still) from the rest of the operation, and
// the endoscope block must see the laparoscope go in. The whole path is the pipeline's: Recording
// manifest -> MultiViewReader at the extractor's input_format -> FeatureExtractor -> sequence.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>

#include "app/synth/synth.h"
#include "features/feature_extractor.h"
#include "io/multi_view_reader.h"
#include "io/recording.h"

namespace teamor::features {
namespace {
namespace fs = std::filesystem;

TEST(ClassicSynthetic, ProtocolsAreStillAndTheScopeIsSeen) {
  const fs::path dir =
      fs::temp_directory_path() / ("teamor_features_synth_" + std::to_string(::getpid()));
  synth::SynthOptions options;
  options.minutes = 3;
  options.views = 3;  // 2 ceiling cameras + laparoscope
  options.width = 320;
  options.height = 180;
  options.time_scale = 0.25;
  options.seed = 7;
  const auto result = synth::render_recording(options, dir);
  ASSERT_FALSE(result.ground_truth.empty());

  const auto recording = io::Recording::open(result.manifest);
  BackendConfig config;
  auto fx = FeatureExtractor::create(config, {});
  const io::ClipGrid grid;
  io::MultiViewReader reader(recording, {.format = fx->input_format()});
  io::ClipSampler sampler(grid);
  fx->begin(recording.views, grid);
  auto seq = fx->make_sequence(recording.views, grid);
  const auto clips = sampler.clip_count(reader.duration_s());
  for (std::int64_t g = 0; g < clips; ++g)
    seq.append(fx->extract_clip(reader.clip(g, sampler)));
  ASSERT_EQ(seq.T, clips);

  auto inside = [&](std::int64_t t) {
    for (const auto& s : result.ground_truth)
      if (sampler.clip_start_s(t) >= s.start_s && sampler.clip_end_s(t) <= s.end_s) return true;
    return false;
  };
  auto outside = [&](std::int64_t t) {
    for (const auto& s : result.ground_truth)
      if (sampler.clip_end_s(t) > s.start_s - 5 && sampler.clip_start_s(t) < s.end_s + 5)
        return false;
    return t > 3;  // after the background model settled
  };
  auto mean = [&](const std::string& name, auto&& pick) {
    const int c = seq.channel(name);
    EXPECT_GE(c, 0) << name;
    double sum = 0;
    int n = 0;
    for (std::int64_t t = 0; t < seq.T; ++t)
      if (pick(t)) {
        sum += seq.row(t)[c];
        ++n;
      }
    EXPECT_GT(n, 2) << name;
    return n ? sum / n : 0.0;
  };
  const double still_in = mean("ceiling.fg.still_ratio", inside);
  const double still_out = mean("ceiling.fg.still_ratio", outside);
  const double moving_in = mean("ceiling.flow.moving", inside);
  const double moving_out = mean("ceiling.flow.moving", outside);
  if (std::getenv("TEAMOR_FEATURES_DUMP")) {
    for (std::int64_t t = 0; t < seq.T; ++t)
      std::cout << seq.time_s(t)
                << (inside(t)    ? " P "
                    : outside(t) ? " - "
                                 : " ? ")
                << seq.row(t)[seq.channel("ceiling.fg.occupancy")] << " "
                << seq.row(t)[seq.channel("ceiling.fg.still_ratio")] << " "
                << seq.row(t)[seq.channel("ceiling.flow.moving")] << " "
                << seq.row(t)[seq.channel("endoscope.color.red_fraction")] << "\n";
  }
  // In this synthetic room the operating team also stands nearly still while it works (still
  // ratio ~0.96 outside the protocols, ~0.98 inside), so stillness alone does not separate them;
  // what does is the gathering: more of the team in the picture, still, and no more motion than
  // during the work (the walks to and from the table happen just outside the intervals).
  EXPECT_GT(still_in, 0.9) << "the gathered team stands still";
  EXPECT_GE(still_in, still_out - 0.02);
  EXPECT_LT(moving_in, moving_out) << "flow inside/outside protocols";
  const double occ_in = mean("ceiling.fg.still_occupancy", inside);
  const double occ_out = mean("ceiling.fg.still_occupancy", outside);
  EXPECT_GT(occ_in, 1.2 * occ_out) << "still people inside/outside protocols";
  // All views present throughout.
  EXPECT_NEAR(mean("ceiling.present", outside), 1.0, 1e-6);
  // Laparoscope in (tissue) vs out.
  auto scope_in = [&](std::int64_t t) {
    return sampler.clip_start_s(t) > result.incision_s + 2 &&
           sampler.clip_end_s(t) < result.scope_removed_s - 2;
  };
  auto scope_out = [&](std::int64_t t) { return sampler.clip_end_s(t) < result.incision_s - 2; };
  EXPECT_GT(mean("endoscope.color.red_fraction", scope_in),
            mean("endoscope.color.red_fraction", scope_out) + 0.1);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace teamor::features
