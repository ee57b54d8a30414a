#include "annotations/formats/label_studio.h"

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <cmath>
#include <cstring>

#include "annotations/formats/format_support.h"
#include "annotations/formats/json_support.h"
#include "common/error.h"

namespace teamor::annotations {
namespace {

using nlohmann::json;
using namespace detail;

// frameRate (documented) or framerate (seen in the ML backend's fixtures) of the <Video> tag.
std::optional<double> fps_from_config(const std::string& config, const std::string& file) {
  pugi::xml_document doc;
  if (!doc.load_buffer(config.data(), config.size(), pugi::parse_default, pugi::encoding_utf8))
    return std::nullopt;
  pugi::xml_node video = doc.find_node([](pugi::xml_node n) {
    return std::strcmp(n.name(), "Video") == 0 &&
           (n.attribute("frameRate") || n.attribute("framerate"));
  });
  if (!video) return std::nullopt;
  auto attr =
      video.attribute("frameRate") ? video.attribute("frameRate") : video.attribute("framerate");
  double fps = 0;
  if (!parse_number(attr.value(), fps) || fps <= 0)
    throw FormatError(std::string("the labeling config's Video frameRate '") + attr.value() +
                          "' is not a positive number",
                      file, "/project/label_config");
  return fps;
}

class Reader {
 public:
  Reader(const std::string& file, const ReadOptions& options) : file_(file), options_(options) {}

  AnnotationCollection run(std::string_view text) {
    const json doc = parse_json_strict(text, file_);
    if (doc.is_array()) {
      for (std::size_t i = 0; i < doc.size(); ++i)
        task(doc[i], child_path("", i), std::nullopt);
    } else if (doc.is_object() && doc.contains("annotation")) {
      // Webhook / ML-backend payload: one annotation, the project's config, the task.
      std::optional<double> fps;
      if (doc.contains("project") && doc["project"].is_object() &&
          doc["project"].contains("label_config"))
        fps = fps_from_config(
            require_string(doc["project"]["label_config"], file_, "/project/label_config"), file_);
      json t = doc.contains("task") ? doc["task"] : json::object();
      require_object(t, file_, "/task");
      t["annotations"] = json::array({doc["annotation"]});
      task(t, "", fps, "/annotation");
    } else if (doc.is_object()) {
      task(doc, "", std::nullopt);
    } else {
      wrong_type(doc, "a task list, a task or an annotation payload", file_, "");
    }
    return std::move(out_);
  }

 private:
  void task(const json& t, const std::string& path, std::optional<double> fps,
            const std::string& annotations_path = {}) {
    require_object(t, file_, path);
    std::string id;
    if (t.contains("data") && t["data"].is_object()) {
      const json& data = t["data"];
      if (data.contains("recording_id") && data["recording_id"].is_string())
        id = data["recording_id"].get<std::string>();
      if (id.empty() && data.contains("video") && data["video"].is_string())
        id = file_stem(data["video"].get<std::string>());
      if (!fps && data.contains("fps"))
        fps = require_number(data["fps"], file_, child_path(path, "data/fps"));
    }
    if (!options_.recording_id.empty()) id = options_.recording_id;
    if (id.empty() && t.contains("id") && t["id"].is_number_integer())
      id = "task-" + std::to_string(t["id"].get<long long>());
    if (id.empty()) id = file_stem(file_);
    if (!fps) fps = options_.fps;
    AnnotationSet& set = out_[id];
    set.recording_id = id;
    if (t.contains("data") && t["data"].is_object() && t["data"].contains("video") &&
        t["data"]["video"].is_string() && set.media.empty())
      set.media.push_back({"video", t["data"]["video"].get<std::string>(), 0.0});
    for (const char* kind : {"annotations", "predictions"}) {
      if (!t.contains(kind)) continue;
      const std::string kpath = annotations_path.empty() || std::strcmp(kind, "annotations") != 0
                                    ? child_path(path, kind)
                                    : annotations_path;
      const json& list = require_array(t[kind], file_, kpath);
      const bool prediction = std::strcmp(kind, "predictions") == 0;
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string apath =
            annotations_path.empty() || prediction ? child_path(kpath, i) : kpath;
        const json& a = require_object(list[i], file_, apath);
        if (a.value("was_cancelled", false) == true) continue;
        std::optional<double> overall;
        if (a.contains("score") && a["score"].is_number()) overall = a["score"].get<double>();
        if (!a.contains("result")) continue;
        const json& result = require_array(a["result"], file_, child_path(apath, "result"));
        for (std::size_t r = 0; r < result.size(); ++r)
          region(result[r], child_path(child_path(apath, "result"), r), prediction, overall, fps,
                 set);
      }
    }
  }

  void region(const json& reg, const std::string& path, bool prediction,
              std::optional<double> overall, std::optional<double> fps, AnnotationSet& set) {
    require_object(reg, file_, path);
    if (!reg.contains("type") || reg["type"] != "timelinelabels") {
      ++skipped_;
      return;
    }
    if (!fps)
      throw ConfigError(
          "Label Studio ranges are frame numbers and no frame rate is known: set "
          "frameRate on the <Video> tag of the labeling config or give --fps",
          file_);
    const json& value =
        require_object(require_key(reg, "value", file_, path), file_, child_path(path, "value"));
    const std::string vpath = child_path(path, "value");
    const json& ranges = require_array(require_key(value, "ranges", file_, vpath), file_,
                                       child_path(vpath, "ranges"));
    const json& labels = require_array(require_key(value, "timelinelabels", file_, vpath), file_,
                                       child_path(vpath, "timelinelabels"));
    std::optional<double> score = overall;
    if (reg.contains("score") && !reg["score"].is_null())
      score = require_number(reg["score"], file_, child_path(path, "score"));
    if (score) check_score(*score, file_, child_path(path, "score"));
    for (std::size_t l = 0; l < labels.size(); ++l) {
      const std::string label =
          require_string(labels[l], file_, child_path(child_path(vpath, "timelinelabels"), l));
      for (std::size_t k = 0; k < ranges.size(); ++k) {
        const std::string rpath = child_path(child_path(vpath, "ranges"), k);
        const json& range = require_object(ranges[k], file_, rpath);
        const double start = require_number(require_key(range, "start", file_, rpath), file_,
                                            child_path(rpath, "start"));
        const double end = require_number(require_key(range, "end", file_, rpath), file_,
                                          child_path(rpath, "end"));
        if (start < 0 || end < 0)
          throw FormatError("frame numbers must be >= 0 (Label Studio counts from 1), found " +
                                format_number(start) + ".." + format_number(end),
                            file_, rpath);
        if (end < start)
          throw FormatError("range is reversed: end frame " + format_number(end) +
                                " is before start frame " + format_number(start),
                            file_, rpath);
        Segment s;
        s.label = map_label(label, options_);
        // Frames are numbered from 1 and the range includes its end frame.
        s.start_s = std::max(0.0, start - 1) / *fps;
        s.end_s = end / *fps;
        check_interval(s.start_s, s.end_s, file_, rpath);
        s.source = prediction ? Source::Prediction : Source::GroundTruth;
        s.state = prediction ? ReviewState::Proposed : ReviewState::Accepted;
        s.score = score;
        if (reg.contains("meta") && reg["meta"].is_object() && reg["meta"].contains("text") &&
            reg["meta"]["text"].is_array() && !reg["meta"]["text"].empty() &&
            reg["meta"]["text"][0].is_string())
          s.note = reg["meta"]["text"][0].get<std::string>();
        set.segments.push_back(std::move(s));
      }
    }
  }

  const std::string& file_;
  const ReadOptions& options_;
  AnnotationCollection out_;
  int skipped_ = 0;
};

}  // namespace

AnnotationCollection read_label_studio(std::string_view text, const std::string& file_name,
                                       const ReadOptions& options) {
  return Reader(file_name, options).run(text);
}

std::string write_label_studio(const AnnotationCollection& collection,
                               const WriteOptions& options) {
  json tasks = json::array();
  for (const auto& [id, set] : collection) {
    const std::optional<double> fps = set.fps ? set.fps : options.fps;
    if (!fps || !(*fps > 0))
      throw ConfigError("Label Studio counts frames: recording '" + id +
                        "' has no frame rate, give --fps");
    json annotations = json::array(), predictions = json::array();
    json reviewed = json::array(), predicted = json::array();
    double best = 0;
    int n = 0;
    for (const auto& s : set.segments) {
      const double start = std::round(s.start_s * *fps) + 1;
      const double end = std::max(start - 1, std::round(s.end_s * *fps));
      json reg = {{"id", "r" + std::to_string(++n)},
                  {"from_name", "timeline"},
                  {"to_name", "video"},
                  {"type", "timelinelabels"},
                  {"origin", s.source == Source::Prediction ? "prediction" : "manual"},
                  {"value",
                   {{"ranges", json::array({{{"start", start}, {"end", end}}})},
                    {"timelinelabels", json::array({s.label})}}}};
      if (s.score) reg["score"] = *s.score;
      if (!s.note.empty()) reg["meta"] = {{"text", json::array({s.note})}};
      if (s.source == Source::Prediction) {
        best = std::max(best, s.score.value_or(0.0));
        predicted.push_back(std::move(reg));
      } else {
        reviewed.push_back(std::move(reg));
      }
    }
    if (!reviewed.empty()) annotations.push_back({{"result", reviewed}, {"was_cancelled", false}});
    if (!predicted.empty())
      predictions.push_back(
          {{"model_version", options.model_version}, {"score", best}, {"result", predicted}});
    json data = {{"video", set.media.empty() ? id : set.media.front().path},
                 {"recording_id", id},
                 {"fps", *fps}};
    tasks.push_back({{"data", data}, {"annotations", annotations}, {"predictions", predictions}});
  }
  return tasks.dump(1) + "\n";
}

}  // namespace teamor::annotations
