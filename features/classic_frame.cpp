#include "features/classic_frame.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "common/error.h"

namespace teamor::features::classic {
namespace {

constexpr int kDirBins = 8;
constexpr int kMagBins = 4;
/// Upper edges of the flow magnitude bins, pixels per step at 160 px width.
constexpr float kMagEdges[kMagBins - 1] = {0.25f, 1.0f, 3.0f};

/// Grid cell of every pixel, as a row offset (cell row * grid_cols) per image row plus a column per
/// image column: the per-pixel loops add two table entries instead of dividing twice.
struct CellTable {
  std::vector<int> row_offset;  ///< per image row
  std::vector<int> column;      ///< per image column
  int at(int y, int x) const { return row_offset[y] + column[x]; }
};

CellTable make_cell_table(int h, int w, const ClassicSettings& s) {
  CellTable t;
  t.row_offset.resize(h);
  t.column.resize(w);
  for (int y = 0; y < h; ++y)
    t.row_offset[y] = std::min(y * s.grid_rows / h, s.grid_rows - 1) * s.grid_cols;
  for (int x = 0; x < w; ++x)
    t.column[x] = std::min(x * s.grid_cols / w, s.grid_cols - 1);
  return t;
}

/// Per-pixel, per-channel median of @p frames (CV_8UC3) as CV_32FC3.
cv::Mat median_image(const std::vector<cv::Mat>& frames) {
  const int h = frames.front().rows, w = frames.front().cols;
  cv::Mat out(h, w, CV_32FC3);
  std::vector<std::uint8_t> values(frames.size());
  const std::size_t mid = frames.size() / 2;
  for (int y = 0; y < h; ++y) {
    auto* o = out.ptr<cv::Vec3f>(y);
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c) {
        for (std::size_t i = 0; i < frames.size(); ++i)
          values[i] = frames[i].ptr<cv::Vec3b>(y)[x][c];
        std::nth_element(values.begin(), values.begin() + mid, values.end());
        o[x][c] = values[mid];
      }
  }
  return out;
}

/// Selective running-average background: background pixels follow the image quickly
/// (background_update), foreground pixels are absorbed only over background_history_clips, so a
/// team that stands still stays foreground for minutes (a mixture model such as MOG2 absorbs it
/// within seconds while its learning rate is still high). Returns the cleaned foreground mask.
cv::Mat update_background(const cv::Mat& bgr, ViewState& state, const ClassicSettings& s) {
  const int h = bgr.rows, w = bgr.cols;
  cv::Mat mask(h, w, CV_8UC1, cv::Scalar(0));
  if (state.background.empty()) bgr.convertTo(state.background, CV_32FC3);
  if (!state.bootstrapped) {
    // Until enough frames are seen, compare with the first frame; then start over from the
    // per-pixel median, which holds the room without the people who moved meanwhile.
    const std::size_t want =
        static_cast<std::size_t>(std::max(0, s.background_bootstrap_clips * s.frames_per_clip));
    state.bootstrap.push_back(bgr.clone());
    if (state.bootstrap.size() >= want) {
      state.background = median_image(state.bootstrap);
      state.bootstrap.clear();
      state.bootstrapped = true;
    }
  }
  const float slow =
      1.0f / static_cast<float>(std::max(1, s.background_history_clips * s.frames_per_clip));
  const float fast = s.background_update;
  int changed = 0;
  for (int y = 0; y < h; ++y) {
    const auto* p = bgr.ptr<cv::Vec3b>(y);
    const auto* b = state.background.ptr<cv::Vec3f>(y);
    auto* m = mask.ptr<std::uint8_t>(y);
    for (int x = 0; x < w; ++x) {
      float d = 0;
      for (int c = 0; c < 3; ++c)
        d = std::max(d, std::abs(p[x][c] - b[x][c]));
      m[x] = d > s.fg_threshold ? 255 : 0;
      changed += m[x] != 0;
    }
  }
  if (changed > 0.6 * h * w) {
    // Most of the image changed at once: a cut, a camera move or the light switched. Start over
    // rather than report the whole picture as people for minutes.
    bgr.convertTo(state.background, CV_32FC3);
    state.bootstrap.clear();
    state.bootstrapped = false;
    mask.setTo(0);
    return mask;
  }
  for (int y = 0; y < h; ++y) {
    const auto* p = bgr.ptr<cv::Vec3b>(y);
    auto* b = state.background.ptr<cv::Vec3f>(y);
    const auto* m = mask.ptr<std::uint8_t>(y);
    for (int x = 0; x < w; ++x) {
      const float a = m[x] ? slow : fast;
      for (int c = 0; c < 3; ++c)
        b[x][c] += a * (p[x][c] - b[x][c]);
    }
  }
  cv::Mat clean;
  cv::medianBlur(mask, clean, 3);  // drops single-pixel speckle
  return clean;
}

}  // namespace

WorkFrame to_work_frame(const io::Frame& frame, const ClassicSettings& s) {
  if (frame.width <= 0 || frame.height <= 0 ||
      frame.data.size() < static_cast<std::size_t>(frame.stride) * frame.height)
    throw ConfigError("frame " + std::to_string(frame.index) + " has no pixel data (" +
                      std::to_string(frame.width) + "x" + std::to_string(frame.height) + ")");
  int type = CV_8UC3;
  if (frame.pixel_format == io::PixelFormat::Gray8) type = CV_8UC1;
  // Wraps the frame's buffer without copying; the conversions below copy.
  const cv::Mat src(frame.height, frame.width, type, const_cast<std::uint8_t*>(frame.data.data()),
                    static_cast<std::size_t>(frame.stride));
  cv::Mat sized;
  if (frame.width == s.width && frame.height == s.height) {
    sized = src;
  } else {
    // INTER_AREA averages the pixels that fall into each working pixel: less aliasing and noise.
    cv::resize(src, sized, cv::Size(s.width, s.height), 0, 0, cv::INTER_AREA);
  }
  WorkFrame out;
  switch (frame.pixel_format) {
    case io::PixelFormat::Rgb24:
      cv::cvtColor(sized, out.bgr, cv::COLOR_RGB2BGR);
      break;
    case io::PixelFormat::Bgr24:
      out.bgr = sized.clone();
      break;
    case io::PixelFormat::Gray8:
      cv::cvtColor(sized, out.bgr, cv::COLOR_GRAY2BGR);
      break;
  }
  cv::cvtColor(out.bgr, out.gray, cv::COLOR_BGR2GRAY);
  // A light blur keeps sensor noise and compression blocks out of the frame differences.
  cv::GaussianBlur(out.gray, out.gray, cv::Size(3, 3), 0);
  return out;
}

ViewState make_view_state(const ClassicSettings& s) {
  ViewState state;
  state.flow = cv::DISOpticalFlow::create(cv::DISOpticalFlow::PRESET_ULTRAFAST);
  return state;
}

std::vector<std::string> channel_names(const ClassicSettings& s) {
  std::vector<std::string> n = {"motion.diff_mean", "motion.diff_active", "flow.mag_mean",
                                "flow.moving"};
  auto grid = [&](const std::string& prefix) {
    for (int r = 0; r < s.grid_rows; ++r)
      for (int c = 0; c < s.grid_cols; ++c)
        n.push_back(prefix + ".grid_r" + std::to_string(r) + "c" + std::to_string(c));
  };
  grid("flow");
  for (int b = 0; b < kDirBins; ++b)
    n.push_back("flow.dir_" + std::to_string(b * 45));
  for (int b = 0; b < kMagBins; ++b)
    n.push_back("flow.mag_bin" + std::to_string(b));
  n.push_back("fg.occupancy");
  grid("fg");
  for (const char* name :
       {"fg.blobs", "fg.still_ratio", "fg.still_occupancy", "fg.moving_occupancy", "fg.persistence",
        "fg.centroid_x", "fg.centroid_y", "fg.spread", "color.brightness", "color.contrast",
        "color.red", "color.green", "color.blue", "color.saturation", "color.red_fraction",
        "color.dark_fraction", "color.scene_change"})
    n.push_back(name);
  return n;
}

void compute_clip(const std::vector<WorkFrame>& frames, ViewState& state, const ClassicSettings& s,
                  float* out) {
  TEAMOR_ASSERT(!frames.empty());
  const int h = s.height, w = s.width;
  const double N = static_cast<double>(h) * w;
  const int cells = s.grid_rows * s.grid_cols;
  const float px_scale = 160.0f / static_cast<float>(w);  // flow in pixels at 160 px width
  const int n = static_cast<int>(frames.size());

  // Foreground masks: the background model sees every analysed frame once, in time order.
  std::vector<cv::Mat> fg(n);
  for (int j = 0; j < n; ++j)
    fg[j] = update_background(frames[j].bgr, state, s);

  // Counts are integers (exact and cheaper than double additions); sums of flow stay double.
  std::int64_t diff_sum = 0, diff_active = 0, moving = 0;
  double mag_mean = 0;
  std::vector<double> flow_grid(cells, 0);
  std::vector<std::int64_t> dir(kDirBins, 0), mag_bins(kMagBins, 0);
  const CellTable cell = make_cell_table(h, w, s);
  std::vector<double> cell_pixels(cells, 0);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      cell_pixels[cell.at(y, x)] += 1;
  std::int64_t fg_pair = 0, fg_still = 0, fg_moving = 0;
  cv::Mat diff, flow, mag, ang;
  for (int j = 1; j < n; ++j) {
    cv::absdiff(frames[j].gray, frames[j - 1].gray, diff);
    state.flow->calc(frames[j - 1].gray, frames[j].gray, flow);
    cv::Mat xy[2];
    cv::split(flow, xy);
    cv::cartToPolar(xy[0], xy[1], mag, ang, /*angleInDegrees=*/true);
    for (int y = 0; y < h; ++y) {
      const auto* d = diff.ptr<std::uint8_t>(y);
      const auto* m = mag.ptr<float>(y);
      const auto* a = ang.ptr<float>(y);
      const auto* f = fg[j].ptr<std::uint8_t>(y);
      for (int x = 0; x < w; ++x) {
        const float mm = m[x] * px_scale;
        const bool moved_diff = d[x] > s.diff_threshold;
        const bool moved_flow = mm > s.flow_threshold_px;
        diff_sum += d[x];
        diff_active += moved_diff;
        mag_mean += mm;
        flow_grid[cell.at(y, x)] += mm;
        int mb = 0;
        while (mb < kMagBins - 1 && mm >= kMagEdges[mb])
          ++mb;
        mag_bins[mb] += 1;
        if (moved_flow) {
          moving += 1;
          dir[std::min(static_cast<int>(a[x] / 45.0f), kDirBins - 1)] += 1;
        }
        if (f[x]) {
          fg_pair += 1;
          if (moved_diff || moved_flow)
            fg_moving += 1;
          else
            fg_still += 1;
        }
      }
    }
  }
  const double pairs = std::max(1, n - 1);
  const double pn = pairs * N;
  int k = 0;
  out[k++] = static_cast<float>(static_cast<double>(diff_sum) / (255.0 * pn));
  out[k++] = static_cast<float>(static_cast<double>(diff_active) / pn);
  out[k++] = static_cast<float>(mag_mean / pn);
  out[k++] = static_cast<float>(static_cast<double>(moving) / pn);
  for (int c = 0; c < cells; ++c)
    out[k++] = static_cast<float>(flow_grid[c] / (pairs * cell_pixels[c]));
  for (int b = 0; b < kDirBins; ++b)
    out[k++] = static_cast<float>(static_cast<double>(dir[b]) / pn);
  for (int b = 0; b < kMagBins; ++b)
    out[k++] = n > 1 ? static_cast<float>(static_cast<double>(mag_bins[b]) / pn) : 0.0f;

  // Occupancy, blobs and the spatial layout of the foreground over all analysed frames.
  double blobs = 0, sx = 0, sy = 0, sxx = 0, syy = 0;
  std::int64_t occupancy = 0;
  std::vector<std::int64_t> fg_grid(cells, 0);
  std::vector<double> u_of(w), v_of(h);  // pixel centres in [0, 1]
  for (int x = 0; x < w; ++x)
    u_of[x] = (x + 0.5) / w;
  for (int y = 0; y < h; ++y)
    v_of[y] = (y + 0.5) / h;
  cv::Mat labels, stats, centroids;
  const double min_area = s.min_blob_fraction * N;
  for (int j = 0; j < n; ++j) {
    for (int y = 0; y < h; ++y) {
      const auto* f = fg[j].ptr<std::uint8_t>(y);
      for (int x = 0; x < w; ++x) {
        if (!f[x]) continue;
        occupancy += 1;
        fg_grid[cell.at(y, x)] += 1;
        const double u = u_of[x], v = v_of[y];
        sx += u;
        sy += v;
        sxx += u * u;
        syy += v * v;
      }
    }
    const int count = cv::connectedComponentsWithStats(fg[j], labels, stats, centroids, 8);
    for (int c = 1; c < count; ++c)
      blobs += stats.at<int>(c, cv::CC_STAT_AREA) >= min_area;
  }
  const double min_fg = 1e-3 * N * n;  // below this the foreground is noise, not people
  out[k++] = static_cast<float>(static_cast<double>(occupancy) / (N * n));
  for (int c = 0; c < cells; ++c)
    out[k++] = static_cast<float>(static_cast<double>(fg_grid[c]) / (n * cell_pixels[c]));
  out[k++] = static_cast<float>(blobs / n / 10.0);
  out[k++] = static_cast<double>(fg_pair) > 1e-3 * pn
                 ? static_cast<float>(static_cast<double>(fg_still) / static_cast<double>(fg_pair))
                 : 0.0f;
  out[k++] = static_cast<float>(static_cast<double>(fg_still) / pn);
  out[k++] = static_cast<float>(static_cast<double>(fg_moving) / pn);
  {
    cv::Mat inter;
    cv::bitwise_and(fg.front(), fg.back(), inter);
    const double a = cv::countNonZero(fg.front()), b = cv::countNonZero(fg.back());
    const double i = cv::countNonZero(inter);
    out[k++] = (a + b - i) > 1e-3 * N && n > 1 ? static_cast<float>(i / (a + b - i)) : 0.0f;
  }
  if (static_cast<double>(occupancy) > min_fg) {
    const double occ = static_cast<double>(occupancy);
    const double mx = sx / occ, my = sy / occ;
    out[k++] = static_cast<float>(mx);
    out[k++] = static_cast<float>(my);
    out[k++] =
        static_cast<float>(std::sqrt(std::max(0.0, sxx / occ - mx * mx + syy / occ - my * my)));
  } else {
    out[k++] = 0.5f;  // no foreground: the centre, so "absent" does not look like a corner
    out[k++] = 0.5f;
    out[k++] = 0.0f;
  }

  // Colour and brightness: mean over the analysed frames.
  double bright = 0, contrast = 0, red = 0, green = 0, blue = 0, sat = 0, red_frac = 0, dark = 0;
  cv::Mat hsv;
  for (int j = 0; j < n; ++j) {
    cv::Scalar mean, stddev;
    cv::meanStdDev(frames[j].gray, mean, stddev);
    bright += mean[0] / 255.0;
    contrast += stddev[0] / 255.0;
    const cv::Scalar bgr = cv::mean(frames[j].bgr);
    blue += bgr[0] / 255.0;
    green += bgr[1] / 255.0;
    red += bgr[2] / 255.0;
    cv::cvtColor(frames[j].bgr, hsv, cv::COLOR_BGR2HSV);
    std::int64_t sat_sum = 0, reds = 0, darks = 0;
    for (int y = 0; y < h; ++y) {
      const auto* p = hsv.ptr<cv::Vec3b>(y);
      for (int x = 0; x < w; ++x) {
        const int hue = p[x][0], sv = p[x][1], vv = p[x][2];
        sat_sum += sv;
        // Tissue under the laparoscope's light: red/pink hue (OpenCV hue 0-180), saturated, lit.
        reds += (hue <= 12 || hue >= 165) && sv > 90 && vv > 50;
        darks += vv < 26;
      }
    }
    sat += static_cast<double>(sat_sum) / (255.0 * N);
    red_frac += static_cast<double>(reds) / N;
    dark += static_cast<double>(darks) / N;
  }
  out[k++] = static_cast<float>(bright / n);
  out[k++] = static_cast<float>(contrast / n);
  out[k++] = static_cast<float>(red / n);
  out[k++] = static_cast<float>(green / n);
  out[k++] = static_cast<float>(blue / n);
  out[k++] = static_cast<float>(sat / n);
  out[k++] = static_cast<float>(red_frac / n);
  out[k++] = static_cast<float>(dark / n);
  if (!state.last_gray.empty()) {
    cv::absdiff(frames.front().gray, state.last_gray, diff);
    out[k++] = static_cast<float>(cv::mean(diff)[0] / 255.0);
  } else {
    out[k++] = 0.0f;
  }
  state.last_gray = frames.back().gray.clone();
}

}  // namespace teamor::features::classic
