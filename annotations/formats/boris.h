#pragma once
// BORIS projects (.boris, JSON). Each observation is a recording; state events are START/STOP pairs
// (paired in order per subject, behaviour and modifier) and become segments labelled with the
// behaviour code; point events are skipped (with a warning); the subject becomes the segment's view
// (empty = no focal subject) and the START comment its note. Players become views, with
// offset_s = -media_info.offset (BORIS plays media at observation_time - offset) and queued media
// of one player placed one after the other.
//
// Writing makes a minimal project BORIS opens: one state behaviour per label, events [time_s,
// subject, code, "", comment]. A state cannot overlap itself for one subject, so the subject is the
// view for ground truth, "<view> [prediction]" etc. for other sources, and overlapping intervals go
// to extra lanes "[prediction 2]"; scores and review states go at the start of the comment as
// "[teamor score=0.91 state=proposed source=prediction]". The readers undo both.

#include <string>
#include <string_view>

#include "annotations/annotation_io.h"
#include "annotations/annotation_set.h"

namespace teamor::annotations {

/// @brief Parses a BORIS project. Unpaired state events are ignored with a warning.
/// @throws FormatError naming the file and the JSON path.
AnnotationCollection read_boris_project(std::string_view text, const std::string& file_name,
                                        const ReadOptions& options = {});

/// @brief Serialises @p collection as a BORIS project.
/// @throws ConfigError when a recording has more than 8 views (BORIS players).
std::string write_boris_project(const AnnotationCollection& collection,
                                const WriteOptions& options = {});

/// @brief Parses BORIS's "export events" tabular TSV/CSV (header block, then Time ... Status rows)
/// or its "aggregated events" export (Start (s) / Stop (s) per row).
/// @throws FormatError naming the file and line.
AnnotationCollection read_boris_tabular(std::string_view text, const std::string& file_name,
                                        const ReadOptions& options = {});

/// @brief Writes BORIS's tabular events layout (TSV), one block per recording.
std::string write_boris_tabular(const AnnotationCollection& collection,
                                const WriteOptions& options = {});

}  // namespace teamor::annotations
