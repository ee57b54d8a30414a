#pragma once
// Our documented table, CSV (comma) or TSV (tab), UTF-8, RFC 4180 quoting, with a header row:
//   recording,view,label,start_s,end_s,score,source,state,note
// Columns are found by header name (any order; recording, label, start_s and end_s are required;
// unknown columns are ignored). Empty score = no score; empty source/state = ground_truth/accepted.

#include <string>
#include <string_view>

#include "annotations/annotation_io.h"
#include "annotations/annotation_set.h"

namespace teamor::annotations {

/// @brief Parses the table.
/// @param delimiter ',' or '\t'; 0 = guess from the header line (tab if it holds one)
/// @throws FormatError naming the file, line and column for malformed quoting, missing columns,
/// bad numbers, NaN, negative or reversed intervals, unknown source/state.
AnnotationCollection read_csv(std::string_view text, const std::string& file_name,
                              const ReadOptions& options = {}, char delimiter = 0);

/// @brief Writes the table (rows sorted by recording, then as stored), CRLF-free, quoting fields
/// that hold the delimiter, quotes or line breaks.
std::string write_csv(const AnnotationCollection& collection, char delimiter = ',');

}  // namespace teamor::annotations
