#pragma once
// Reading and writing annotation files in every supported format, with the format taken from the
// extension or the content unless the caller names it.
//
//   auto gt = read_annotations("annotations.pkl", {.format = Format::TeamOrPickle, .fps = 30});
//   auto pred = read_annotations("results.json");                       // detected: ActivityNet
//   write_annotations("or06.eaf", pred, {.format = Format::Elan});       // atomic write
//
// Per-format functions (annotations/formats/<format>.h) work on text in memory, for tests and
// fuzzers.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "annotations/annotation_set.h"

namespace teamor::annotations {

class LabelAliases;

/// Every supported file format.
enum class Format {
  Auto,          ///< decide from the extension, then the content
  ActivityNet,   ///< ActivityNet v1.3 JSON: ground truth (database) or detection results
  Elan,          ///< ELAN .eaf 3.0 (one recording per file)
  Csv,           ///< our documented CSV (comma) / TSV (tab) table
  Boris,         ///< BORIS project (.boris JSON)
  BorisTabular,  ///< BORIS "export events" tabular TSV/CSV, or its aggregated-events export (read)
  Thumos14,      ///< THUMOS14 text: per-class ground truth files / folder, or detection output
  LabelStudio,   ///< Label Studio video JSON (timelinelabels, frame ranges)
  TeamOrPickle,  ///< Team-OR pickle {"<id>.mp4": [{label, start_frame, frame_number}]} (read only)
};

/// Short name used on the command line ("activitynet", "elan", "csv", ...).
std::string_view format_name(Format format);
/// @throws ConfigError listing the known names when @p name is unknown (case-insensitive).
Format format_from_name(std::string_view name);
/// Every format name accepted by format_from_name(), comma separated (for help texts).
std::string format_names();
/// Whether write_annotations() supports @p format.
bool format_is_writable(Format format);

/// What ActivityNet output holds: ground truth (`database`) or detections (`results`).
enum class ActivityNetKind { Auto, GroundTruth, Results };

/// @brief Options for reading. Every field has a usable default.
struct ReadOptions {
  Format format = Format::Auto;
  /// Frame rate for frame-based formats (pickle, Label Studio without frameRate), frames per
  /// second.
  std::optional<double> fps;
  /// Recording id for single-recording formats that do not name one (ELAN, Label Studio); default:
  /// the file's stem.
  std::string recording_id;
  /// Map labels through the alias table (off: keep labels exactly as written).
  bool canonicalize_labels = true;
  /// Alias table; nullptr means default_label_aliases().
  const LabelAliases* aliases = nullptr;
  /// Receives non-fatal remarks (unpaired BORIS state events, skipped point events, ...).
  std::function<void(const std::string&)> on_warning;
  /// THUMOS14 ground truth subset read from a folder ("val", "test"); empty: every subset.
  std::string thumos_subset;
};

/// @brief Options for writing.
struct WriteOptions {
  Format format = Format::Auto;
  /// Frame rate for frame-based formats when the AnnotationSet has none, frames per second.
  std::optional<double> fps;
  ActivityNetKind activitynet_kind = ActivityNetKind::Auto;
  /// CSV delimiter; 0 means from the extension (tab for .tsv, comma otherwise).
  char csv_delimiter = 0;
  /// THUMOS14 ground truth subset used in file names (<Class>_<subset>.txt).
  std::string thumos_subset = "val";
  /// Label Studio: model_version written on predictions.
  std::string model_version = "teamor";
};

/// @brief Guesses the format of @p path from its extension and, when that is ambiguous (.json,
/// .tsv, .txt) or unknown, from its first bytes. A folder is THUMOS14 ground truth.
/// @throws IoError when the file cannot be read, FormatError when nothing matches.
Format detect_format(const std::filesystem::path& path);

/// @brief The output format for @p path from its extension (.json -> ActivityNet, .eaf, .csv, .tsv,
/// .boris, .txt -> THUMOS14 detections, folder -> THUMOS14 ground truth).
/// @throws ConfigError when the extension names no writable format.
Format format_for_output(const std::filesystem::path& path);

/// @brief Reads every recording of an annotation file (or THUMOS14 folder).
/// @throws IoError (missing/unreadable), FormatError (content, with file and line/element/byte),
/// ConfigError (a frame-based format without fps).
AnnotationCollection read_annotations(const std::filesystem::path& path,
                                      const ReadOptions& options = {});

/// @brief Writes @p collection atomically (temp file + rename).
/// @throws ConfigError when the format cannot hold the content (several recordings in one ELAN
/// file, no fps for Label Studio, overlapping BORIS states), IoError when writing fails.
void write_annotations(const std::filesystem::path& path, const AnnotationCollection& collection,
                       const WriteOptions& options = {});

/// @brief Writes into a string (formats that are one file); the format must not be Auto.
std::string write_annotations_to_string(const AnnotationCollection& collection,
                                        const WriteOptions& options);

/// @brief Parses @p text in @p options.format (not Auto); @p file_name appears in error messages.
AnnotationCollection read_annotations_from_string(std::string_view text,
                                                  const std::string& file_name,
                                                  const ReadOptions& options);

}  // namespace teamor::annotations
