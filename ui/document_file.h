#pragma once
// The viewer's own review document: everything needed to resume a review losslessly (all segments
// with source, state, score and note; media entries with their offsets; the recording it belongs
// to). JSON, written through common/atomic_file.h. Exchange formats (ActivityNet, ELAN, CSV, ...)
// go through the annotations library instead; this file is the viewer's save format.
//
//   {"format": "teamor-review", "version": 1, "recording": "/data/OR12/recording.json",
//    "document": "/data/OR12/OR12.review.json", "score_threshold": 0.3,
//    "annotations": {"recording_id": "OR12", "fps": 30, "duration_s": 3600,
//                    "media": [{"name": "ceiling1", "path": "cam1.mp4", "offset_s": 0.04}],
//                    "segments": [{"label": "Time-out", "start_s": 10, "end_s": 70, "score": 0.9,
//                                  "source": "prediction", "state": "accepted", "view": "",
//                                  "note": ""}]}}

#include <QByteArray>
#include <QString>

#include "annotations/annotation_set.h"

namespace teamor::ui {

/// @brief Everything a review document holds.
struct DocumentState {
  QString recording_path;  ///< manifest or folder of the recording, empty when none
  QString document_path;   ///< where the document is saved (kept in recovery files), may be empty
  double score_threshold = 0;
  annotations::AnnotationSet annotations;
};

/// @brief Serializes @p state as indented JSON (UTF-8).
QByteArray document_to_json(const DocumentState& state);

/// @brief Parses a review document.
/// @param file name used in error messages
/// @throws FormatError naming @p file and the place (byte offset or segment index) when the JSON is
/// malformed or a field has the wrong type or an impossible value
DocumentState document_from_json(const QByteArray& json, const QString& file);

/// @brief Reads a review document from disk.
/// @throws IoError when it cannot be read, FormatError when it does not parse
DocumentState read_document_file(const QString& path);

/// @brief Writes a review document atomically; the previous file (if any) is kept as `<path>.bak`.
/// @throws IoError when the folder is not writable or the disk is full
void write_document_file(const QString& path, const DocumentState& state, bool keep_backup = true);

}  // namespace teamor::ui
