#include "detector/feature_files.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/error.h"
#include "io/npy.h"

namespace teamor::detector {
namespace fs = std::filesystem;
namespace {

constexpr const char* kMeta = "meta.json";
constexpr int64_t kSceneChannels = 1408;    // VideoMAEv2
constexpr int64_t kSkeletonChannels = 256;  // ST-GCN++

struct Matrix {
  int64_t rows = 0;
  int64_t cols = 0;
  std::vector<float> values;
};

Matrix read_matrix(const fs::path& path) {
  if (!fs::exists(path)) throw IoError("feature file not found", path.string());
  const io::NpyArray a = io::read_npy(path);
  if (a.shape.size() != 2)
    throw FormatError("expected a 2-D [T, C] feature array, found " +
                          std::to_string(a.shape.size()) + " dimensions",
                      path.string(), "header");
  Matrix m{a.shape[0], a.shape[1], a.to_float32()};
  if (m.rows == 0)
    throw FormatError("the feature file has zero length (T = 0)", path.string(), "row 0");
  if (m.cols == 0)
    throw FormatError("the feature file has zero channels (C = 0)", path.string(), "header");
  for (std::size_t i = 0; i < m.values.size(); ++i) {
    if (!std::isfinite(m.values[i])) {
      const int64_t r = static_cast<int64_t>(i) / m.cols, c = static_cast<int64_t>(i) % m.cols;
      throw FormatError(std::string("non-finite feature value (") +
                            (std::isnan(m.values[i]) ? "NaN" : "Inf") + ")",
                        path.string(),
                        "row " + std::to_string(r) + ", channel " + std::to_string(c));
    }
  }
  return m;
}

void check_width(const Matrix& m, int64_t expected, const fs::path& path) {
  if (expected > 0 && m.cols != expected)
    throw FormatError("wrong feature width: expected " + std::to_string(expected) +
                          " channels, found " + std::to_string(m.cols),
                      path.string(), "header");
}

GridConvention read_grid(const fs::path& meta_path) {
  GridConvention grid;
  std::ifstream in(meta_path);
  if (!in) throw IoError("cannot open", meta_path.string());
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw FormatError(std::string("malformed JSON: ") + e.what(), meta_path.string(),
                      "byte " + std::to_string(e.byte));
  }
  // Accept both our flat keys and a nested "grid" object (the features library's meta.json).
  const nlohmann::json& g = j.contains("grid") && j["grid"].is_object() ? j["grid"] : j;
  try {
    if (g.contains("feat_stride")) grid.feat_stride = g["feat_stride"].get<int>();
    if (g.contains("stride")) grid.feat_stride = g["stride"].get<int>();
    if (g.contains("num_frames")) grid.num_frames = g["num_frames"].get<int>();
    if (g.contains("clip_frames")) grid.num_frames = g["clip_frames"].get<int>();
    if (g.contains("fps")) grid.fps = g["fps"].get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(std::string("bad grid value: ") + e.what(), meta_path.string(), "grid");
  }
  if (grid.feat_stride <= 0 || grid.num_frames <= 0 || !(grid.fps > 0))
    throw FormatError("grid values must be positive", meta_path.string(), "grid");
  return grid;
}

}  // namespace

FeatureLayout detect_layout(const fs::path& dir) {
  if (fs::is_directory(dir / "videomaev2")) return FeatureLayout::Reference;
  if (fs::exists(dir / kMeta)) return FeatureLayout::Teamor;
  throw IoError(
      "not a feature folder: expected videomaev2/ (reference layout) or meta.json "
      "(teamor layout)",
      dir.string());
}

std::vector<std::string> list_feature_ids(const fs::path& dir) {
  const fs::path folder = detect_layout(dir) == FeatureLayout::Reference ? dir / "videomaev2" : dir;
  std::vector<std::string> ids;
  for (const auto& entry : fs::directory_iterator(folder))
    if (entry.is_regular_file() && entry.path().extension() == ".npy")
      ids.push_back(entry.path().stem().string());
  std::sort(ids.begin(), ids.end());
  return ids;
}

FeatureSequence load_features(const fs::path& dir, const std::string& id,
                              int64_t expected_channels) {
  FeatureSequence seq;
  seq.id = id;
  if (detect_layout(dir) == FeatureLayout::Teamor) {
    seq.grid = read_grid(dir / kMeta);
    const fs::path path = dir / (id + ".npy");
    Matrix m = read_matrix(path);
    check_width(m, expected_channels, path);
    seq.length = m.rows;
    seq.channels = m.cols;
    seq.values = std::move(m.values);
    return seq;
  }
  const fs::path vpath = dir / "videomaev2" / (id + ".npy");
  const fs::path spath = dir / "stgcnpp" / (id + ".npy");
  Matrix v = read_matrix(vpath);
  check_width(v, kSceneChannels, vpath);
  Matrix s = read_matrix(spath);
  check_width(s, kSkeletonChannels, spath);
  if (std::abs(v.rows - s.rows) > kMaxStreamLengthDifference)
    throw FormatError("the two streams differ by " + std::to_string(std::abs(v.rows - s.rows)) +
                          " rows (videomaev2 " + std::to_string(v.rows) + ", stgcnpp " +
                          std::to_string(s.rows) + "); at most " +
                          std::to_string(kMaxStreamLengthDifference) +
                          " are expected from clip rounding",
                      spath.string(), "row " + std::to_string(std::min(v.rows, s.rows)));
  const int64_t channels = v.cols + s.cols;
  if (expected_channels > 0 && channels != expected_channels)
    throw FormatError("wrong feature width: the model expects " +
                          std::to_string(expected_channels) +
                          " channels, the reference layout gives " + std::to_string(channels),
                      vpath.string(), "header");
  const int64_t t = std::max(v.rows, s.rows);
  seq.length = t;
  seq.channels = channels;
  seq.values.resize(static_cast<std::size_t>(t * channels));
  // Align at the end: the shorter stream repeats its first row at the front (spec 1.4).
  for (int64_t r = 0; r < t; ++r) {
    const int64_t rv = std::max<int64_t>(0, r - (t - v.rows));
    const int64_t rs = std::max<int64_t>(0, r - (t - s.rows));
    float* dst = seq.values.data() + r * channels;
    std::copy_n(v.values.data() + rv * v.cols, v.cols, dst);
    std::copy_n(s.values.data() + rs * s.cols, s.cols, dst + v.cols);
  }
  return seq;
}

void save_features(const fs::path& dir, const FeatureSequence& sequence,
                   const std::string& backend) {
  fs::create_directories(dir);
  nlohmann::ordered_json meta = {{"format", "teamor-features"},
                                 {"version", 1},
                                 {"channels", sequence.channels},
                                 {"feat_stride", sequence.grid.feat_stride},
                                 {"num_frames", sequence.grid.num_frames},
                                 {"fps", sequence.grid.fps},
                                 {"backend", backend}};
  write_file_atomically(dir / kMeta, meta.dump(2));
  io::write_npy(dir / (sequence.id + ".npy"), sequence.values,
                {sequence.length, sequence.channels});
}

}  // namespace teamor::detector
