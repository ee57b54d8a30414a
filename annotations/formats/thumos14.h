#pragma once
// THUMOS'14 text formats.
//  * Ground truth: one file per class, <Class>_<subset>.txt, lines "<video> <start_s> <end_s>"; a
//    folder of them (detclasslist.txt gives class ids; Ambiguous_<subset>.txt is read as the label
//    "Ambiguous").
//  * Detections: one file, lines "<video> <start_s> <end_s> <class> <score>"; the class is a name,
//    or a THUMOS class id mapped through detclasslist.txt when it sits next to the file.
// Our writers use class names (labels with white space get '_' instead).

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "annotations/annotation_io.h"
#include "annotations/annotation_set.h"

namespace teamor::annotations {

/// @brief Parses one THUMOS text file. Lines of 3 fields are ground truth of @p gt_label (from the
/// file name), lines of 5 fields are detections. Mixed files are refused.
/// @param gt_label   label for ground-truth lines ("" : taken from @p file_name's <Class>_<subset>)
/// @param class_ids  THUMOS class id -> name, for detections that give ids
/// @throws FormatError naming the file and line.
AnnotationCollection read_thumos14(std::string_view text, const std::string& file_name,
                                   const ReadOptions& options = {}, std::string gt_label = {},
                                   const std::map<int, std::string>& class_ids = {});

/// @brief Reads a folder of per-class ground-truth files (subset filter: options.thumos_subset).
AnnotationCollection read_thumos14_folder(const std::filesystem::path& folder,
                                          const ReadOptions& options = {});

/// @brief Parses detclasslist.txt ("<id> <Class>" lines).
std::map<int, std::string> read_thumos14_class_list(std::string_view text,
                                                    const std::string& file_name);

/// @brief Detection lines for every scored segment (unscored ones get score 1).
std::string write_thumos14_detections(const AnnotationCollection& collection);

/// @brief Ground-truth files: file name (<Class>_<subset>.txt) -> content.
std::map<std::string, std::string> write_thumos14_ground_truth(
    const AnnotationCollection& collection, const WriteOptions& options = {});

}  // namespace teamor::annotations
