#pragma once
// The Team-OR annotation pickle (read only): {"<id>.mp4": [{"label", "start_frame",
// "frame_number"},
// ...], ...} at a given frame rate (30 fps in the reference). The recording id is the key up to its
// last '.', as the reference's data loader does; the key itself is kept as the media path. A
// segment covers [start_frame / fps, (start_frame + frame_number) / fps] seconds
// (MAXAVG_SPEC.md 1.3). Parsing goes through the strict plain-value unpickler (pickle.h): nothing
// is ever executed.

#include <string>
#include <string_view>

#include "annotations/annotation_io.h"
#include "annotations/annotation_set.h"

namespace teamor::annotations {

/// @brief Reads a Team-OR pickle.
/// @param options options.fps is required (frames per second)
/// @throws ConfigError without fps; FormatError naming the file and byte offset (pickle level) or
/// the key path (structure: wrong types, negative frames, duplicate ids).
AnnotationCollection read_team_or_pickle(std::string_view data, const std::string& file_name,
                                         const ReadOptions& options);

}  // namespace teamor::annotations
