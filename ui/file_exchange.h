#pragma once
// Import and export of annotation files through the annotations library (every format it knows),
// shaped for the viewer: pick the recording's set out of a multi-recording file, force the source
// of imported predictions, and build the collection to export.

#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

#include "annotations/annotation_set.h"

namespace teamor::ui {

/// How imported segments are tagged.
enum class ImportAs { AsInFile, GroundTruth, Predictions };

/// @brief Result of reading an annotation file for one recording.
struct ImportResult {
  std::vector<annotations::Segment> segments;
  QString recording_id;  ///< the recording the segments came from
  QStringList warnings;  ///< non-fatal remarks of the reader
  std::optional<double> fps;
};

/// @brief Reads @p path (format from extension/content) and returns the segments of
/// @p recording_id; when the file holds one recording, that one is used whatever its id.
/// @param fps frame rate for frame-based formats, frames per second
/// @throws IoError / FormatError naming the file and place (the document is not touched),
/// ConfigError when the file holds several recordings and none is @p recording_id
ImportResult import_annotations(const QString& path, const QString& recording_id,
                                std::optional<double> fps, ImportAs as);

/// @brief Writes @p set to @p path in the format its extension names, atomically.
/// @throws ConfigError (unknown extension or content the format cannot hold), IoError
void export_annotations(const QString& path, const annotations::AnnotationSet& set);

/// File dialog filter listing every readable format.
QString import_filter();
/// File dialog filter listing every writable format.
QString export_filter();

}  // namespace teamor::ui
