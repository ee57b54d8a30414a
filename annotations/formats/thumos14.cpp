#include "annotations/formats/thumos14.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "annotations/formats/format_support.h"
#include "common/error.h"

namespace teamor::annotations {
namespace {

using namespace detail;

std::vector<std::string> split_ws(std::string_view line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
      ++i;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r')
      ++j;
    if (j > i) out.emplace_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

// "<Class>_<subset>.txt" -> Class.
std::string class_from_file_name(const std::string& file_name) {
  std::string stem = file_stem(file_name);
  auto us = stem.rfind('_');
  return us == std::string::npos ? stem : stem.substr(0, us);
}

std::string subset_from_file_name(const std::string& file_name) {
  std::string stem = file_stem(file_name);
  auto us = stem.rfind('_');
  return us == std::string::npos ? std::string() : stem.substr(us + 1);
}

// A THUMOS class id: a whole number that fits an int (casting a larger double is undefined).
bool class_id(const std::string& field, int& id) {
  double v = 0;
  if (!parse_number(field, v) || v != std::floor(v) || v < -2147483648.0 || v > 2147483647.0)
    return false;
  id = static_cast<int>(v);
  return true;
}

std::string no_space(std::string s) {
  for (char& c : s)
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') c = '_';
  return s.empty() ? "_" : s;
}

}  // namespace

std::map<int, std::string> read_thumos14_class_list(std::string_view text,
                                                    const std::string& file_name) {
  text = require_utf8(text, file_name);
  std::map<int, std::string> out;
  std::size_t line_no = 0, pos = 0;
  while (pos <= text.size()) {
    auto nl = text.find('\n', pos);
    auto line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    ++line_no;
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    auto f = split_ws(line);
    if (f.empty()) continue;
    int id = 0;
    if (f.size() != 2 || !class_id(f[0], id))
      throw FormatError("expected '<class id> <ClassName>'", file_name,
                        "line " + std::to_string(line_no));
    if (!out.emplace(id, f[1]).second)
      throw FormatError("class id " + f[0] + " appears twice", file_name,
                        "line " + std::to_string(line_no));
  }
  return out;
}

AnnotationCollection read_thumos14(std::string_view text, const std::string& file_name,
                                   const ReadOptions& options, std::string gt_label,
                                   const std::map<int, std::string>& class_ids) {
  text = require_utf8(text, file_name);
  if (gt_label.empty()) gt_label = class_from_file_name(file_name);
  const std::string subset = subset_from_file_name(file_name);
  AnnotationCollection out;
  std::size_t line_no = 0, pos = 0;
  std::size_t width = 0;  // 3: ground truth, 5: detections
  while (pos <= text.size()) {
    auto nl = text.find('\n', pos);
    auto line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    ++line_no;
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    const auto f = split_ws(line);
    if (f.empty()) continue;
    const std::string where = "line " + std::to_string(line_no);
    if (f.size() != 3 && f.size() != 5)
      throw FormatError(
          "expected '<video> <start_s> <end_s>' (ground truth) or '<video> <start_s> "
          "<end_s> <class> <score>' (detections), found " +
              std::to_string(f.size()) + " fields",
          file_name, where);
    if (width == 0) width = f.size();
    if (f.size() != width)
      throw FormatError("mixes ground-truth lines (3 fields) and detection lines (5 fields)",
                        file_name, where);
    Segment s;
    if (!parse_number(f[1], s.start_s) || !parse_number(f[2], s.end_s))
      throw FormatError("start and end must be finite numbers of seconds, found '" + f[1] +
                            "' and '" + f[2] + "'",
                        file_name, where);
    check_interval(s.start_s, s.end_s, file_name, where);
    if (width == 3) {
      s.label = map_label(gt_label, options);
    } else {
      int id = 0;
      std::string label = f[3];
      if (class_id(f[3], id)) {
        auto it = class_ids.find(id);
        if (it != class_ids.end()) label = it->second;
      }
      s.label = map_label(label, options);
      double score = 0;
      if (!parse_number(f[4], score))
        throw FormatError("score must be a number, found '" + f[4] + "'", file_name, where);
      // THUMOS detectors write raw confidences; only NaN/inf are refused, not values above 1.
      s.score = score;
      s.source = Source::Prediction;
      s.state = ReviewState::Proposed;
    }
    AnnotationSet& set = out[f[0]];
    set.recording_id = f[0];
    if (width == 3 && set.subset.empty()) set.subset = subset;
    set.segments.push_back(std::move(s));
  }
  return out;
}

AnnotationCollection read_thumos14_folder(const std::filesystem::path& folder,
                                          const ReadOptions& options) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".txt")
      files.push_back(entry.path());
  if (ec) throw IoError("cannot list the folder: " + ec.message(), folder.string());
  std::sort(files.begin(), files.end());
  std::map<int, std::string> class_ids;
  AnnotationCollection out;
  bool any = false;
  for (const auto& f : files) {
    const std::string name = f.filename().string();
    if (name == "detclasslist.txt") continue;
    if (!options.thumos_subset.empty() && subset_from_file_name(name) != options.thumos_subset)
      continue;
    any = true;
    auto part = read_thumos14(read_file(f.string()), f.string(), options);
    for (auto& [id, set] : part) {
      auto& dst = out[id];
      dst.recording_id = id;
      if (dst.subset.empty()) dst.subset = set.subset;
      for (auto& s : set.segments)
        dst.segments.push_back(std::move(s));
    }
  }
  if (!any)
    throw FormatError("no THUMOS14 ground-truth files (<Class>_<subset>.txt) in the folder",
                      folder.string());
  return out;
}

std::string write_thumos14_detections(const AnnotationCollection& collection) {
  std::ostringstream out;
  for (const auto& [id, set] : collection)
    for (const auto& s : set.segments)
      out << no_space(id) << ' ' << format_number(s.start_s) << ' ' << format_number(s.end_s) << ' '
          << no_space(s.label) << ' ' << format_number(s.score.value_or(1.0)) << '\n';
  return out.str();
}

std::map<std::string, std::string> write_thumos14_ground_truth(
    const AnnotationCollection& collection, const WriteOptions& options) {
  std::map<std::string, std::string> files;
  for (const auto& [id, set] : collection)
    for (const auto& s : set.segments) {
      std::string cls = no_space(s.label);
      std::replace(cls.begin(), cls.end(), '/', '_');
      files[cls + "_" + options.thumos_subset + ".txt"] +=
          no_space(id) + "  " + format_number(s.start_s) + " " + format_number(s.end_s) + "\n";
    }
  return files;
}

}  // namespace teamor::annotations
