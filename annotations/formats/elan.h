#pragma once
// ELAN annotation documents (.eaf, EAF 3.0), one recording per file.
//
// Reading accepts what ELAN writes: every top-level or time-aligned dependent tier becomes segments
// (label = the annotation value, or the tier id when the value is empty), unaligned time slots are
// placed between their aligned neighbours, REF_ANNOTATIONs on our score/state/note tiers restore
// those fields (other referring tiers are skipped), every MEDIA_DESCRIPTOR becomes a view with
// offset_s = TIME_ORIGIN / 1000 (media_time = annotation_time + TIME_ORIGIN). Parsed with pugixml
// without DTD or entity expansion.
//
// Writing: times in integer ms in TIME_ORDER; one tier per (label, source, view) with ANNOTATOR =
// source and PARTICIPANT = view; a controlled vocabulary of the labels; Symbolic_Association child
// tiers "<tier> score" / "<tier> state" / "<tier> note" (linguistic types teamor-score,
// teamor-state, teamor-note) so a round trip keeps them; one MEDIA_DESCRIPTOR per view with
// TIME_ORIGIN; recording id, fps and duration as HEADER PROPERTYs. Validates against EAFv3.0.xsd.

#include <string>
#include <string_view>

#include "annotations/annotation_io.h"
#include "annotations/annotation_set.h"

namespace teamor::annotations {

/// @brief Parses an .eaf document into one AnnotationSet.
/// @param options options.recording_id overrides the id stored in the file (default: the
/// teamor:recording_id property, else the file's stem)
/// @throws FormatError naming the file and the line of the offending element.
AnnotationSet read_elan(std::string_view text, const std::string& file_name,
                        const ReadOptions& options = {});

/// @brief Serialises one recording as EAF 3.0 (times rounded to whole milliseconds).
std::string write_elan(const AnnotationSet& set, const WriteOptions& options = {});

}  // namespace teamor::annotations
