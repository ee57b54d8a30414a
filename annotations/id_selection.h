#pragma once
// Choosing which recordings to work on: `--ids a,b,c`, `--ids @file` (ids separated by commas,
// white space or new lines; '#' starts a comment) or `--subset NAME` (ActivityNet subsets).

#include <set>
#include <string>

#include "annotations/annotation_set.h"

namespace teamor::annotations {

/// @brief Parses an id list: "a,b,c" or "@path" (read from the file).
/// @throws IoError when the @file cannot be read, ConfigError when the list is empty.
std::set<std::string> parse_id_selection(const std::string& spec);

/// @brief The ids of @p collection whose AnnotationSet::subset equals @p subset (case-insensitive).
/// @throws ConfigError naming the subsets present when none matches.
std::set<std::string> ids_in_subset(const AnnotationCollection& collection,
                                    const std::string& subset);

/// @brief Maps requested ids onto the collection's ids: an id the collection lacks but whose file
/// stem it has ("or06_view1.mp4" -> "or06_view1") is replaced by the stem. Others are kept as
/// given.
std::set<std::string> match_ids(const std::set<std::string>& ids,
                                const AnnotationCollection& collection);

}  // namespace teamor::annotations
