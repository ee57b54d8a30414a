#pragma once
// Internal to the classic backend: the per-clip computations on OpenCV images (not installed).

#include <opencv2/core.hpp>
#include <opencv2/video/tracking.hpp>

#include <vector>

#include "io/frame.h"

namespace teamor::features::classic {

/// Settings of the classic backend (the "settings" object of the bundle's features entry).
struct ClassicSettings {
  int width = 128;          ///< working width, pixels
  int height = 72;          ///< working height, pixels
  int frames_per_clip = 4;  ///< frames of each clip analysed (evenly spread)
  int grid_rows = 3;        ///< spatial grid for flow and occupancy
  int grid_cols = 3;
  /// Time after which something that stopped moving becomes background, in clips (300 clips =
  /// 320 s on the 32/30 grid): people standing still for minutes stay foreground.
  int background_history_clips = 300;
  /// The background starts as the per-pixel median of the first analysed frames of this many clips
  /// (people who walk during that time do not stay behind as "ghosts"; 0 = first frame only).
  int background_bootstrap_clips = 4;
  /// Per-frame update rate of background pixels (follows slow light changes within ~20 frames).
  float background_update = 0.05f;
  /// Colour distance (max over R, G, B, 0-255) from the background that counts as foreground.
  float fg_threshold = 30.0f;
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
  cv::Mat background;              ///< CV_32FC3 background image; empty until the first frame
  std::vector<cv::Mat> bootstrap;  ///< first frames kept for the median background
  bool bootstrapped = false;       ///< the median background is in place
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
