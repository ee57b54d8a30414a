#include "tests/ui/ui_test_support.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>
#include <cstring>
#include <mutex>

#include <unistd.h>

#include "io/frame_code.h"

namespace teamor::ui::test {

const SynthRecording& synth_recording() {
  static SynthRecording rec;
  static std::once_flag once;
  std::call_once(once, [] {
    rec.dir = std::filesystem::path(TEAMOR_BINARY_DIR) / "testdata" / "ui" / "synth-ui";
    synth::SynthOptions o;
    o.minutes = 1.0;
    o.views = 3;
    o.fps = rec.fps;
    o.width = 320;
    o.height = 180;
    o.time_scale = 0.1;
    o.seed = 7;
    o.id = "synth-ui";
    o.threads = 2;
    // ctest runs every test in its own process: render once per build tree and reuse it. The
    // recording is a pure function of the options, so a finished folder is always right; it is
    // rendered beside and renamed into place, so parallel tests never see half a recording.
    if (std::filesystem::exists(rec.dir / "recording.json")) {
      rec.result.id = o.id;
      rec.result.duration_s = o.minutes * 60;
      return;
    }
    const auto temp = rec.dir.string() + ".tmp-" + std::to_string(::getpid());
    std::filesystem::remove_all(temp);
    rec.result = synth::render_recording(o, temp);
    std::error_code ec;
    std::filesystem::rename(temp, rec.dir, ec);
    if (ec) std::filesystem::remove_all(temp);  // another process finished first
  });
  return rec;
}

std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = std::filesystem::path(TEAMOR_BINARY_DIR) / "testdata" / "ui" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

bool wait_for(const std::function<bool()>& done, int timeout_ms) {
  QElapsedTimer timer;
  timer.start();
  while (!done()) {
    if (timer.elapsed() > timeout_ms) return done();
    QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    QThread::msleep(2);
  }
  return true;
}

std::optional<std::uint32_t> frame_code(const QImage& image) {
  const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
  io::Frame f;
  f.width = rgb.width();
  f.height = rgb.height();
  f.stride = f.width * 3;
  f.pixel_format = io::PixelFormat::Rgb24;
  f.data.resize(static_cast<std::size_t>(f.stride) * f.height);
  for (int y = 0; y < f.height; ++y)
    std::memcpy(f.row(y), rgb.constScanLine(y), f.stride);
  return io::read_frame_code(f);
}

}  // namespace teamor::ui::test
