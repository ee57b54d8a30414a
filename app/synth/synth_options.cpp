// SynthOptions::validate: every value checked with the command-line option it comes from.
#include <cmath>
#include <sstream>

#include "app/synth/script.h"
#include "app/synth/synth.h"
#include "common/error.h"

namespace teamor::synth {
namespace {

template <typename T>
void require(bool ok, const char* option, T value, const char* expected) {
  if (ok) return;
  std::ostringstream msg;
  msg << value << " is not valid: expected " << expected;
  throw ConfigError(msg.str(), {}, option);
}

}  // namespace

void SynthOptions::validate() const {
  require(std::isfinite(minutes) && minutes > 0 && minutes <= 600, "--minutes", minutes,
          "a length in minutes in (0, 600]");
  require(views >= 2 && views <= 9, "--views", views,
          "2..9 views (ceiling cameras plus one laparoscope)");
  require(std::isfinite(fps) && fps >= 1 && fps <= 120, "--fps", fps, "1..120 frames per second");
  if (!(width >= 128 && width <= 3840 && height >= 72 && height <= 2160 && width % 2 == 0 &&
        height % 2 == 0)) {
    std::ostringstream size;
    size << width << "x" << height;
    require(false, "--size", size.str(),
            "an even width 128..3840 and an even height 72..2160, e.g. 640x360");
  }
  require(timeouts >= 0 && timeouts <= 3, "--timeouts", timeouts, "0..3 Time-outs");
  require(stops >= 0 && stops <= 3, "--stops", stops, "0..3 StOP? briefings");
  require(std::isfinite(time_scale) && time_scale > 0 && time_scale <= 1, "--time-scale",
          time_scale, "a factor in (0, 1] on protocol durations");
  require(crf >= 0 && crf <= 51, "--crf", crf, "0..51");
  require(threads >= 0 && threads <= 256, "--threads", threads, "0 (one per core) .. 256");
  require(codec == "auto" || codec == "libx264" || codec == "mpeg4", "--codec", codec,
          "auto, libx264 or mpeg4");
  require(!subset.empty(), "--subset", subset, "a non-empty ActivityNet subset name");
  for (char c : resolved_id())
    require(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.', "--id",
            resolved_id(), "letters, digits, '-', '_' or '.'");
  check_protocols_fit(*this);
}

std::string SynthOptions::resolved_id() const {
  return id.empty() ? "synth-" + std::to_string(seed) : id;
}

}  // namespace teamor::synth
