#include "detector/model_bundle.h"

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/error.h"
#include "io/safetensors.h"

namespace teamor::detector {
namespace fs = std::filesystem;
namespace {

constexpr const char* kModelJson = "model.json";

[[noreturn]] void bad_key(const fs::path& file, const std::string& key, const std::string& what) {
  throw ConfigError("model.json key '" + key + "': " + what, file.string(), "key '" + key + "'");
}

void check_keys(const nlohmann::json& obj, const std::set<std::string>& allowed,
                const fs::path& file, const std::string& prefix) {
  if (!obj.is_object()) bad_key(file, prefix, "expected an object");
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (!allowed.count(it.key()))
      bad_key(file, prefix.empty() ? it.key() : prefix + "." + it.key(), "unknown key");
}

template <typename T>
T get(const nlohmann::json& obj, const std::string& key, const fs::path& file,
      const std::string& prefix, T fallback) {
  if (!obj.contains(key)) return fallback;
  try {
    return obj.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    bad_key(file, prefix.empty() ? key : prefix + "." + key,
            "wrong type (found " + std::string(obj.at(key).type_name()) + ")");
  }
}

std::string weights_name(std::size_t index) {
  return index == 0 ? "detector.safetensors" : "detector_" + std::to_string(index) + ".safetensors";
}

}  // namespace

namespace {

BundleNetwork read_network(const nlohmann::json& n, const fs::path& file, const std::string& prefix,
                           std::size_t index) {
  BundleNetwork net;
  if (!n.contains("config") || !n["config"].is_object())
    bad_key(file, prefix + "config", "expected the detector configuration object");
  try {
    net.config = parse_config(n["config"].dump(), DetectorConfig{}, file.string());
  } catch (const ConfigError& e) {
    throw ConfigError(prefix + "config: " + e.message(), file.string(), e.position());
  }
  net.labels =
      get<std::vector<std::string>>(n, "labels", file, prefix, {net.config.dataset.seg_name});
  net.weights_file = get<std::string>(n, "weights", file, prefix, weights_name(index));
  if (static_cast<int>(net.labels.size()) != net.config.dataset.num_classes)
    bad_key(file, prefix + "labels",
            "expected " + std::to_string(net.config.dataset.num_classes) +
                " labels (one per class), found " + std::to_string(net.labels.size()));
  if (fs::path(net.weights_file).is_absolute() ||
      net.weights_file.find("..") != std::string::npos || net.weights_file.empty())
    bad_key(file, prefix + "weights", "must be a file name inside the bundle");
  return net;
}

}  // namespace

ModelBundle load_bundle(const fs::path& dir) {
  const fs::path file = dir / kModelJson;
  if (!fs::is_directory(dir)) throw IoError("model bundle folder not found", dir.string());
  std::ifstream in(file);
  if (!in) throw IoError("model bundle has no model.json", file.string());
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw ConfigError(std::string("malformed JSON: ") + e.what(), file.string(),
                      "byte " + std::to_string(e.byte));
  }
  check_keys(j,
             {"format", "format_version", "features", "input_dim", "grid", "score_threshold",
              "config", "labels", "weights", "extra_networks", "provenance"},
             file, "");
  if (j.contains("format") && get<std::string>(j, "format", file, "", "") != "teamor-model-bundle")
    bad_key(file, "format", "expected \"teamor-model-bundle\"");
  ModelBundle b;
  b.format_version = get<int>(j, "format_version", file, "", 1);
  if (b.format_version != 1) bad_key(file, "format_version", "only version 1 is supported");
  if (j.contains("features")) {
    if (!j["features"].is_object()) bad_key(file, "features", "expected an object");
    b.feature_settings = j["features"].dump();
    b.feature_backend = get<std::string>(j["features"], "backend", file, "features.", "reference");
  }
  if (j.contains("grid")) {
    const auto& g = j["grid"];
    check_keys(g, {"clip_frames", "stride", "fps"}, file, "grid");
    b.grid.num_frames = get<int>(g, "clip_frames", file, "grid.", 32);
    b.grid.feat_stride = get<int>(g, "stride", file, "grid.", 32);
    b.grid.fps = get<double>(g, "fps", file, "grid.", 30.0);
    if (b.grid.feat_stride <= 0 || b.grid.num_frames <= 0 || !(b.grid.fps > 0))
      bad_key(file, "grid", "clip_frames, stride and fps must be > 0");
  }
  b.score_threshold = get<double>(j, "score_threshold", file, "", 0.0);
  if (!(b.score_threshold >= 0 && b.score_threshold < 1))
    bad_key(file, "score_threshold", "expected a value in [0, 1)");
  if (j.contains("provenance")) {
    const auto& p = j["provenance"];
    check_keys(p, {"source", "data", "commit", "date", "notes"}, file, "provenance");
    b.provenance = {get<std::string>(p, "source", file, "provenance.", ""),
                    get<std::string>(p, "data", file, "provenance.", ""),
                    get<std::string>(p, "commit", file, "provenance.", ""),
                    get<std::string>(p, "date", file, "provenance.", ""),
                    get<std::string>(p, "notes", file, "provenance.", "")};
  }
  b.networks.push_back(read_network(j, file, "", 0));
  if (j.contains("extra_networks")) {
    if (!j["extra_networks"].is_array()) bad_key(file, "extra_networks", "expected a list");
    for (std::size_t i = 0; i < j["extra_networks"].size(); ++i) {
      const auto& n = j["extra_networks"][i];
      const std::string prefix = "extra_networks[" + std::to_string(i) + "].";
      check_keys(n, {"config", "labels", "weights"}, file, prefix);
      b.networks.push_back(read_network(n, file, prefix, i + 1));
    }
  }
  b.input_dim = get<int64_t>(j, "input_dim", file, "", b.networks[0].config.dataset.input_dim);
  std::set<std::string> all_labels, all_weights;
  for (const auto& net : b.networks) {
    for (const auto& l : net.labels)
      if (!all_labels.insert(l).second)
        bad_key(file, "labels", "label '" + l + "' appears twice in the bundle");
    if (!all_weights.insert(net.weights_file).second)
      bad_key(file, "weights", "two networks share the weights file '" + net.weights_file + "'");
    if (net.config.dataset.input_dim != b.input_dim)
      bad_key(file, "input_dim",
              "the bundle says " + std::to_string(b.input_dim) + " but a network's config has " +
                  std::to_string(net.config.dataset.input_dim));
  }
  return b;
}

void save_bundle(const fs::path& dir, const ModelBundle& bundle,
                 const std::vector<io::SafeTensors>& weights) {
  if (weights.size() != bundle.networks.size() || bundle.networks.empty())
    throw ConfigError("a bundle needs one weights file per network (" +
                      std::to_string(bundle.networks.size()) + " networks, " +
                      std::to_string(weights.size()) + " weight sets)");
  fs::create_directories(dir);
  auto network_json = [&](std::size_t i) {
    const auto& n = bundle.networks[i];
    const std::string wname = n.weights_file.empty() ? weights_name(i) : n.weights_file;
    io::write_safetensors(dir / wname, weights[i]);
    return nlohmann::ordered_json{{"labels", n.labels},
                                  {"weights", wname},
                                  {"config", nlohmann::ordered_json::parse(to_json(n.config))}};
  };
  nlohmann::ordered_json j;
  j["format"] = "teamor-model-bundle";
  j["format_version"] = bundle.format_version;
  auto features = nlohmann::ordered_json::parse(bundle.feature_settings);
  if (!features.contains("backend")) features["backend"] = bundle.feature_backend;
  j["features"] = features;
  j["input_dim"] = bundle.input_dim;
  j["grid"] = {{"clip_frames", bundle.grid.num_frames},
               {"stride", bundle.grid.feat_stride},
               {"fps", bundle.grid.fps}};
  j["score_threshold"] = bundle.score_threshold;
  const auto first = network_json(0);  // keep alive: items() refers into it
  for (const auto& [k, v] : first.items())
    j[k] = v;
  if (bundle.networks.size() > 1) {
    j["extra_networks"] = nlohmann::ordered_json::array();
    for (std::size_t i = 1; i < bundle.networks.size(); ++i)
      j["extra_networks"].push_back(network_json(i));
  }
  const auto& p = bundle.provenance;
  j["provenance"] = {{"source", p.source},
                     {"data", p.data},
                     {"commit", p.commit},
                     {"date", p.date},
                     {"notes", p.notes}};
  write_file_atomically(dir / kModelJson, j.dump(2) + "\n");
}

Network make_network(const fs::path& dir, const ModelBundle& bundle, std::size_t index) {
  TEAMOR_ASSERT(index < bundle.networks.size());
  const auto& n = bundle.networks[index];
  Network net(n.config);
  const fs::path wpath = dir / n.weights_file;
  if (!fs::exists(wpath)) throw IoError("model bundle weights file not found", wpath.string());
  load_state(net, io::read_safetensors(wpath), wpath.string());
  net->eval();
  return net;
}

}  // namespace teamor::detector
