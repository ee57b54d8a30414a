#include "annotations/formats/table_text.h"

#include "annotations/formats/format_support.h"
#include "common/error.h"

namespace teamor::annotations::detail {

std::vector<TableRow> split_table(std::string_view text, char delimiter, const std::string& file) {
  std::vector<TableRow> rows;
  TableRow row;
  std::string field;
  std::size_t line = 1;
  std::size_t i = 0;
  bool row_has_content = false;
  auto end_field = [&] {
    row.fields.push_back(std::move(field));
    field.clear();
  };
  auto end_row = [&] {
    end_field();
    bool blank = !row_has_content;
    if (!blank) rows.push_back(std::move(row));
    row = TableRow{};
    row_has_content = false;
  };
  row.line = 1;
  while (i < text.size()) {
    char c = text[i];
    if (c == '"' && field.empty()) {
      // Quoted field: runs to the closing quote; "" is a literal quote.
      const std::size_t start_line = line;
      row_has_content = true;
      ++i;
      bool closed = false;
      while (i < text.size()) {
        char q = text[i];
        if (q == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        if (q == '\n') ++line;
        field.push_back(q);
        ++i;
      }
      if (!closed)
        throw FormatError("a quoted field opened on this line is never closed", file,
                          "line " + std::to_string(start_line));
      if (i < text.size() && text[i] != delimiter && text[i] != '\n' && text[i] != '\r')
        throw FormatError(
            "unexpected text after a closing quote (a quote inside a field must be "
            "written \"\")",
            file, "line " + std::to_string(line));
      if (field.empty()) field = std::string();  // keep "" as an empty field
      // Mark the field as quoted-empty so a following quote is not taken as opening another.
      if (i < text.size() && text[i] == delimiter) {
        end_field();
        ++i;
      }
      continue;
    }
    if (c == delimiter) {
      end_field();
      row_has_content = true;
      ++i;
      continue;
    }
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;
      continue;
    }
    if (c == '\n' || c == '\r') {
      end_row();
      ++line;
      ++i;
      row.line = line;
      continue;
    }
    if (c != ' ' && c != '\t') row_has_content = true;
    field.push_back(c);
    ++i;
  }
  if (!row.fields.empty() || !field.empty() || row_has_content) end_row();
  return rows;
}

std::string quote_field(std::string_view field, char delimiter) {
  if (field.find_first_of(std::string{delimiter, '"', '\n', '\r'}) == std::string_view::npos &&
      (field.empty() || (field.front() != ' ' && field.back() != ' ')))
    return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"')
      out += "\"\"";
    else
      out.push_back(c);
  }
  out += "\"";
  return out;
}

}  // namespace teamor::annotations::detail
