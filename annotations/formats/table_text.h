#pragma once
// Internal: splits delimited text (CSV/TSV, RFC 4180 quoting) into rows of fields, remembering the
// line each row starts on, for the CSV, BORIS tabular and THUMOS readers.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace teamor::annotations::detail {

struct TableRow {
  std::size_t line = 0;  ///< 1-based line the row starts on
  std::vector<std::string> fields;
};

/// @brief Splits @p text into rows. Quoted fields may hold the delimiter, "" and line breaks; CRLF
/// and LF both end rows. Blank lines are skipped.
/// @throws FormatError naming the file and line for an unterminated quote or text after a
/// closing quote.
std::vector<TableRow> split_table(std::string_view text, char delimiter, const std::string& file);

/// Quotes @p field when it holds the delimiter, a quote or a line break (RFC 4180).
std::string quote_field(std::string_view field, char delimiter);

}  // namespace teamor::annotations::detail
