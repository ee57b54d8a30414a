#include "annotations/formats/boris.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "annotations/formats/boris_comment.h"
#include "annotations/formats/format_support.h"
#include "annotations/formats/json_support.h"
#include "common/error.h"

namespace teamor::annotations {
namespace {

using nlohmann::json;
using namespace detail;

constexpr int kMaxPlayers = 8;  // BORIS config.N_PLAYER

std::string string_or_empty(const json& v, const std::string& file, const std::string& path) {
  if (v.is_null()) return {};
  return require_string(v, file, path);
}

// Players and their queued media -> views (offset_s = -player offset - earlier queued lengths).
void read_media(const json& obs, AnnotationSet& set, const std::string& file,
                const std::string& path) {
  auto files = obs.find("file");
  if (files == obs.end() || !files->is_object()) return;  // LIVE observations: [] or {}
  const json* info =
      obs.contains("media_info") && obs["media_info"].is_object() ? &obs["media_info"] : nullptr;
  for (const auto& [player, list] : files->items()) {
    const std::string ppath = child_path(child_path(path, "file"), player);
    require_array(list, file, ppath);
    double offset = 0;
    if (info && info->contains("offset") && (*info)["offset"].is_object() &&
        (*info)["offset"].contains(player))
      offset = require_number((*info)["offset"][player], file,
                              child_path(child_path(path, "media_info/offset"), player));
    double queued = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string media = require_string(list[i], file, child_path(ppath, i));
      MediaEntry m;
      m.path = media;
      m.name =
          list.size() == 1 ? "player" + player : "player" + player + "." + std::to_string(i + 1);
      m.offset_s = -offset - queued;
      set.media.push_back(m);
      if (info && info->contains("length") && (*info)["length"].is_object() &&
          (*info)["length"].contains(media) && (*info)["length"][media].is_number())
        queued += (*info)["length"][media].get<double>();
    }
  }
}

}  // namespace

AnnotationCollection read_boris_project(std::string_view text, const std::string& file_name,
                                        const ReadOptions& options) {
  const json doc = parse_json_strict(text, file_name);
  require_object(doc, file_name, "");
  if (!doc.contains("observations"))
    throw FormatError("not a BORIS project: no 'observations' object", file_name, "/");
  // Behaviour code -> is it a state event? Codes missing from the ethogram count as states.
  std::map<std::string, bool> is_state;
  if (auto it = doc.find("behaviors_conf"); it != doc.end() && it->is_object())
    for (const auto& [idx, b] : it->items()) {
      const std::string bpath = child_path("/behaviors_conf", idx);
      require_object(b, file_name, bpath);
      if (!b.contains("code") || !b.contains("type")) continue;
      const std::string code = require_string(b["code"], file_name, child_path(bpath, "code"));
      const std::string type = require_string(b["type"], file_name, child_path(bpath, "type"));
      is_state[code] = type.find("State") != std::string::npos;
    }
  const json& observations = require_object(doc["observations"], file_name, "/observations");
  AnnotationCollection out;
  for (const auto& [obs_id, obs] : observations.items()) {
    const std::string path = child_path("/observations", obs_id);
    require_object(obs, file_name, path);
    AnnotationSet& set = out[obs_id];
    set.recording_id = obs_id;
    read_media(obs, set, file_name, path);
    if (!obs.contains("events")) continue;
    const std::string epath = child_path(path, "events");
    const json& events = require_array(obs["events"], file_name, epath);
    // Open state per (subject, code, modifier): time, comment, where.
    std::map<std::tuple<std::string, std::string, std::string>, std::pair<double, std::string>>
        open;
    int points = 0;
    for (std::size_t i = 0; i < events.size(); ++i) {
      const std::string ipath = child_path(epath, i);
      const json& ev = require_array(events[i], file_name, ipath);
      if (ev.size() < 3)
        throw FormatError("an event needs at least [time, subject, code], found " +
                              std::to_string(ev.size()) + " fields",
                          file_name, ipath);
      const double t = require_number(ev[0], file_name, child_path(ipath, 0));
      const std::string subject = string_or_empty(ev[1], file_name, child_path(ipath, 1));
      const std::string code = require_string(ev[2], file_name, child_path(ipath, 2));
      const std::string modifier =
          ev.size() > 3 ? string_or_empty(ev[3], file_name, child_path(ipath, 3)) : "";
      const std::string comment =
          ev.size() > 4 ? string_or_empty(ev[4], file_name, child_path(ipath, 4)) : "";
      auto known = is_state.find(code);
      if (known != is_state.end() && !known->second) {
        ++points;
        continue;
      }
      auto key = std::make_tuple(subject, code, modifier);
      auto it = open.find(key);
      if (it == open.end()) {
        open.emplace(key, std::make_pair(t, comment));
        continue;
      }
      Segment s;
      s.label = map_label(code, options);
      s.start_s = it->second.first;
      s.end_s = t;
      check_interval(s.start_s, s.end_s, file_name, ipath);
      apply_boris_subject(subject, s);
      apply_boris_comment(it->second.second, s);
      if (!modifier.empty()) s.note += (s.note.empty() ? "" : "; ") + ("modifier " + modifier);
      set.segments.push_back(std::move(s));
      open.erase(it);
    }
    for (const auto& [key, start] : open)
      warn(options, file_name + ": observation '" + obs_id + "': state event '" + std::get<1>(key) +
                        "' of subject '" + std::get<0>(key) + "' started at " +
                        format_number(start.first) + " s has no STOP; ignored");
    if (points > 0)
      warn(options, file_name + ": observation '" + obs_id + "': " + std::to_string(points) +
                        " point events are not intervals; ignored");
  }
  return out;
}

std::string write_boris_project(const AnnotationCollection& collection,
                                const WriteOptions& /*options*/) {
  std::set<std::string> labels, subjects;
  for (const auto& [id, set] : collection) {
    std::vector<const Segment*> ptrs;
    for (const auto& s : set.segments) {
      labels.insert(s.label);
      ptrs.push_back(&s);
    }
    for (const auto& subject : boris_subjects(ptrs))
      if (!subject.empty()) subjects.insert(subject);
  }
  json behaviors = json::object();
  int i = 0;
  for (const auto& l : labels)
    behaviors[std::to_string(i++)] = {
        {"type", "State event"},       {"key", ""},      {"code", l},
        {"description", ""},           {"color", ""},    {"category", ""},
        {"modifiers", json::object()}, {"excluded", ""}, {"coding map", ""}};
  json subjects_conf = json::object();
  i = 0;
  for (const auto& s : subjects)
    subjects_conf[std::to_string(i++)] = {{"key", ""}, {"name", s}, {"description", ""}};
  json observations = json::object();
  for (const auto& [id, set] : collection) {
    if (set.media.size() > kMaxPlayers)
      throw ConfigError("BORIS has at most 8 players; recording '" + id + "' has " +
                        std::to_string(set.media.size()) + " views");
    // Subjects keep overlapping intervals apart (lanes), see boris_subjects().
    const auto evs = boris_state_events(set.segments);
    json events = json::array();
    for (const auto& e : evs)
      events.push_back(
          {e.time_s, e.subject, e.segment->label, "", e.start ? boris_comment(*e.segment) : ""});
    json files = json::object(), offsets = json::object();
    for (std::size_t p = 0; p < std::max<std::size_t>(2, set.media.size()); ++p) {
      const std::string player = std::to_string(p + 1);
      files[player] = p < set.media.size() ? json::array({set.media[p].path}) : json::array();
      offsets[player] = p < set.media.size() ? -set.media[p].offset_s : 0.0;
    }
    json obs = {{"file", files},
                {"type", set.media.empty() ? "LIVE" : "MEDIA"},
                {"date", "2000-01-01T00:00:00"},
                {"description", "exported by teamor"},
                {"time offset", 0.0},
                {"events", events},
                {"independent_variables", json::object()},
                {"close_behaviors_between_videos", false},
                {"media_info",
                 {{"length", json::object()},
                  {"fps", json::object()},
                  {"hasVideo", json::object()},
                  {"hasAudio", json::object()},
                  {"offset", offsets}}}};
    if (set.duration_s && !set.media.empty())
      obs["media_info"]["length"][set.media[0].path] = *set.duration_s;
    if (set.fps && !set.media.empty()) obs["media_info"]["fps"][set.media[0].path] = *set.fps;
    observations[id] = std::move(obs);
  }
  json doc = {{"time_format", "s"},
              {"project_name", "teamor export"},
              {"project_date", "2000-01-01T00:00:00"},
              {"project_description", "Surgical team communication protocols exported by teamor"},
              {"project_format_version", "7.0"},
              {"subjects_conf", subjects_conf},
              {"behaviors_conf", behaviors},
              {"behavioral_categories", json::array()},
              {"independent_variables", json::object()},
              {"coding_map", json::object()},
              {"behaviors_coding_map", json::array()},
              {"converters", json::object()},
              {"observations", observations}};
  return doc.dump(1) + "\n";
}

}  // namespace teamor::annotations
