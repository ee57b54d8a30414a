// teamor_ui_make_recording OUT_DIR [MINUTES] [WIDTHxHEIGHT]: renders a synthetic recording with the
// teamor_synth library, for scripts/screenshots.sh when the full `teamor` CLI is not built.

#include <cstdio>
#include <exception>
#include <string>

#include "app/synth/synth.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR [MINUTES] [WIDTHxHEIGHT]\n", argv[0]);
    return 2;
  }
  try {
    teamor::synth::SynthOptions o;
    o.minutes = argc > 2 ? std::stod(argv[2]) : 3.0;
    if (argc > 3) std::sscanf(argv[3], "%dx%d", &o.width, &o.height);
    o.time_scale = 0.4;
    o.seed = 4;
    o.id = "OR-demo";
    const auto result = teamor::synth::render_recording(o, argv[1]);
    std::printf("%s: %zu ground-truth segments, %.0f s\n", result.manifest.string().c_str(),
                result.ground_truth.size(), result.duration_s);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  return 0;
}
