// BORIS tabular exports (declared in boris.h): "export events" (START/STOP rows after a header
// block) and "export aggregated events" (one row per interval).
#include <algorithm>
#include <map>
#include <tuple>

#include "annotations/formats/boris.h"
#include "annotations/formats/boris_comment.h"
#include "annotations/formats/format_support.h"
#include "annotations/formats/table_text.h"
#include "common/error.h"

namespace teamor::annotations {
namespace {

using namespace detail;

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r'))
    s.pop_back();
  s.erase(0, s.find_first_not_of(' '));
  return s;
}

std::string subject_view(const std::string& subject) {
  return subject == "No focal subject" ? std::string() : subject;
}

}  // namespace

AnnotationCollection read_boris_tabular(std::string_view text, const std::string& file_name,
                                        const ReadOptions& options) {
  text = require_utf8(text, file_name);
  const auto first_line = text.substr(0, text.find('\n'));
  const char delimiter = first_line.find('\t') != std::string_view::npos ? '\t' : ',';
  const auto rows = split_table(text, delimiter, file_name);
  if (rows.empty())
    throw FormatError("the file is empty; expected a BORIS export", file_name, "line 1");
  AnnotationCollection out;
  std::string current_id;
  std::map<std::string, std::size_t> col;  // column name -> index, once the table header is seen
  bool aggregated = false;
  std::map<std::tuple<std::string, std::string, std::string>, std::pair<double, std::string>> open;
  auto column = [&](const TableRow& row, const char* name) -> std::string {
    auto it = col.find(name);
    if (it == col.end() || it->second >= row.fields.size()) return {};
    return trimmed(row.fields[it->second]);
  };
  auto flush_open = [&] {
    for (const auto& [key, start] : open)
      warn(options, file_name + ": observation '" + std::get<0>(key) + "': state '" +
                        std::get<2>(key) + "' started at " + format_number(start.first) +
                        " s has no STOP; ignored");
    open.clear();
  };
  auto time_field = [&](const TableRow& row, const char* name) {
    const std::string v = column(row, name);
    double t = 0;
    if (!parse_number(v, t))
      throw FormatError(
          std::string("'") + name + "' must be a number of seconds, found '" + v + "'", file_name,
          "line " + std::to_string(row.line));
    return t;
  };
  for (const auto& row : rows) {
    const std::string first = trimmed(row.fields[0]);
    const bool is_header =
        std::any_of(row.fields.begin(), row.fields.end(),
                    [](const std::string& f) { return trimmed(f) == "Behavior"; }) &&
        std::any_of(row.fields.begin(), row.fields.end(), [](const std::string& f) {
          auto t = trimmed(f);
          return t == "Status" || t == "Start (s)";
        });
    if (is_header) {
      col.clear();
      for (std::size_t i = 0; i < row.fields.size(); ++i)
        col.emplace(trimmed(row.fields[i]), i);
      aggregated = col.count("Start (s)") > 0;
      if (!aggregated && !col.count("Time"))
        throw FormatError("the events table has no 'Time' column", file_name,
                          "line " + std::to_string(row.line));
      continue;
    }
    if (first == "Observation id" && row.fields.size() >= 2 && !col.count("Observation id")) {
      flush_open();
      current_id = trimmed(row.fields[1]);
      col.clear();
      continue;
    }
    if (col.empty()) continue;  // header block: media, dates, variables
    std::string id = col.count("Observation id") ? column(row, "Observation id") : current_id;
    if (id.empty()) id = options.recording_id.empty() ? file_stem(file_name) : options.recording_id;
    AnnotationSet& set = out[id];
    set.recording_id = id;
    const std::string behavior = column(row, "Behavior");
    const std::string subject = subject_view(column(row, "Subject"));
    if (behavior.empty())
      throw FormatError("empty 'Behavior' field", file_name, "line " + std::to_string(row.line));
    const std::string where = "line " + std::to_string(row.line);
    if (aggregated) {
      if (column(row, "Behavior type") == "POINT") continue;
      Segment s;
      s.label = map_label(behavior, options);
      s.start_s = time_field(row, "Start (s)");
      s.end_s = time_field(row, "Stop (s)");
      check_interval(s.start_s, s.end_s, file_name, where);
      apply_boris_subject(subject, s);
      apply_boris_comment(column(row, "Comment start"), s);
      set.segments.push_back(std::move(s));
      continue;
    }
    const std::string status = column(row, "Status");
    if (status == "POINT") continue;
    if (status != "START" && status != "STOP")
      throw FormatError("'Status' must be START, STOP or POINT, found '" + status + "'", file_name,
                        where);
    const double t = time_field(row, "Time");
    auto key = std::make_tuple(id, subject, behavior);
    auto it = open.find(key);
    if (status == "START") {
      if (it != open.end())
        throw FormatError("state '" + behavior + "' STARTs again before its STOP", file_name,
                          where);
      open.emplace(key, std::make_pair(t, column(row, "Comment")));
      continue;
    }
    if (it == open.end())
      throw FormatError("state '" + behavior + "' STOPs without a START", file_name, where);
    Segment s;
    s.label = map_label(behavior, options);
    s.start_s = it->second.first;
    s.end_s = t;
    check_interval(s.start_s, s.end_s, file_name, where);
    apply_boris_subject(subject, s);
    apply_boris_comment(it->second.second, s);
    set.segments.push_back(std::move(s));
    open.erase(it);
  }
  flush_open();
  if (out.empty() && col.empty())
    throw FormatError(
        "no BORIS events table found (expected a header row with Behavior and "
        "Status, or Start (s))",
        file_name, "line 1");
  return out;
}

std::string write_boris_tabular(const AnnotationCollection& collection,
                                const WriteOptions& /*options*/) {
  std::string out;
  auto line = [&](std::initializer_list<std::string> fields) {
    bool first = true;
    for (const auto& f : fields) {
      if (!first) out.push_back('\t');
      first = false;
      out += quote_field(f, '\t');
    }
    out += "\r\n";
  };
  for (const auto& [id, set] : collection) {
    line({"Observation id", id});
    line({""});
    line({"Media file(s)"});
    line({""});
    for (std::size_t p = 0; p < set.media.size(); ++p)
      line({"Player #" + std::to_string(p + 1), set.media[p].path});
    line({""});
    line({"Time offset (s)", "0.0"});
    line({""});
    line({"Time", "Media file path", "Total length", "FPS", "Subject", "Behavior",
          "Behavioral category", "Comment", "Status"});
    const auto evs = boris_state_events(set.segments);
    const std::string media = set.media.empty() ? "" : set.media[0].path;
    const std::string length = set.duration_s ? format_number(*set.duration_s) : "NA";
    const std::string fps = set.fps ? format_number(*set.fps) : "NA";
    for (const auto& e : evs)
      line({format_number(e.time_s), media, length, fps, e.subject, e.segment->label, "",
            e.start ? boris_comment(*e.segment) : "", e.start ? "START" : "STOP"});
    out += "\r\n";
  }
  return out;
}

}  // namespace teamor::annotations
