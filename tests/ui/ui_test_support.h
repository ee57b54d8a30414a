#pragma once
// Shared helpers of the viewer tests: one synthetic recording per test run (teamor_synth), reading
// the frame code of what a tile shows, waiting for the player.

#include <QImage>
#include <QString>
#include <filesystem>
#include <functional>
#include <optional>

#include "app/synth/synth.h"
#include "io/frame.h"

namespace teamor::ui::test {

/// A short synthetic recording (2 ceiling views with frame codes + laparoscope), made once.
struct SynthRecording {
  std::filesystem::path dir;
  synth::SynthResult result;
  double fps = 15;
};
const SynthRecording& synth_recording();

/// A fresh empty folder under the build tree for one test.
std::filesystem::path fresh_dir(const std::string& name);

/// Runs the event loop until @p done returns true or @p timeout_ms passes; returns done().
bool wait_for(const std::function<bool()>& done, int timeout_ms = 5000);

/// The frame index stamped in @p image (RGB32 at native size), nullopt when unreadable.
std::optional<std::uint32_t> frame_code(const QImage& image);

}  // namespace teamor::ui::test
