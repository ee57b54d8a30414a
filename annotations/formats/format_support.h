#pragma once
// Internal helpers shared by the format readers and writers (not part of the public API): positions
// for error messages, interval checks, number formatting and parsing, UTF-8 checks.

#include <cstddef>
#include <string>
#include <string_view>

#include "annotations/annotation_io.h"
#include "annotations/segment.h"

namespace teamor::annotations::detail {

/// "line L, column C (byte B)" for a 0-based byte offset into @p text.
std::string text_position(std::string_view text, std::size_t byte);

/// Label as the options want it: canonical through the alias table, or trimmed as written.
std::string map_label(std::string_view label, const ReadOptions& options);

/// @throws FormatError (file, position) unless start and end are finite, start >= 0, end >= start.
void check_interval(double start_s, double end_s, const std::string& file,
                    const std::string& position);

/// @throws FormatError unless @p score is finite and in [0, 1].
void check_score(double score, const std::string& file, const std::string& position);

/// Shortest decimal text that reads back as the same double ("812.4", "0.30000000000000004").
std::string format_number(double value);

/// Parses a whole field as a finite double (leading/trailing spaces allowed).
/// @return false when the field is not a number.
bool parse_number(std::string_view field, double& value);

/// @brief Checks that @p text is UTF-8 (an optional BOM is removed from the returned view).
/// @throws FormatError naming the byte offset of the first invalid sequence, and saying so when
/// the text starts with a UTF-16 byte-order mark.
std::string_view require_utf8(std::string_view text, const std::string& file);

/// Reads a whole file. @throws IoError naming the path.
std::string read_file(const std::string& path);

/// Recording id from a media file name: the part before the last '.', without folders.
std::string file_stem(std::string_view name);

/// Calls options.on_warning when set.
void warn(const ReadOptions& options, const std::string& message);

}  // namespace teamor::annotations::detail
