#pragma once
// ActivityNet v1.3 JSON, both forms:
//   ground truth  {"version", "taxonomy", "database": {"<id>": {"subset", "duration",
//                  "annotations": [{"segment": [start_s, end_s], "label"}]}}}
//   results       {"version", "results": {"<id>": [{"label", "score", "segment"}]},
//   "external_data"}
// We add optional keys that the evaluators ignore, so our files round-trip everything the model
// holds: per annotation "score", "source", "state", "view", "note"; per video "fps" and "views"
// ([{"name", "path", "offset_s"}]).

#include <string>
#include <string_view>

#include "annotations/annotation_io.h"
#include "annotations/annotation_set.h"

namespace teamor::annotations {

/// @brief Parses ActivityNet JSON (ground truth or results; a file may hold both).
/// Ground-truth segments get Source::GroundTruth / Accepted, results Source::Prediction / Proposed,
/// unless the entry carries "source" / "state".
/// @param text      the file's content
/// @param file_name for error messages
/// @throws FormatError naming the file and the JSON path (or line and column for syntax errors).
AnnotationCollection read_activitynet(std::string_view text, const std::string& file_name,
                                      const ReadOptions& options = {});

/// @brief Serialises @p collection as ActivityNet JSON (ground truth or results, see
/// WriteOptions::activitynet_kind; Auto picks results when every segment is a scored prediction).
std::string write_activitynet(const AnnotationCollection& collection,
                              const WriteOptions& options = {});

}  // namespace teamor::annotations
