// The "detector" backend: a person detector run with OpenCV dnn (Darknet cfg + weights, or ONNX
// with YOLO-style rows [cx, cy, w, h, objectness, class scores...]) on a few frames per clip,
// turned into people-occupancy features (features/README.md, "detector").
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "features/registry.h"
#include "features/settings_reader.h"

namespace teamor::features {
namespace {

struct DetectorSettings {
  std::filesystem::path cfg;      ///< Darknet .cfg (empty for ONNX)
  std::filesystem::path weights;  ///< Darknet .weights or .onnx
  int input_size = 320;           ///< square network input, pixels
  float confidence = 0.4f;        ///< minimum objectness x class score
  float nms_iou = 0.45f;          ///< boxes overlapping more are merged
  int frames_per_clip = 4;
  int reader_width = 640;
  int reader_height = 360;
  int grid_rows = 3, grid_cols = 3;
};

DetectorSettings parse(const nlohmann::json& json, const std::filesystem::path& bundle_dir) {
  DetectorSettings s;
  SettingsReader r("detector", bundle_dir);
  r.file("cfg", s.cfg)
      .file("weights", s.weights)
      .value("input_size", s.input_size)
      .value("confidence", s.confidence)
      .value("nms_iou", s.nms_iou)
      .value("frames_per_clip", s.frames_per_clip)
      .value("reader_width", s.reader_width)
      .value("reader_height", s.reader_height)
      .value("grid_rows", s.grid_rows)
      .value("grid_cols", s.grid_cols);
  r.read(json);
  r.require(!s.weights.empty(), "weights",
            "the detector's .weights (Darknet, with cfg) or .onnx file");
  r.require(s.input_size >= 32 && s.input_size % 32 == 0, "input_size", "a multiple of 32");
  r.require(s.confidence > 0 && s.confidence < 1, "confidence", "in (0, 1)");
  r.require(s.nms_iou > 0 && s.nms_iou <= 1, "nms_iou", "in (0, 1]");
  r.require(s.frames_per_clip >= 2 && s.frames_per_clip <= 256, "frames_per_clip", "in [2, 256]");
  r.require(s.grid_rows >= 1 && s.grid_cols >= 1, "grid_rows", ">= 1 (and grid_cols)");
  return s;
}

struct Box {
  float cx, cy, w, h, score;  ///< normalised to the frame
};

class DetectorBackend final : public ViewBackend {
 public:
  explicit DetectorBackend(DetectorSettings s) : s_(std::move(s)) {
    for (const auto& f : {s_.cfg, s_.weights})
      if (!f.empty() && !std::filesystem::exists(f))
        throw IoError("the person detector's model file is missing", f.string());
    try {
      net_ = s_.cfg.empty() ? cv::dnn::readNet(s_.weights.string())
                            : cv::dnn::readNetFromDarknet(s_.cfg.string(), s_.weights.string());
    } catch (const cv::Exception& e) {
      throw ModelError(std::string("OpenCV cannot load the person detector: ") + e.what(),
                       s_.weights.string());
    }
    outputs_ = net_.getUnconnectedOutLayersNames();
    names_ = {"det.people", "det.people_max", "det.confidence", "det.occupancy"};
    for (int r = 0; r < s_.grid_rows; ++r)
      for (int c = 0; c < s_.grid_cols; ++c)
        names_.push_back("det.grid_r" + std::to_string(r) + "c" + std::to_string(c));
    for (const char* n : {"det.centroid_x", "det.centroid_y", "det.spread", "det.height",
                          "det.box_speed", "det.still_fraction"})
      names_.push_back(n);
  }

  int dimension() const override { return static_cast<int>(names_.size()); }
  std::vector<std::string> channel_names() const override { return names_; }
  io::FrameFormat input_format() const override {
    return {s_.reader_width, s_.reader_height, io::PixelFormat::Rgb24};
  }
  int frames_per_clip() const override { return s_.frames_per_clip; }
  void begin(std::size_t) override {}

  void extract(std::span<const ViewClip> clips, std::span<float> out) override {
    for (std::size_t i = 0; i < clips.size(); ++i) {
      std::vector<std::vector<Box>> frames;
      for (const io::Frame* f : clips[i].frames)
        frames.push_back(detect(*f));
      summarise(frames, out.data() + i * names_.size());
    }
  }

 private:
  std::vector<Box> detect(const io::Frame& f) {
    const int type = f.pixel_format == io::PixelFormat::Gray8 ? CV_8UC1 : CV_8UC3;
    cv::Mat src(f.height, f.width, type, const_cast<std::uint8_t*>(f.data.data()),
                static_cast<std::size_t>(f.stride));
    cv::Mat rgb;
    if (f.pixel_format == io::PixelFormat::Gray8)
      cv::cvtColor(src, rgb, cv::COLOR_GRAY2RGB);
    else if (f.pixel_format == io::PixelFormat::Bgr24)
      cv::cvtColor(src, rgb, cv::COLOR_BGR2RGB);
    else
      rgb = src;
    // Darknet models take RGB in [0, 1], stretched to the square input.
    net_.setInput(cv::dnn::blobFromImage(rgb, 1.0 / 255, cv::Size(s_.input_size, s_.input_size),
                                         cv::Scalar(), /*swapRB=*/false, /*crop=*/false));
    std::vector<cv::Mat> outs;
    try {
      net_.forward(outs, outputs_);
    } catch (const cv::Exception& e) {
      throw ModelError(std::string("the person detector failed: ") + e.what(), s_.weights.string());
    }
    std::vector<cv::Rect2d> rects;
    std::vector<float> scores;
    for (auto& o : outs) {
      cv::Mat rows = o.reshape(1, static_cast<int>(o.total() / o.size[o.dims - 1]));
      if (rows.cols < 6)
        throw ModelError("detector output rows have fewer than 6 values", s_.weights.string());
      for (int r = 0; r < rows.rows; ++r) {
        const float* v = rows.ptr<float>(r);
        const float cls = *std::max_element(v + 5, v + rows.cols);
        // Darknet's region layer already multiplies objectness into the class scores.
        const float score = s_.cfg.empty() ? v[4] * cls : cls;
        if (score < s_.confidence) continue;
        rects.emplace_back(v[0] - v[2] / 2, v[1] - v[3] / 2, v[2], v[3]);
        scores.push_back(score);
      }
    }
    std::vector<int> keep;
    cv::dnn::NMSBoxes(rects, scores, s_.confidence, s_.nms_iou, keep);
    std::vector<Box> boxes;
    for (int k : keep) {
      const auto& r = rects[k];
      boxes.push_back({static_cast<float>(r.x + r.width / 2),
                       static_cast<float>(r.y + r.height / 2), static_cast<float>(r.width),
                       static_cast<float>(r.height), scores[k]});
    }
    return boxes;
  }

  void summarise(const std::vector<std::vector<Box>>& frames, float* out) const {
    const int n = static_cast<int>(frames.size());
    const int cells = s_.grid_rows * s_.grid_cols;
    constexpr int kW = 64, kH = 36;  // coarse raster for the union of boxes
    double people = 0, people_max = 0, conf = 0, conf_n = 0, occ = 0, cx = 0, cy = 0, centred = 0,
           spread = 0, spread_n = 0, height = 0;
    std::vector<double> grid(cells, 0);
    for (const auto& boxes : frames) {
      people += boxes.size();
      people_max = std::max<double>(people_max, boxes.size());
      std::vector<std::uint8_t> raster(kW * kH, 0);
      double mx = 0, my = 0;
      for (const auto& b : boxes) {
        conf += b.score;
        conf_n += 1;
        height += b.h;
        mx += b.cx / boxes.size();
        my += b.cy / boxes.size();
        const int x0 = std::clamp(static_cast<int>((b.cx - b.w / 2) * kW), 0, kW);
        const int x1 = std::clamp(static_cast<int>(std::ceil((b.cx + b.w / 2) * kW)), 0, kW);
        const int y0 = std::clamp(static_cast<int>((b.cy - b.h / 2) * kH), 0, kH);
        const int y1 = std::clamp(static_cast<int>(std::ceil((b.cy + b.h / 2) * kH)), 0, kH);
        for (int y = y0; y < y1; ++y)
          std::fill(raster.begin() + y * kW + x0, raster.begin() + y * kW + x1, 1);
      }
      for (int y = 0; y < kH; ++y)
        for (int x = 0; x < kW; ++x) {
          if (!raster[y * kW + x]) continue;
          occ += 1.0 / (kW * kH);
          const int c = std::min(y * s_.grid_rows / kH, s_.grid_rows - 1) * s_.grid_cols +
                        std::min(x * s_.grid_cols / kW, s_.grid_cols - 1);
          grid[c] += static_cast<double>(cells) / (kW * kH);
        }
      if (boxes.empty()) continue;
      cx += mx;
      cy += my;
      centred += 1;
      if (boxes.size() >= 2) {
        double var = 0;
        for (const auto& b : boxes)
          var += (b.cx - mx) * (b.cx - mx) + (b.cy - my) * (b.cy - my);
        spread += std::sqrt(var / boxes.size());
        spread_n += 1;
      }
    }
    // Box speed: each box matched to the nearest box of the previous frame within its height.
    double speed = 0, still = 0, steps = 0;
    for (int f = 1; f < n; ++f)
      for (const auto& b : frames[f]) {
        double best = 1e9;
        for (const auto& a : frames[f - 1])
          best = std::min<double>(best, std::hypot(b.cx - a.cx, b.cy - a.cy));
        if (best > b.h) continue;
        const double v = best / std::max(0.02f, b.h);
        speed += v;
        still += v < 0.02;
        steps += 1;
      }
    auto mean = [](double s, double c, double e = 0.0) {
      return static_cast<float>(c > 0 ? s / c : e);
    };
    int k = 0;
    out[k++] = static_cast<float>(people / std::max(1, n) / 10.0);
    out[k++] = static_cast<float>(people_max / 10.0);
    out[k++] = mean(conf, conf_n);
    out[k++] = static_cast<float>(occ / std::max(1, n));
    for (int c = 0; c < cells; ++c)
      out[k++] = static_cast<float>(grid[c] / std::max(1, n));
    out[k++] = mean(cx, centred, 0.5);
    out[k++] = mean(cy, centred, 0.5);
    out[k++] = mean(spread, spread_n);
    out[k++] = mean(height, conf_n);
    out[k++] = mean(speed, steps);
    out[k++] = mean(still, steps);
  }

  DetectorSettings s_;
  cv::dnn::Net net_;
  std::vector<std::string> outputs_;
  std::vector<std::string> names_;
};

}  // namespace

std::unique_ptr<ViewBackend> make_detector_backend(const BackendConfig& config,
                                                   const std::filesystem::path& bundle_dir) {
  return std::make_unique<DetectorBackend>(parse(config.settings, bundle_dir));
}

}  // namespace teamor::features
