#pragma once
// Label Studio video JSON with timelinelabels regions. Ranges are frame numbers (1-based,
// inclusive: a range start..end covers [(start - 1) / fps, end / fps] seconds), so the frame rate
// comes from the labeling config's <Video frameRate=".."> (or "framerate"), else options.fps.
// Accepted input: a task export (list of tasks), one task, or one annotation payload
// ({"annotation", "project": {"label_config"}, "task"}). Annotations become ground truth
// (Accepted; cancelled ones are skipped), predictions become scored Proposed predictions.
// Writing exports a task list with our predictions as pre-annotations ("predictions") and ground
// truth / reviewed segments as "annotations"; times are rounded to frames.

#include <string>
#include <string_view>

#include "annotations/annotation_io.h"
#include "annotations/annotation_set.h"

namespace teamor::annotations {

/// @throws ConfigError when no frame rate is known; FormatError naming the file and JSON path.
AnnotationCollection read_label_studio(std::string_view text, const std::string& file_name,
                                       const ReadOptions& options = {});

/// @throws ConfigError when a recording has no fps and options.fps is unset.
std::string write_label_studio(const AnnotationCollection& collection,
                               const WriteOptions& options = {});

}  // namespace teamor::annotations
