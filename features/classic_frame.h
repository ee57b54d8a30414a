#pragma once
// Internal to the classic backend: the per-clip computations on OpenCV images (not installed).

#include <opencv2/core.hpp>
#include <opencv2/video/background_segm.hpp>
#include <opencv2/video/tracking.hpp>

#include <vector>

#include "io/frame.h"

namespace teamor::features::classic {

/// Settings of the classic backend (the "settings" object of the bundle's features entry).
struct ClassicSettings {
  int width = 160;          ///< working width, pixels
  int height = 90;          ///< working height, pixels
  int frames_per_clip = 8;  ///< frames of each clip analysed (evenly spread)
  int grid_rows = 3;        ///< spatial grid for flow and occupancy
  int grid_cols = 3;
  int background_history_clips = 300;  ///< background memory, clips (320 s on the 32/30 grid)
  /// Share of the background model's weight that counts as background (MOG2's backgroundRatio);
  /// lower keeps people who stand still in the foreground for longer (~110 s at the defaults).
  float background_ratio = 0.7f;
  float diff_threshold = 12.0f;      ///< grey-level change counted as motion (0-255)
  float flow_threshold_px = 0.5f;    ///< flow magnitude counted as motion, working pixels per step
  float min_blob_fraction = 0.002f;  ///< smallest foreground blob counted, fraction of the image
};

/// One working-resolution frame: colour and grey.
struct WorkFrame {
  cv::Mat bgr;   ///< CV_8UC3, width x height
  cv::Mat gray;  ///< CV_8UC1
};

/// Converts an io::Frame (any size, Gray8/Rgb24/Bgr24) to the working size.
WorkFrame to_work_frame(const io::Frame& frame, const ClassicSettings& settings);

/// Per-view temporal state carried between clips of one recording.
struct ViewState {
  cv::Ptr<cv::BackgroundSubtractorMOG2> background;
  cv::Ptr<cv::DISOpticalFlow> flow;
  cv::Mat last_gray;  ///< last analysed frame of the previous clip (scene-change cue)
};

/// Creates a fresh state.
ViewState make_view_state(const ClassicSettings& settings);

/// Names of the channels computed by compute_clip(), in order.
std::vector<std::string> channel_names(const ClassicSettings& settings);

/// @brief All channels of one view's clip (channel_names().size() floats written to @p out).
void compute_clip(const std::vector<WorkFrame>& frames, ViewState& state,
                  const ClassicSettings& settings, float* out);

}  // namespace teamor::features::classic
