#include "annotations/formats/elan.h"

#include <pugixml.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <map>
#include <set>
#include <sstream>
#include <tuple>
#include <unordered_map>

#include "annotations/formats/format_support.h"
#include "common/error.h"

namespace teamor::annotations {
namespace {

constexpr const char* kScoreType = "teamor-score";
constexpr const char* kStateType = "teamor-state";
constexpr const char* kNoteType = "teamor-note";
constexpr const char* kProtocolType = "teamor-protocol";
constexpr const char* kPropRecording = "teamor:recording_id";
constexpr const char* kPropFps = "teamor:fps";
constexpr const char* kPropDuration = "teamor:duration_s";
constexpr const char* kPropViewName = "teamor:view_name:";  // + 1-based media index

class Reader {
 public:
  Reader(std::string_view text, const std::string& file, const ReadOptions& options)
      : text_(text), file_(file), options_(options) {}

  AnnotationSet run() {
    pugi::xml_document doc;
    // parse_default: no DOCTYPE node, and pugixml never expands entities other than the five
    // predefined ones and character references, so no entity expansion can blow up.
    const auto res =
        doc.load_buffer(text_.data(), text_.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!res)
      throw FormatError(std::string("not well-formed XML: ") + res.description(), file_,
                        detail::text_position(text_, static_cast<std::size_t>(res.offset)));
    const pugi::xml_node root = doc.child("ANNOTATION_DOCUMENT");
    if (!root)
      throw FormatError("expected an ELAN document (root element ANNOTATION_DOCUMENT)", file_,
                        doc.first_child() ? where(doc.first_child()) : "line 1");
    read_header(root.child("HEADER"));
    read_time_order(root.child("TIME_ORDER"));
    for (auto lt : root.children("LINGUISTIC_TYPE"))
      type_of_[lt.attribute("LINGUISTIC_TYPE_ID").value()] = lt;
    for (auto tier : root.children("TIER"))
      read_tier(tier);
    for (auto tier : root.children("TIER"))
      read_ref_tier(tier);
    if (skipped_refs_ > 0)
      detail::warn(options_, file_ + ": " + std::to_string(skipped_refs_) +
                                 " referring (symbolic) annotations have no time of their own "
                                 "and were not imported");
    for (auto& [id, seg] : by_id_)
      set_.segments.push_back(std::move(seg));
    std::stable_sort(set_.segments.begin(), set_.segments.end(),
                     [](const Segment& a, const Segment& b) { return a.start_s < b.start_s; });
    if (!options_.recording_id.empty()) set_.recording_id = options_.recording_id;
    if (set_.recording_id.empty()) set_.recording_id = detail::file_stem(file_);
    return std::move(set_);
  }

 private:
  std::string where(const pugi::xml_node& node) const {
    return detail::text_position(
               text_, static_cast<std::size_t>(std::max<ptrdiff_t>(0, node.offset_debug()))) +
           ", element " + node.name();
  }

  [[noreturn]] void fail(const pugi::xml_node& node, const std::string& what) const {
    throw FormatError(what, file_, where(node));
  }

  double number_attr(const pugi::xml_node& node, const char* name) const {
    double v = 0;
    if (!detail::parse_number(node.attribute(name).value(), v))
      fail(node, std::string("attribute ") + name + " must be a number, found '" +
                     node.attribute(name).value() + "'");
    return v;
  }

  void read_header(const pugi::xml_node& header) {
    if (!header) return;
    if (auto units = header.attribute("TIME_UNITS");
        units && std::string_view(units.value()) != "milliseconds")
      fail(header, std::string("TIME_UNITS '") + units.value() +
                       "' is not supported; expected milliseconds");
    std::map<std::string, std::string> props;
    for (auto p : header.children("PROPERTY"))
      props[p.attribute("NAME").value()] = p.text().get();
    if (auto it = props.find(kPropRecording); it != props.end()) set_.recording_id = it->second;
    double v = 0;
    if (auto it = props.find(kPropFps);
        it != props.end() && detail::parse_number(it->second, v) && v > 0)
      set_.fps = v;
    if (auto it = props.find(kPropDuration);
        it != props.end() && detail::parse_number(it->second, v) && v >= 0)
      set_.duration_s = v;
    ours_ = props.count(kPropRecording) > 0;
    int index = 0;
    for (auto md : header.children("MEDIA_DESCRIPTOR")) {
      ++index;
      MediaEntry m;
      std::string rel = md.attribute("RELATIVE_MEDIA_URL").value();
      std::string url = md.attribute("MEDIA_URL").value();
      if (rel.rfind("./", 0) == 0) rel.erase(0, 2);
      if (url.rfind("file://", 0) == 0) url.erase(0, 7);
      m.path = !rel.empty() ? rel : url;
      if (m.path.empty()) fail(md, "MEDIA_DESCRIPTOR has no MEDIA_URL");
      if (md.attribute("TIME_ORIGIN")) m.offset_s = number_attr(md, "TIME_ORIGIN") / 1000.0;
      auto name = props.find(kPropViewName + std::to_string(index));
      m.name = name != props.end() ? name->second : detail::file_stem(m.path);
      set_.media.push_back(std::move(m));
    }
  }

  void read_time_order(const pugi::xml_node& order) {
    // Unaligned slots (no TIME_VALUE) lie between their aligned neighbours in TIME_ORDER; place
    // them evenly there, as ELAN shows them.
    std::vector<std::pair<std::string, std::optional<double>>> slots;
    for (auto ts : order.children("TIME_SLOT")) {
      std::string id = ts.attribute("TIME_SLOT_ID").value();
      if (id.empty()) fail(ts, "TIME_SLOT without TIME_SLOT_ID");
      std::optional<double> value;
      if (ts.attribute("TIME_VALUE")) {
        double v = number_attr(ts, "TIME_VALUE");
        if (v < 0) fail(ts, "TIME_VALUE must be >= 0 ms, found " + detail::format_number(v));
        value = v / 1000.0;
      }
      if (slot_index_.count(id)) fail(ts, "duplicate TIME_SLOT_ID '" + id + "'");
      slot_index_[id] = slots.size();
      slots.emplace_back(id, value);
    }
    slot_time_.assign(slots.size(), 0.0);
    slot_aligned_.assign(slots.size(), false);
    std::size_t prev = SIZE_MAX;
    for (std::size_t i = 0; i <= slots.size(); ++i) {
      if (i < slots.size() && !slots[i].second) continue;
      const double t0 = prev == SIZE_MAX ? 0.0 : *slots[prev].second;
      const double t1 = i < slots.size() ? *slots[i].second : t0;
      const std::size_t first = prev == SIZE_MAX ? 0 : prev + 1;
      const double span = static_cast<double>(i - first + 1);
      for (std::size_t k = first; k < i; ++k)
        slot_time_[k] = t0 + (t1 - t0) * static_cast<double>(k - first + 1) / span;
      if (i < slots.size()) {
        slot_time_[i] = *slots[i].second;
        slot_aligned_[i] = true;
      }
      prev = i;
    }
  }

  std::string type_name(const pugi::xml_node& tier) const {
    return tier.attribute("LINGUISTIC_TYPE_REF").value();
  }

  void read_tier(const pugi::xml_node& tier) {
    const std::string tier_id = tier.attribute("TIER_ID").value();
    if (tier_id.empty()) fail(tier, "TIER without TIER_ID");
    if (!tier_ids_.insert(tier_id).second) fail(tier, "duplicate TIER_ID '" + tier_id + "'");
    const std::string type = type_name(tier);
    if (type == kScoreType || type == kStateType || type == kNoteType) return;
    Source source = Source::GroundTruth;
    std::string view;
    if (ours_) {
      try {
        source = source_from_string(tier.attribute("ANNOTATOR").value());
      } catch (const FormatError&) {
      }
      view = tier.attribute("PARTICIPANT").value();
    }
    for (auto ann : tier.children("ANNOTATION")) {
      const auto a = ann.child("ALIGNABLE_ANNOTATION");
      if (!a) {
        if (ann.child("REF_ANNOTATION")) ++skipped_refs_;
        continue;
      }
      const std::string id = a.attribute("ANNOTATION_ID").value();
      if (id.empty()) fail(a, "ALIGNABLE_ANNOTATION without ANNOTATION_ID");
      if (!annotation_ids_.insert(id).second) fail(a, "duplicate ANNOTATION_ID '" + id + "'");
      const auto s1 = slot(a, "TIME_SLOT_REF1");
      const auto s2 = slot(a, "TIME_SLOT_REF2");
      Segment seg;
      seg.start_s = slot_time_[s1];
      seg.end_s = slot_time_[s2];
      if (!(slot_aligned_[s1] && slot_aligned_[s2]) && seg.end_s < seg.start_s)
        seg.end_s = seg.start_s;  // estimated times of unaligned slots
      detail::check_interval(seg.start_s, seg.end_s, file_, where(a));
      std::string value = a.child("ANNOTATION_VALUE").text().get();
      seg.label = detail::map_label(value.empty() ? tier_id : value, options_);
      if (!ours_ && !value.empty()) seg.note = "tier " + tier_id;
      seg.source = source;
      seg.state = source == Source::Prediction ? ReviewState::Proposed : ReviewState::Accepted;
      seg.view = view;
      by_id_.emplace_back(id, std::move(seg));
      index_of_[id] = by_id_.size() - 1;
    }
  }

  void read_ref_tier(const pugi::xml_node& tier) {
    const std::string type = type_name(tier);
    if (type != kScoreType && type != kStateType && type != kNoteType) return;
    for (auto ann : tier.children("ANNOTATION")) {
      const auto r = ann.child("REF_ANNOTATION");
      if (!r) continue;
      const std::string ref = r.attribute("ANNOTATION_REF").value();
      auto it = index_of_.find(ref);
      if (it == index_of_.end())
        fail(r, "ANNOTATION_REF '" + ref + "' names no time-aligned annotation");
      Segment& seg = by_id_[it->second].second;
      const std::string value = r.child("ANNOTATION_VALUE").text().get();
      if (type == kScoreType) {
        double v = 0;
        if (!detail::parse_number(value, v)) fail(r, "score '" + value + "' is not a number");
        detail::check_score(v, file_, where(r));
        seg.score = v;
      } else if (type == kStateType) {
        try {
          seg.state = review_state_from_string(value);
        } catch (const FormatError& e) {
          fail(r, e.message());
        }
      } else {
        seg.note = value;
      }
    }
  }

  std::size_t slot(const pugi::xml_node& a, const char* attr) const {
    auto it = slot_index_.find(a.attribute(attr).value());
    if (it == slot_index_.end())
      fail(a, std::string(attr) + " '" + a.attribute(attr).value() + "' names no TIME_SLOT");
    return it->second;
  }

  std::string_view text_;
  const std::string& file_;
  const ReadOptions& options_;
  AnnotationSet set_;
  bool ours_ = false;
  std::unordered_map<std::string, std::size_t> slot_index_;
  std::vector<double> slot_time_;
  std::vector<bool> slot_aligned_;
  std::map<std::string, pugi::xml_node> type_of_;
  std::set<std::string> tier_ids_, annotation_ids_;
  std::vector<std::pair<std::string, Segment>> by_id_;
  std::unordered_map<std::string, std::size_t> index_of_;
  int skipped_refs_ = 0;
};

std::string mime_type(const std::string& path) {
  std::string ext =
      path.substr(path.rfind('.') == std::string::npos ? path.size() : path.rfind('.'));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (ext == ".mp4" || ext == ".m4v") return "video/mp4";
  if (ext == ".mpg" || ext == ".mpeg") return "video/mpeg";
  if (ext == ".mov") return "video/quicktime";
  if (ext == ".wav") return "audio/x-wav";
  return "unknown";
}

std::string now_iso8601() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
  return buf;
}

struct StringWriter : pugi::xml_writer {
  std::string out;
  void write(const void* data, std::size_t size) override {
    out.append(static_cast<const char*>(data), size);
  }
};

// XML 1.0 forbids most control characters even as character references; ELAN refuses files that
// hold them, so they become U+FFFD in what we write.
std::string xml_safe(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r')
      out += "\xEF\xBF\xBD";
    else
      out.push_back(c);
  }
  return out;
}

ReviewState default_state(Source s) {
  return s == Source::Prediction ? ReviewState::Proposed : ReviewState::Accepted;
}

}  // namespace

AnnotationSet read_elan(std::string_view text, const std::string& file_name,
                        const ReadOptions& options) {
  text = detail::require_utf8(text, file_name);
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw FormatError("the file is empty; expected an ELAN document", file_name, "byte 0");
  return Reader(text, file_name, options).run();
}

std::string write_elan(const AnnotationSet& set, const WriteOptions& /*options*/) {
  pugi::xml_document doc;
  auto root = doc.append_child("ANNOTATION_DOCUMENT");
  root.append_attribute("AUTHOR") = "teamor";
  root.append_attribute("DATE") = now_iso8601().c_str();
  root.append_attribute("FORMAT") = "3.0";
  root.append_attribute("VERSION") = "3.0";
  root.append_attribute("xmlns:xsi") = "http://www.w3.org/2001/XMLSchema-instance";
  root.append_attribute("xsi:noNamespaceSchemaLocation") =
      "http://www.mpi.nl/tools/elan/EAFv3.0.xsd";

  auto header = root.append_child("HEADER");
  header.append_attribute("MEDIA_FILE") = "";
  header.append_attribute("TIME_UNITS") = "milliseconds";
  for (const auto& m : set.media) {
    auto md = header.append_child("MEDIA_DESCRIPTOR");
    const bool has_scheme = m.path.find("://") != std::string::npos;
    const bool absolute = !m.path.empty() && m.path.front() == '/';
    std::string url = has_scheme ? m.path : absolute ? "file://" + m.path : "file:///" + m.path;
    md.append_attribute("MEDIA_URL") = url.c_str();
    md.append_attribute("MIME_TYPE") = mime_type(m.path).c_str();
    if (!has_scheme && !absolute)
      md.append_attribute("RELATIVE_MEDIA_URL") = ("./" + m.path).c_str();
    if (m.offset_s != 0)
      md.append_attribute("TIME_ORIGIN") = static_cast<long long>(std::llround(m.offset_s * 1000));
  }
  auto prop = [&](const std::string& name, const std::string& value) {
    auto p = header.append_child("PROPERTY");
    p.append_attribute("NAME") = name.c_str();
    p.text() = xml_safe(value).c_str();
  };
  prop(kPropRecording, set.recording_id);
  if (set.fps) prop(kPropFps, detail::format_number(*set.fps));
  if (set.duration_s) prop(kPropDuration, detail::format_number(*set.duration_s));
  for (std::size_t i = 0; i < set.media.size(); ++i)
    prop(kPropViewName + std::to_string(i + 1), set.media[i].name);

  // Tiers: one per (label, source, view); time slots sorted by time.
  using Key = std::tuple<std::string, Source, std::string>;
  std::map<Key, std::vector<const Segment*>> tiers;
  std::set<std::string> labels;
  for (const auto& s : set.segments) {
    tiers[{s.label, s.source, s.view}].push_back(&s);
    labels.insert(s.label);
  }
  std::vector<long long> times;
  for (const auto& s : set.segments) {
    times.push_back(std::llround(s.start_s * 1000));
    times.push_back(std::llround(s.end_s * 1000));
  }
  std::vector<long long> sorted = times;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  auto order = root.append_child("TIME_ORDER");
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    auto ts = order.append_child("TIME_SLOT");
    ts.append_attribute("TIME_SLOT_ID") = ("ts" + std::to_string(i + 1)).c_str();
    ts.append_attribute("TIME_VALUE") = sorted[i];
  }
  auto slot_id = [&](double t) {
    auto it = std::lower_bound(sorted.begin(), sorted.end(), std::llround(t * 1000));
    return "ts" + std::to_string(it - sorted.begin() + 1);
  };
  std::map<std::string, std::string> cve_of;
  int cve = 0;
  for (const auto& l : labels)
    cve_of[l] = "cveid" + std::to_string(cve++);

  int next_id = 0;
  std::set<std::string> used_tier_ids;
  bool need_score = false, need_state = false, need_note = false;
  for (const auto& [key, tier_segments] : tiers) {
    const auto& segs = tier_segments;  // a plain reference: lambdas may not capture bindings
    const auto& [label, source, view] = key;
    std::string tier_id = label;
    if (source != Source::GroundTruth) tier_id += " (" + std::string(to_string(source)) + ")";
    if (!view.empty()) tier_id += " @" + view;
    while (!used_tier_ids.insert(tier_id).second)
      tier_id += "'";
    auto tier = root.append_child("TIER");
    tier.append_attribute("LINGUISTIC_TYPE_REF") = kProtocolType;
    tier.append_attribute("TIER_ID") = xml_safe(tier_id).c_str();
    tier.append_attribute("ANNOTATOR") = std::string(to_string(source)).c_str();
    if (!view.empty()) tier.append_attribute("PARTICIPANT") = xml_safe(view).c_str();
    std::vector<std::string> ids;
    bool has_score = false, has_state = false, has_note = false;
    for (const Segment* s : segs) {
      auto a = tier.append_child("ANNOTATION").append_child("ALIGNABLE_ANNOTATION");
      ids.push_back("a" + std::to_string(++next_id));
      a.append_attribute("ANNOTATION_ID") = ids.back().c_str();
      a.append_attribute("TIME_SLOT_REF1") = slot_id(s->start_s).c_str();
      a.append_attribute("TIME_SLOT_REF2") = slot_id(s->end_s).c_str();
      a.append_attribute("CVE_REF") = cve_of[label].c_str();
      a.append_child("ANNOTATION_VALUE").text() = xml_safe(label).c_str();
      has_score |= s->score.has_value();
      has_state |= s->state != default_state(s->source);
      has_note |= !s->note.empty();
    }
    auto child_tier = [&](const char* suffix, const char* type, auto value_of) {
      auto t = root.append_child("TIER");
      t.append_attribute("LINGUISTIC_TYPE_REF") = type;
      t.append_attribute("PARENT_REF") = xml_safe(tier_id).c_str();
      t.append_attribute("TIER_ID") = xml_safe(tier_id + " " + suffix).c_str();
      for (std::size_t i = 0; i < segs.size(); ++i) {
        std::string v = value_of(*segs[i]);
        if (v.empty()) continue;
        auto r = t.append_child("ANNOTATION").append_child("REF_ANNOTATION");
        r.append_attribute("ANNOTATION_ID") = ("a" + std::to_string(++next_id)).c_str();
        r.append_attribute("ANNOTATION_REF") = ids[i].c_str();
        r.append_child("ANNOTATION_VALUE").text() = xml_safe(v).c_str();
      }
    };
    if (has_score) {
      need_score = true;
      child_tier("score", kScoreType, [](const Segment& s) {
        return s.score ? detail::format_number(*s.score) : std::string();
      });
    }
    if (has_state) {
      need_state = true;
      child_tier("state", kStateType,
                 [](const Segment& s) { return std::string(to_string(s.state)); });
    }
    if (has_note) {
      need_note = true;
      child_tier("note", kNoteType, [](const Segment& s) { return s.note; });
    }
  }
  prop("lastUsedAnnotationId", std::to_string(next_id));

  auto lt = root.append_child("LINGUISTIC_TYPE");
  lt.append_attribute("GRAPHIC_REFERENCES") = "false";
  lt.append_attribute("LINGUISTIC_TYPE_ID") = kProtocolType;
  lt.append_attribute("TIME_ALIGNABLE") = "true";
  lt.append_attribute("CONTROLLED_VOCABULARY_REF") = "protocols";
  for (auto [needed, type] : {std::pair{need_score, kScoreType}, std::pair{need_state, kStateType},
                              std::pair{need_note, kNoteType}}) {
    if (!needed) continue;
    auto t = root.append_child("LINGUISTIC_TYPE");
    t.append_attribute("CONSTRAINTS") = "Symbolic_Association";
    t.append_attribute("GRAPHIC_REFERENCES") = "false";
    t.append_attribute("LINGUISTIC_TYPE_ID") = type;
    t.append_attribute("TIME_ALIGNABLE") = "false";
  }
  auto lang = root.append_child("LANGUAGE");
  lang.append_attribute("LANG_DEF") = "http://cdb.iso.org/lg/CDB-00130975-001";
  lang.append_attribute("LANG_ID") = "und";
  lang.append_attribute("LANG_LABEL") = "undetermined (und)";
  for (auto [stereo, desc] :
       {std::pair{"Time_Subdivision",
                  "Time subdivision of parent annotation's time interval, no time gaps allowed "
                  "within this interval"},
        std::pair{"Symbolic_Subdivision",
                  "Symbolic subdivision of a parent annotation. Annotations refering to the same "
                  "parent are ordered"},
        std::pair{"Symbolic_Association", "1-1 association with a parent annotation"},
        std::pair{"Included_In",
                  "Time alignable annotations within the parent annotation's time interval, gaps "
                  "are allowed"}}) {
    auto c = root.append_child("CONSTRAINT");
    c.append_attribute("DESCRIPTION") = desc;
    c.append_attribute("STEREOTYPE") = stereo;
  }
  auto cv = root.append_child("CONTROLLED_VOCABULARY");
  cv.append_attribute("CV_ID") = "protocols";
  auto desc = cv.append_child("DESCRIPTION");
  desc.append_attribute("LANG_REF") = "und";
  desc.text() = "Surgical team communication protocols";
  for (const auto& [label, id] : cve_of) {
    auto e = cv.append_child("CV_ENTRY_ML");
    e.append_attribute("CVE_ID") = id.c_str();
    auto v = e.append_child("CVE_VALUE");
    v.append_attribute("LANG_REF") = "und";
    v.text() = xml_safe(label).c_str();
  }
  StringWriter w;
  doc.save(w, "    ", pugi::format_default | pugi::format_no_declaration, pugi::encoding_utf8);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + w.out;
}

}  // namespace teamor::annotations
