#include "annotations/formats/team_or_pickle.h"

#include <cmath>
#include <cstdint>

#include "annotations/formats/format_support.h"
#include "annotations/formats/pickle.h"
#include "common/error.h"

namespace teamor::annotations {
namespace {

using namespace pickle;

[[noreturn]] void bad(const std::string& file, const std::string& path, const std::string& what) {
  throw FormatError(what, file, path);
}

// An event's frame field: a non-negative integer (an integral float is accepted too).
std::int64_t frames(const Value& v, const std::string& file, const std::string& path) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    if (*i < 0) bad(file, path, "expected a frame count >= 0, found " + std::to_string(*i));
    return *i;
  }
  if (const auto* d = std::get_if<double>(&v)) {
    if (!std::isfinite(*d) || *d < 0 || *d != std::floor(*d) || *d > 9e15)
      bad(file, path, "expected a whole frame count >= 0, found " + detail::format_number(*d));
    return static_cast<std::int64_t>(*d);
  }
  bad(file, path, "expected an int frame count, found " + std::string(type_name(v)));
}

const Value* find_key(const Document& doc, DictRef d, std::string_view key) {
  for (const auto& [k, v] : doc.dict(d))
    if (const auto* s = std::get_if<StrRef>(&k); s && doc.str(*s) == key) return &v;
  return nullptr;
}

}  // namespace

AnnotationCollection read_team_or_pickle(std::string_view data, const std::string& file_name,
                                         const ReadOptions& options) {
  if (!options.fps)
    throw ConfigError(
        "the Team-OR pickle counts frames: give its frame rate (--fps, 30 for the "
        "reference data)",
        file_name);
  const double fps = *options.fps;
  if (!(fps > 0) || !std::isfinite(fps))
    throw ConfigError("--fps must be > 0, found " + detail::format_number(fps), file_name);
  const Document doc = pickle::load(data, file_name);
  const auto* top = std::get_if<DictRef>(&doc.root);
  if (top == nullptr)
    bad(file_name, "top level",
        "expected a dict {\"<video>.mp4\": [events]}, found " + std::string(type_name(doc.root)));
  AnnotationCollection out;
  for (const auto& [key, value] : doc.dict(*top)) {
    const auto* name = std::get_if<StrRef>(&key);
    if (name == nullptr)
      bad(file_name, "top level",
          "expected str video names as keys, found " + std::string(type_name(key)));
    const std::string& video = doc.str(*name);
    const std::string id = detail::file_stem(video);
    const std::string path = "['" + video + "']";
    if (out.count(id))
      bad(file_name, path, "duplicate recording id '" + id + "' (two keys with the same stem)");
    AnnotationSet& set = out[id];
    set.recording_id = id;
    set.fps = fps;
    set.media.push_back({id, video, 0.0});
    // The reference reads events as value[n] for n < len(value): a list, tuple or {0: ..} dict.
    std::vector<Value> events;
    if (const auto* l = std::get_if<ListRef>(&value)) {
      events = doc.list(*l);
    } else if (const auto* t = std::get_if<TupleRef>(&value)) {
      events = doc.tuple(*t);
    } else if (const auto* d = std::get_if<DictRef>(&value)) {
      const auto& items = doc.dict(*d);
      for (std::size_t n = 0; n < items.size(); ++n) {
        const auto* k = std::get_if<std::int64_t>(&items[n].first);
        if (k == nullptr || *k != static_cast<std::int64_t>(n))
          bad(file_name, path, "events as a dict must be keyed 0..n-1 in order");
        events.push_back(items[n].second);
      }
    } else if (std::holds_alternative<None>(value)) {
      continue;
    } else {
      bad(file_name, path, "expected a list of events, found " + std::string(type_name(value)));
    }
    for (std::size_t n = 0; n < events.size(); ++n) {
      const std::string epath = path + "[" + std::to_string(n) + "]";
      const auto* ev = std::get_if<DictRef>(&events[n]);
      if (ev == nullptr)
        bad(file_name, epath, "expected an event dict, found " + std::string(type_name(events[n])));
      const Value* label = find_key(doc, *ev, "label");
      const Value* start = find_key(doc, *ev, "start_frame");
      const Value* count = find_key(doc, *ev, "frame_number");
      if (!label || !start || !count)
        bad(file_name, epath, "an event needs 'label', 'start_frame' and 'frame_number'");
      const auto* l = std::get_if<StrRef>(label);
      if (l == nullptr)
        bad(file_name, epath + "['label']",
            "expected a str label, found " + std::string(type_name(*label)));
      const std::int64_t s = frames(*start, file_name, epath + "['start_frame']");
      const std::int64_t c = frames(*count, file_name, epath + "['frame_number']");
      if (c > INT64_MAX - s) bad(file_name, epath, "start_frame + frame_number overflows");
      Segment seg;
      seg.label = detail::map_label(doc.str(*l), options);
      seg.start_s = static_cast<double>(s) / fps;
      seg.end_s = static_cast<double>(s + c) / fps;
      detail::check_interval(seg.start_s, seg.end_s, file_name, epath);
      seg.source = Source::GroundTruth;
      seg.state = ReviewState::Accepted;
      set.segments.push_back(std::move(seg));
    }
  }
  return out;
}

}  // namespace teamor::annotations
