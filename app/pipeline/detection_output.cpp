#include "app/pipeline/detection_output.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "common/atomic_file.h"
#include "common/error.h"
#include "detector/protocol_detector.h"

namespace teamor::app::pipeline {

annotations::Format result_format_from_name(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "activitynet" || lower == "json") return annotations::Format::ActivityNet;
  if (lower == "eaf" || lower == "elan") return annotations::Format::Elan;
  if (lower == "csv") return annotations::Format::Csv;
  throw ConfigError("--format '" + std::string(name) +
                    "' is not a result format (expected activitynet, eaf or csv)");
}

std::string result_extension(annotations::Format format) {
  switch (format) {
    case annotations::Format::Elan:
      return ".eaf";
    case annotations::Format::Csv:
      return ".csv";
    default:
      return ".json";
  }
}

std::string format_clock(double seconds) {
  if (!std::isfinite(seconds)) return "?";
  const bool negative = seconds < 0;
  // Round to tenths first so 59.96 s prints as 0:01:00.0, not 0:00:60.0.
  const long tenths = std::lround(std::fabs(seconds) * 10);
  const long h = tenths / 36000, m = (tenths / 600) % 60, s = (tenths / 10) % 60, t = tenths % 10;
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%s%ld:%02ld:%02ld.%ld", negative ? "-" : "", h, m, s, t);
  return buffer;
}

std::string interval_table(const annotations::AnnotationSet& predictions,
                           const std::vector<std::string>& labels) {
  std::vector<std::string> shown = labels;
  for (const auto& s : predictions.segments)
    if (std::find(shown.begin(), shown.end(), s.label) == shown.end()) shown.push_back(s.label);

  std::string text;
  char line[160];
  for (const auto& label : shown) {
    std::vector<annotations::Segment> segments;
    for (const auto& s : predictions.segments)
      if (s.label == label) segments.push_back(s);
    std::sort(segments.begin(), segments.end(), [](const auto& a, const auto& b) {
      return a.start_s != b.start_s ? a.start_s < b.start_s : a.end_s < b.end_s;
    });
    std::snprintf(line, sizeof line, "%s: %zu interval%s\n", label.c_str(), segments.size(),
                  segments.size() == 1 ? "" : "s");
    text += line;
    if (segments.empty()) {
      text += "  (none found)\n";
      continue;
    }
    std::snprintf(line, sizeof line, "  %3s  %-11s  %-11s  %10s  %6s\n", "#", "start", "end",
                  "duration", "score");
    text += line;
    int n = 0;
    for (const auto& s : segments) {
      std::snprintf(line, sizeof line, "  %3d  %-11s  %-11s  %8.1f s  %6.3f\n", ++n,
                    format_clock(s.start_s).c_str(), format_clock(s.end_s).c_str(), s.duration_s(),
                    s.score.value_or(1.0));
      text += line;
    }
  }
  return text;
}

void write_predictions(const std::filesystem::path& path,
                       const annotations::AnnotationSet& predictions, annotations::Format format) {
  annotations::AnnotationCollection collection;
  collection[predictions.recording_id] = predictions;
  annotations::WriteOptions options;
  options.format = format;
  options.activitynet_kind = annotations::ActivityNetKind::Results;
  annotations::write_annotations(path, collection, options);
}

void write_detection_report(const std::filesystem::path& path,
                            const annotations::AnnotationSet& predictions,
                            const detector::DetectionStats& stats, const std::string& model) {
  nlohmann::json intervals = nlohmann::json::array();
  for (const auto& s : predictions.segments) {
    intervals.push_back({{"label", s.label},
                         {"start_s", s.start_s},
                         {"end_s", s.end_s},
                         {"score", s.score.value_or(1.0)}});
  }
  nlohmann::json views = nlohmann::json::array();
  for (const auto& m : predictions.media)
    views.push_back({{"name", m.name}, {"path", m.path}, {"offset_s", m.offset_s}});
  const double rtf = stats.wall_s > 0 ? stats.media_duration_s / stats.wall_s : 0;
  nlohmann::json doc = {{"recording", predictions.recording_id},
                        {"model", model},
                        {"views", views},
                        {"intervals", intervals},
                        {"timing",
                         {{"wall_s", stats.wall_s},
                          {"features_s", stats.features_s},
                          {"wait_for_frames_s", stats.wait_for_frames_s},
                          {"network_s", stats.network_s},
                          {"media_duration_s", stats.media_duration_s},
                          {"real_time_factor", rtf},
                          {"clips", stats.clips}}},
                        {"warnings", stats.warnings}};
  write_file_atomically(path, doc.dump(2) + "\n");
}

}  // namespace teamor::app::pipeline
