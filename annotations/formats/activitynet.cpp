#include "annotations/formats/activitynet.h"

#include <nlohmann/json.hpp>

#include <set>

#include "annotations/formats/format_support.h"
#include "annotations/formats/json_support.h"
#include "common/error.h"

namespace teamor::annotations {
namespace {

using nlohmann::json;
using namespace detail;

// Reads one {segment, label, score?, ...} entry.
Segment read_entry(const json& entry, bool is_result, const std::string& file,
                   const std::string& path, const ReadOptions& options) {
  require_object(entry, file, path);
  Segment s;
  s.source = is_result ? Source::Prediction : Source::GroundTruth;
  s.state = is_result ? ReviewState::Proposed : ReviewState::Accepted;
  s.label = map_label(
      require_string(require_key(entry, "label", file, path), file, child_path(path, "label")),
      options);
  const std::string seg_path = child_path(path, "segment");
  const json& seg = require_array(require_key(entry, "segment", file, path), file, seg_path);
  if (seg.size() != 2)
    throw FormatError("expected a segment [start_s, end_s] of 2 numbers, found " +
                          std::to_string(seg.size()) + " values",
                      file, seg_path);
  s.start_s = require_number(seg[0], file, child_path(seg_path, 0));
  s.end_s = require_number(seg[1], file, child_path(seg_path, 1));
  check_interval(s.start_s, s.end_s, file, seg_path);
  if (auto it = entry.find("score"); it != entry.end() && !it->is_null()) {
    s.score = require_number(*it, file, child_path(path, "score"));
    check_score(*s.score, file, child_path(path, "score"));
  } else if (is_result) {
    throw FormatError("a detection result needs a 'score'", file, path);
  }
  try {
    if (auto it = entry.find("source"); it != entry.end())
      s.source = source_from_string(require_string(*it, file, child_path(path, "source")));
    if (auto it = entry.find("state"); it != entry.end())
      s.state = review_state_from_string(require_string(*it, file, child_path(path, "state")));
  } catch (const FormatError& e) {
    if (!e.file().empty()) throw;
    throw FormatError(e.message(), file, path);
  }
  if (auto it = entry.find("view"); it != entry.end())
    s.view = require_string(*it, file, child_path(path, "view"));
  if (auto it = entry.find("note"); it != entry.end())
    s.note = require_string(*it, file, child_path(path, "note"));
  return s;
}

void read_video_meta(const json& video, AnnotationSet& set, const std::string& file,
                     const std::string& path) {
  if (auto it = video.find("duration"); it != video.end() && !it->is_null()) {
    double d = require_number(*it, file, child_path(path, "duration"));
    if (d < 0)
      throw FormatError("duration must be >= 0, found " + format_number(d), file,
                        child_path(path, "duration"));
    set.duration_s = d;
  }
  if (auto it = video.find("fps"); it != video.end() && !it->is_null()) {
    double fps = require_number(*it, file, child_path(path, "fps"));
    if (fps <= 0)
      throw FormatError("fps must be > 0, found " + format_number(fps), file,
                        child_path(path, "fps"));
    set.fps = fps;
  }
  if (auto it = video.find("subset"); it != video.end() && !it->is_null())
    set.subset = require_string(*it, file, child_path(path, "subset"));
  if (auto it = video.find("views"); it != video.end()) {
    const std::string vpath = child_path(path, "views");
    require_array(*it, file, vpath);
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& v = require_object((*it)[i], file, child_path(vpath, i));
      MediaEntry m;
      m.name = require_string(require_key(v, "name", file, child_path(vpath, i)), file,
                              child_path(child_path(vpath, i), "name"));
      if (auto p = v.find("path"); p != v.end())
        m.path = require_string(*p, file, child_path(child_path(vpath, i), "path"));
      if (auto o = v.find("offset_s"); o != v.end())
        m.offset_s = require_number(*o, file, child_path(child_path(vpath, i), "offset_s"));
      set.media.push_back(std::move(m));
    }
  }
}

}  // namespace

AnnotationCollection read_activitynet(std::string_view text, const std::string& file_name,
                                      const ReadOptions& options) {
  const json doc = parse_json_strict(text, file_name);
  require_object(doc, file_name, "");
  const bool has_db = doc.contains("database");
  const bool has_results = doc.contains("results");
  if (!has_db && !has_results)
    throw FormatError(
        "an ActivityNet file needs a 'database' (ground truth) or 'results' (detections) object",
        file_name, "/");
  AnnotationCollection out;
  if (has_db) {
    const json& db = require_object(doc["database"], file_name, "/database");
    for (const auto& [id, video] : db.items()) {
      const std::string path = child_path("/database", id);
      require_object(video, file_name, path);
      AnnotationSet& set = out[id];
      set.recording_id = id;
      read_video_meta(video, set, file_name, path);
      if (auto it = video.find("annotations"); it != video.end()) {
        const std::string apath = child_path(path, "annotations");
        require_array(*it, file_name, apath);
        for (std::size_t i = 0; i < it->size(); ++i)
          set.segments.push_back(
              read_entry((*it)[i], false, file_name, child_path(apath, i), options));
      }
    }
  }
  if (has_results) {
    const json& results = require_object(doc["results"], file_name, "/results");
    for (const auto& [id, list] : results.items()) {
      const std::string path = child_path("/results", id);
      require_array(list, file_name, path);
      AnnotationSet& set = out[id];
      set.recording_id = id;
      for (std::size_t i = 0; i < list.size(); ++i)
        set.segments.push_back(read_entry(list[i], true, file_name, child_path(path, i), options));
    }
  }
  return out;
}

namespace {

json entry_json(const Segment& s, bool is_result) {
  json e = json::object();
  e["label"] = s.label;
  if (s.score) e["score"] = *s.score;
  e["segment"] = json::array({s.start_s, s.end_s});
  // Only what differs from the defaults of the form, so plain files stay plain.
  Source default_source = is_result ? Source::Prediction : Source::GroundTruth;
  ReviewState default_state = is_result ? ReviewState::Proposed : ReviewState::Accepted;
  if (s.source != default_source) e["source"] = std::string(to_string(s.source));
  if (s.state != default_state) e["state"] = std::string(to_string(s.state));
  if (!s.view.empty()) e["view"] = s.view;
  if (!s.note.empty()) e["note"] = s.note;
  return e;
}

bool all_scored_predictions(const AnnotationCollection& collection) {
  bool any = false;
  for (const auto& [id, set] : collection)
    for (const auto& s : set.segments) {
      if (s.source != Source::Prediction || !s.score) return false;
      any = true;
    }
  return any;
}

}  // namespace

std::string write_activitynet(const AnnotationCollection& collection, const WriteOptions& options) {
  ActivityNetKind kind = options.activitynet_kind;
  if (kind == ActivityNetKind::Auto)
    kind = all_scored_predictions(collection) ? ActivityNetKind::Results
                                              : ActivityNetKind::GroundTruth;
  json doc = json::object();
  doc["version"] = "VERSION 1.3";
  if (kind == ActivityNetKind::Results) {
    json results = json::object();
    for (const auto& [id, set] : collection) {
      json list = json::array();
      for (const auto& s : set.segments) {
        if (!s.score)
          throw ConfigError("ActivityNet results need a score on every segment; recording '" + id +
                            "' has an unscored '" + s.label + "' segment at " +
                            format_number(s.start_s) + " s (write ground truth instead)");
        list.push_back(entry_json(s, true));
      }
      results[id] = std::move(list);
    }
    doc["results"] = std::move(results);
    doc["external_data"] = {{"used", false}, {"details", "written by teamor"}};
  } else {
    std::set<std::string> labels;
    json db = json::object();
    for (const auto& [id, set] : collection) {
      json video = json::object();
      video["subset"] = set.subset.empty() ? "validation" : set.subset;
      if (set.duration_s) video["duration"] = *set.duration_s;
      if (set.fps) video["fps"] = *set.fps;
      if (!set.media.empty()) {
        json views = json::array();
        for (const auto& m : set.media)
          views.push_back({{"name", m.name}, {"path", m.path}, {"offset_s", m.offset_s}});
        video["views"] = std::move(views);
      }
      json anns = json::array();
      for (const auto& s : set.segments) {
        anns.push_back(entry_json(s, false));
        labels.insert(s.label);
      }
      video["annotations"] = std::move(anns);
      db[id] = std::move(video);
    }
    json taxonomy = json::array();
    int node = 1;
    for (const auto& label : labels)
      taxonomy.push_back(
          {{"nodeId", node++}, {"nodeName", label}, {"parentId", 0}, {"parentName", "Root"}});
    doc["taxonomy"] = std::move(taxonomy);
    doc["database"] = std::move(db);
  }
  return doc.dump(1) + "\n";
}

}  // namespace teamor::annotations
