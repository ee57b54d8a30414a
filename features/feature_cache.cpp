#include "features/feature_cache.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"
#include "io/npy.h"

#ifndef TEAMOR_VERSION
#define TEAMOR_VERSION "unknown"
#endif

namespace teamor::features {
namespace fs = std::filesystem;
namespace {

constexpr const char* kConvention = "t_s = (g * stride + clip_frames / 2) / fps";

nlohmann::json make_meta(const FeatureSequence& seq, const std::string& layout, int split) {
  nlohmann::json meta = {{"format", "teamor-features"},
                         {"format_version", 1},
                         {"layout", layout},
                         {"backend", seq.backend},
                         {"grid",
                          {{"clip_frames", seq.grid.clip_frames},
                           {"stride", seq.grid.stride},
                           {"fps", seq.grid.fps},
                           {"convention", kConvention}}},
                         {"channels", seq.C},
                         {"channel_names", seq.channel_names},
                         {"versions", {{"teamor", TEAMOR_VERSION}}}};
  if (layout == "reference") meta["split"] = split;
  // Provenance only (not compared): the backend settings that made the first file of the folder.
  if (!seq.config_json.empty()) {
    try {
      meta["features"] = nlohmann::json::parse(seq.config_json);
    } catch (const nlohmann::json::parse_error&) {
      meta["features"] = seq.config_json;
    }
  }
  return meta;
}

nlohmann::json read_meta(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw IoError("cannot open the feature folder's meta.json", path.string());
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw FormatError(std::string("meta.json is not valid JSON: ") + e.what(), path.string(),
                      "byte " + std::to_string(e.byte));
  }
}

/// Writes DIR/meta.json, or checks that an existing one describes the same features.
void write_or_check_meta(const fs::path& dir, const nlohmann::json& meta) {
  const fs::path path = dir / "meta.json";
  if (fs::exists(path)) {
    const auto old = read_meta(path);
    for (const char* key : {"layout", "backend", "grid", "channels", "channel_names"}) {
      if (old.value(key, nlohmann::json()) != meta[key])
        throw ConfigError(std::string("the folder already holds features with a different '") +
                              key + "' (" + old.value(key, nlohmann::json()).dump() + ", new " +
                              meta[key].dump() + "); use another folder",
                          path.string(), key);
    }
    return;
  }
  write_file_atomically(path, meta.dump(2) + "\n");
}

io::NpyArray read_2d(const fs::path& path) {
  auto array = io::read_npy(path);
  if (array.shape.size() != 2)
    throw FormatError("feature file must hold a 2-D array [T, C], found " +
                          std::to_string(array.shape.size()) + " dimensions",
                      path.string(), "header");
  return array;
}

}  // namespace

void write_features(const fs::path& dir, const std::string& id, const FeatureSequence& seq) {
  TEAMOR_ASSERT(seq.values.size() == static_cast<std::size_t>(seq.T) * seq.C);
  fs::create_directories(dir);
  write_or_check_meta(dir, make_meta(seq, "own", seq.C));
  io::write_npy(dir / (id + ".npy"), seq.values, {seq.T, seq.C});
}

void write_reference_features(const fs::path& dir, const std::string& id,
                              const FeatureSequence& seq, int split) {
  TEAMOR_ASSERT(seq.values.size() == static_cast<std::size_t>(seq.T) * seq.C);
  if (split < 1 || split > seq.C)
    throw ConfigError("reference split must be in [1, " + std::to_string(seq.C) + "], found " +
                      std::to_string(split));
  fs::create_directories(dir / "videomaev2");
  write_or_check_meta(dir, make_meta(seq, "reference", split));
  auto columns = [&](int from, int to) {
    std::vector<float> out;
    out.reserve(static_cast<std::size_t>(seq.T) * (to - from));
    for (std::int64_t t = 0; t < seq.T; ++t)
      out.insert(out.end(), seq.row(t) + from, seq.row(t) + to);
    return out;
  };
  io::write_npy(dir / "videomaev2" / (id + ".npy"), columns(0, split), {seq.T, split});
  if (split < seq.C) {
    fs::create_directories(dir / "stgcnpp");
    io::write_npy(dir / "stgcnpp" / (id + ".npy"), columns(split, seq.C), {seq.T, seq.C - split});
  }
}

bool has_features(const fs::path& dir, const std::string& id) {
  return fs::exists(dir / (id + ".npy")) || fs::exists(dir / "videomaev2" / (id + ".npy"));
}

FeatureSequence read_features(const fs::path& dir, const std::string& id) {
  FeatureSequence seq;
  seq.backend = "reference";
  const fs::path own = dir / (id + ".npy");
  const fs::path scene = dir / "videomaev2" / (id + ".npy");
  const fs::path skeleton = dir / "stgcnpp" / (id + ".npy");
  fs::path main_file;
  if (fs::exists(own)) {
    main_file = own;
    const auto a = read_2d(own);
    seq.T = a.shape[0];
    seq.C = static_cast<int>(a.shape[1]);
    seq.values = a.to_float32();
  } else if (fs::exists(scene)) {
    main_file = scene;
    const auto a = read_2d(scene);
    auto v = a.to_float32();
    std::int64_t tv = a.shape[0];
    int cv = static_cast<int>(a.shape[1]);
    if (fs::exists(skeleton)) {
      const auto b = read_2d(skeleton);
      auto s = b.to_float32();
      std::int64_t ts = b.shape[0];
      const int cs = static_cast<int>(b.shape[1]);
      if ((tv == 0) != (ts == 0))
        throw FormatError("one feature stream is empty and the other is not", skeleton.string());
      // Team-OR's load_feature: repeat the shorter stream's first row at the front so the
      // streams line up at the end.
      const std::int64_t T = std::max(tv, ts);
      seq.T = T;
      seq.C = cv + cs;
      seq.values.resize(static_cast<std::size_t>(T) * seq.C);
      for (std::int64_t t = 0; t < T; ++t) {
        const std::int64_t iv = std::max<std::int64_t>(0, t - (T - tv));
        const std::int64_t is = std::max<std::int64_t>(0, t - (T - ts));
        std::copy_n(v.begin() + iv * cv, cv, seq.row(t));
        std::copy_n(s.begin() + is * cs, cs, seq.row(t) + cv);
      }
    } else {
      seq.T = tv;
      seq.C = cv;
      seq.values = std::move(v);
    }
  } else {
    throw IoError(
        "no features for '" + id + "': expected " + own.string() + " or " + scene.string(),
        dir.string());
  }
  const fs::path meta_path = dir / "meta.json";
  if (fs::exists(meta_path)) {
    const auto meta = read_meta(meta_path);
    try {
      seq.backend = meta.at("backend").get<std::string>();
      const auto& g = meta.at("grid");
      seq.grid.clip_frames = g.at("clip_frames").get<int>();
      seq.grid.stride = g.at("stride").get<int>();
      seq.grid.fps = g.at("fps").get<double>();
      seq.channel_names = meta.value("channel_names", std::vector<std::string>{});
      if (meta.contains("features")) seq.config_json = meta["features"].dump();
    } catch (const nlohmann::json::exception& e) {
      throw FormatError(std::string("meta.json lacks or mistypes a key: ") + e.what(),
                        meta_path.string());
    }
    if (!seq.channel_names.empty() && static_cast<int>(seq.channel_names.size()) != seq.C)
      throw FormatError("meta.json names " + std::to_string(seq.channel_names.size()) +
                            " channels but " + main_file.string() + " has " + std::to_string(seq.C),
                        meta_path.string(), "channel_names");
  }
  return seq;
}

}  // namespace teamor::features
