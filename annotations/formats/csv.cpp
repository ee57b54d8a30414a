#include "annotations/formats/csv.h"

#include <algorithm>
#include <map>

#include "annotations/formats/format_support.h"
#include "annotations/formats/table_text.h"
#include "common/error.h"

namespace teamor::annotations {
namespace {

constexpr const char* kColumns[] = {"recording", "view",   "label", "start_s", "end_s",
                                    "score",     "source", "state", "note"};

std::string lower_trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.pop_back();
  s.erase(0, s.find_first_not_of(" \t"));
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

AnnotationCollection read_csv(std::string_view text, const std::string& file_name,
                              const ReadOptions& options, char delimiter) {
  text = detail::require_utf8(text, file_name);
  if (delimiter == 0) {
    const auto first_line = text.substr(0, text.find('\n'));
    delimiter = first_line.find('\t') != std::string_view::npos ? '\t' : ',';
  }
  const auto rows = detail::split_table(text, delimiter, file_name);
  if (rows.empty())
    throw FormatError(
        "the file is empty; expected a header row (recording,view,label,start_s,"
        "end_s,score,source,state,note)",
        file_name, "line 1");
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < rows[0].fields.size(); ++i) {
    std::string name = lower_trim(rows[0].fields[i]);
    if (!name.empty() && !column.emplace(name, i).second)
      throw FormatError("column '" + name + "' appears twice in the header", file_name,
                        "line " + std::to_string(rows[0].line));
  }
  for (const char* required : {"recording", "label", "start_s", "end_s"})
    if (!column.count(required))
      throw FormatError(std::string("the header has no '") + required +
                            "' column; expected recording,view,label,start_s,end_s,score,source,"
                            "state,note",
                        file_name, "line " + std::to_string(rows[0].line));
  AnnotationCollection out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    const std::string where = "line " + std::to_string(row.line);
    auto field = [&](const char* name) -> std::string {
      auto it = column.find(name);
      if (it == column.end() || it->second >= row.fields.size()) return {};
      return row.fields[it->second];
    };
    if (row.fields.size() > rows[0].fields.size())
      throw FormatError("row has " + std::to_string(row.fields.size()) +
                            " fields but the header has " + std::to_string(rows[0].fields.size()),
                        file_name, where);
    const std::string id = field("recording");
    if (id.empty()) throw FormatError("empty 'recording' field", file_name, where);
    Segment s;
    s.label = detail::map_label(field("label"), options);
    if (s.label.empty()) throw FormatError("empty 'label' field", file_name, where);
    for (auto [name, target] : {std::pair{"start_s", &s.start_s}, std::pair{"end_s", &s.end_s}}) {
      const std::string value = field(name);
      if (!detail::parse_number(value, *target))
        throw FormatError(
            std::string("'") + name + "' must be a finite number of seconds, found '" + value + "'",
            file_name, where);
    }
    detail::check_interval(s.start_s, s.end_s, file_name, where);
    if (const std::string score = field("score"); !score.empty()) {
      double v = 0;
      if (!detail::parse_number(score, v))
        throw FormatError("'score' must be a number in [0, 1], found '" + score + "'", file_name,
                          where);
      detail::check_score(v, file_name, where);
      s.score = v;
    }
    try {
      if (const std::string src = lower_trim(field("source")); !src.empty())
        s.source = source_from_string(src);
      s.state = s.source == Source::Prediction ? ReviewState::Proposed : ReviewState::Accepted;
      if (const std::string st = lower_trim(field("state")); !st.empty())
        s.state = review_state_from_string(st);
    } catch (const FormatError& e) {
      throw FormatError(e.message(), file_name, where);
    }
    s.view = field("view");
    s.note = field("note");
    AnnotationSet& set = out[id];
    set.recording_id = id;
    set.segments.push_back(std::move(s));
  }
  return out;
}

std::string write_csv(const AnnotationCollection& collection, char delimiter) {
  std::string out;
  for (std::size_t i = 0; i < std::size(kColumns); ++i) {
    if (i) out.push_back(delimiter);
    out += kColumns[i];
  }
  out += "\n";
  for (const auto& [id, set] : collection)
    for (const auto& s : set.segments) {
      const std::string fields[] = {id,
                                    s.view,
                                    s.label,
                                    detail::format_number(s.start_s),
                                    detail::format_number(s.end_s),
                                    s.score ? detail::format_number(*s.score) : std::string(),
                                    std::string(to_string(s.source)),
                                    std::string(to_string(s.state)),
                                    s.note};
      for (std::size_t i = 0; i < std::size(fields); ++i) {
        if (i) out.push_back(delimiter);
        out += detail::quote_field(fields[i], delimiter);
      }
      out += "\n";
    }
  return out;
}

}  // namespace teamor::annotations
