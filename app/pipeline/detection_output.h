#pragma once
// What `teamor detect`, `batch` and `demo` show and write for one recording: the interval table per
// protocol, the result file in the chosen format, and a small JSON report (timings, views, model).

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "annotations/annotation_io.h"
#include "annotations/annotation_set.h"

namespace teamor::detector {
struct DetectionStats;
}

namespace teamor::app::pipeline {

/// @brief Result formats the pipeline writes: "activitynet" (.json), "eaf" (ELAN), "csv".
/// @throws ConfigError naming the value and the accepted names
annotations::Format result_format_from_name(std::string_view name);

/// @brief File extension for a result format: ".json", ".eaf" or ".csv".
std::string result_extension(annotations::Format format);

/// @brief Formats seconds as H:MM:SS.s ("0:02:13.4").
std::string format_clock(double seconds);

/// @brief A table per protocol (start, end, duration, score), best score first within a protocol
/// in time order; protocols in @p labels get a "none found" line when they have no interval.
/// @param labels the protocols the model detects (shown even when empty)
std::string interval_table(const annotations::AnnotationSet& predictions,
                           const std::vector<std::string>& labels);

/// @brief Writes @p predictions to @p path in @p format, atomically (ActivityNet as results).
/// @throws IoError when the file cannot be written, ConfigError when the format cannot hold it
void write_predictions(const std::filesystem::path& path,
                       const annotations::AnnotationSet& predictions, annotations::Format format);

/// @brief Writes the per-recording report: recording, model, views, intervals, timings.
void write_detection_report(const std::filesystem::path& path,
                            const annotations::AnnotationSet& predictions,
                            const detector::DetectionStats& stats, const std::string& model);

}  // namespace teamor::app::pipeline
