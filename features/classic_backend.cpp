// The weight-free "classic" backend: motion, optical flow, background-model occupancy and colour
// statistics per view at reduced resolution (channels documented in features/README.md).
#include <map>
#include <memory>

#include <opencv2/core/utility.hpp>

#include "common/error.h"
#include "features/classic_frame.h"
#include "features/registry.h"
#include "features/settings_reader.h"

namespace teamor::features {
namespace {

using classic::ClassicSettings;

/// Runs OpenCV single-threaded while it lives. The classic images are tiny (128x72 by default):
/// OpenCV's thread pool spends more on waking and parking its workers than it saves, and while a
/// recording streams, the decoder threads already use every core (measured: ~6 % of the whole
/// `teamor detect` CPU time went to TBB's spinning). The previous setting comes back afterwards
/// because the dnn-based backends (skeleton, detector) do profit from OpenCV's threads.
class SingleThreadedOpenCv {
 public:
  SingleThreadedOpenCv() : saved_(cv::getNumThreads()) {
    if (saved_ != 1) cv::setNumThreads(1);
  }
  ~SingleThreadedOpenCv() {
    if (saved_ != 1) cv::setNumThreads(saved_);
  }
  SingleThreadedOpenCv(const SingleThreadedOpenCv&) = delete;
  SingleThreadedOpenCv& operator=(const SingleThreadedOpenCv&) = delete;

 private:
  int saved_;
};

ClassicSettings parse_settings(const nlohmann::json& json) {
  ClassicSettings s;
  SettingsReader r("classic");
  r.value("width", s.width)
      .value("height", s.height)
      .value("frames_per_clip", s.frames_per_clip)
      .value("grid_rows", s.grid_rows)
      .value("grid_cols", s.grid_cols)
      .value("background_history_clips", s.background_history_clips)
      .value("background_bootstrap_clips", s.background_bootstrap_clips)
      .value("background_update", s.background_update)
      .value("fg_threshold", s.fg_threshold)
      .value("diff_threshold", s.diff_threshold)
      .value("flow_threshold_px", s.flow_threshold_px)
      .value("min_blob_fraction", s.min_blob_fraction);
  r.read(json);
  r.require(s.width >= 16 && s.width <= 4096, "width", "in [16, 4096] pixels");
  r.require(s.height >= 16 && s.height <= 4096, "height", "in [16, 4096] pixels");
  r.require(s.frames_per_clip >= 2 && s.frames_per_clip <= 256, "frames_per_clip", "in [2, 256]");
  r.require(s.grid_rows >= 1 && s.grid_rows <= 16, "grid_rows", "in [1, 16]");
  r.require(s.grid_cols >= 1 && s.grid_cols <= 16, "grid_cols", "in [1, 16]");
  r.require(s.background_history_clips >= 1, "background_history_clips", ">= 1");
  r.require(s.background_bootstrap_clips >= 0 && s.background_bootstrap_clips <= 100,
            "background_bootstrap_clips", "in [0, 100]");
  r.require(s.background_update > 0 && s.background_update <= 1, "background_update", "in (0, 1]");
  r.require(s.fg_threshold > 0, "fg_threshold", "> 0");
  r.require(s.diff_threshold > 0, "diff_threshold", "> 0");
  r.require(s.flow_threshold_px > 0, "flow_threshold_px", "> 0");
  r.require(s.min_blob_fraction >= 0 && s.min_blob_fraction < 1, "min_blob_fraction", "in [0, 1)");
  return s;
}

class ClassicBackend final : public ViewBackend {
 public:
  explicit ClassicBackend(ClassicSettings settings)
      : settings_(settings), names_(classic::channel_names(settings)) {}

  int dimension() const override { return static_cast<int>(names_.size()); }
  std::vector<std::string> channel_names() const override { return names_; }
  io::FrameFormat input_format() const override {
    return {settings_.width, settings_.height, io::PixelFormat::Rgb24};
  }
  int frames_per_clip() const override { return settings_.frames_per_clip; }
  void begin(std::size_t view_count) override {
    states_.clear();
    states_.resize(view_count);
  }
  void extract(std::span<const ViewClip> clips, std::span<float> out) override {
    TEAMOR_ASSERT(out.size() == clips.size() * names_.size());
    const SingleThreadedOpenCv single_threaded;
    std::vector<classic::WorkFrame> work;
    for (std::size_t i = 0; i < clips.size(); ++i) {
      const auto& clip = clips[i];
      if (clip.view >= states_.size()) states_.resize(clip.view + 1);
      auto& state = states_[clip.view];
      if (!state) state = std::make_unique<classic::ViewState>(classic::make_view_state(settings_));
      work.clear();
      for (const io::Frame* f : clip.frames)
        work.push_back(classic::to_work_frame(*f, settings_));
      classic::compute_clip(work, *state, settings_, out.data() + i * names_.size());
    }
  }

 private:
  ClassicSettings settings_;
  std::vector<std::string> names_;
  std::vector<std::unique_ptr<classic::ViewState>> states_;
};

}  // namespace

std::unique_ptr<ViewBackend> make_classic_backend(const BackendConfig& config,
                                                  const std::filesystem::path&) {
  return std::make_unique<ClassicBackend>(parse_settings(config.settings));
}

}  // namespace teamor::features
