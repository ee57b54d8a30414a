#include "annotations/formats/format_support.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <system_error>

#include "annotations/labels.h"
#include "common/error.h"

namespace teamor::annotations::detail {

std::string text_position(std::string_view text, std::size_t byte) {
  if (byte > text.size()) byte = text.size();
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < byte; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + " (byte " +
         std::to_string(byte) + ")";
}

std::string map_label(std::string_view label, const ReadOptions& options) {
  if (!options.canonicalize_labels) return std::string(label);
  if (options.aliases != nullptr) return options.aliases->canonical(label);
  return canonical_label(label);
}

void check_interval(double start_s, double end_s, const std::string& file,
                    const std::string& position) {
  if (!std::isfinite(start_s) || !std::isfinite(end_s))
    throw FormatError("interval times must be finite numbers, found start " +
                          format_number(start_s) + ", end " + format_number(end_s),
                      file, position);
  if (start_s < 0)
    throw FormatError("interval starts at a negative time (" + format_number(start_s) +
                          " s); expected start >= 0",
                      file, position);
  if (end_s < start_s)
    throw FormatError("interval is reversed: end " + format_number(end_s) + " s is before start " +
                          format_number(start_s) + " s",
                      file, position);
}

void check_score(double score, const std::string& file, const std::string& position) {
  if (!std::isfinite(score) || score < 0 || score > 1)
    throw FormatError("score must be a number in [0, 1], found " + format_number(score), file,
                      position);
}

std::string format_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, res.ptr);
}

bool parse_number(std::string_view field, double& value) {
  while (!field.empty() && (field.front() == ' ' || field.front() == '\t'))
    field.remove_prefix(1);
  while (!field.empty() && (field.back() == ' ' || field.back() == '\t' || field.back() == '\r'))
    field.remove_suffix(1);
  if (field.empty()) return false;
  if (field.front() == '+') field.remove_prefix(1);
  auto res = std::from_chars(field.data(), field.data() + field.size(), value);
  if (res.ec != std::errc() || res.ptr != field.data() + field.size()) return false;
  return std::isfinite(value);
}

std::string_view require_utf8(std::string_view text, const std::string& file) {
  if (text.size() >= 2 && ((static_cast<unsigned char>(text[0]) == 0xFF &&
                            static_cast<unsigned char>(text[1]) == 0xFE) ||
                           (static_cast<unsigned char>(text[0]) == 0xFE &&
                            static_cast<unsigned char>(text[1]) == 0xFF)))
    throw FormatError("the file is UTF-16 encoded; expected UTF-8 (save it as UTF-8)", file,
                      "byte 0");
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t n = text.size(), i = 0;
  while (i < n) {
    unsigned c = p[i];
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    bool ok = len != 0 && i + len <= n;
    for (std::size_t k = 1; ok && k < len; ++k)
      ok = (p[i + k] & 0xC0) == 0x80;
    if (ok && len == 2) ok = c >= 0xC2;  // overlong
    if (ok && len == 3) ok = !(c == 0xE0 && p[i + 1] < 0xA0) && !(c == 0xED && p[i + 1] >= 0xA0);
    if (ok && len == 4)
      ok = !(c == 0xF0 && p[i + 1] < 0x90) && !(c == 0xF4 && p[i + 1] >= 0x90) && c <= 0xF4;
    if (c == 0) ok = false;
    if (!ok)
      throw FormatError(
          "invalid UTF-8 byte sequence (expected UTF-8 text; the file may be Latin-1 "
          "or binary)",
          file, text_position(text, i));
    i += len;
  }
  return text;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open the file for reading", path);
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) throw IoError("reading the file failed", path);
  return out.str();
}

std::string file_stem(std::string_view name) {
  auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  auto dot = name.rfind('.');
  if (dot != std::string_view::npos && dot > 0) name = name.substr(0, dot);
  return std::string(name);
}

void warn(const ReadOptions& options, const std::string& message) {
  if (options.on_warning) options.on_warning(message);
}

}  // namespace teamor::annotations::detail
