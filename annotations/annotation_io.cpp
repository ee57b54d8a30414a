#include "annotations/annotation_io.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>

#include "annotations/formats/activitynet.h"
#include "annotations/formats/boris.h"
#include "annotations/formats/csv.h"
#include "annotations/formats/elan.h"
#include "annotations/formats/format_support.h"
#include "annotations/formats/label_studio.h"
#include "annotations/formats/team_or_pickle.h"
#include "annotations/formats/thumos14.h"
#include "common/atomic_file.h"
#include "common/error.h"

namespace teamor::annotations {
namespace {

struct FormatInfo {
  Format format;
  std::string_view name;
  bool writable;
};

constexpr std::array<FormatInfo, 8> kFormats{{
    {Format::ActivityNet, "activitynet", true},
    {Format::Elan, "elan", true},
    {Format::Csv, "csv", true},
    {Format::Boris, "boris", true},
    {Format::BorisTabular, "boris-tabular", true},
    {Format::Thumos14, "thumos14", true},
    {Format::LabelStudio, "label-studio", true},
    {Format::TeamOrPickle, "team-or-pickle", false},
}};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string extension(const std::filesystem::path& path) {
  return lower(path.extension().string());
}

// First bytes of the file (enough to sniff JSON keys and table headers).
std::string head(const std::filesystem::path& path, std::size_t n = 4096) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open the file for reading", path.string());
  std::string buf(n, '\0');
  in.read(buf.data(), static_cast<std::streamsize>(n));
  buf.resize(static_cast<std::size_t>(in.gcount()));
  return buf;
}

Format sniff(const std::string& h, const std::string& ext, const std::filesystem::path& path) {
  if (!h.empty() && static_cast<unsigned char>(h[0]) == 0x80) return Format::TeamOrPickle;
  std::size_t first = h.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  char c = first == std::string::npos ? '\0' : h[first];
  if (c == '<') return Format::Elan;
  if (c == '[') return Format::LabelStudio;
  if (c == '{') {
    if (h.find("\"observations\"") != std::string::npos ||
        h.find("\"project_format_version\"") != std::string::npos ||
        h.find("\"behaviors_conf\"") != std::string::npos)
      return Format::Boris;
    if (h.find("\"database\"") != std::string::npos || h.find("\"results\"") != std::string::npos)
      return Format::ActivityNet;
    if (h.find("\"timelinelabels\"") != std::string::npos ||
        h.find("\"annotation\"") != std::string::npos ||
        h.find("\"predictions\"") != std::string::npos ||
        h.find("\"label_config\"") != std::string::npos)
      return Format::LabelStudio;
    return Format::ActivityNet;  // its reader names what is missing
  }
  const std::string first_line = h.substr(0, h.find('\n'));
  if (first_line.rfind("Observation id", 0) == 0) return Format::BorisTabular;
  if (lower(first_line).find("recording") != std::string::npos &&
      lower(first_line).find("start_s") != std::string::npos)
    return Format::Csv;
  if (ext == ".txt") return Format::Thumos14;
  if (ext == ".csv" || ext == ".tsv") return Format::Csv;
  throw FormatError(
      "cannot tell the annotation format from the extension or the content; give "
      "it explicitly (" +
          format_names() + ")",
      path.string());
}

AnnotationCollection single(AnnotationSet set) {
  AnnotationCollection c;
  std::string id = set.recording_id;
  c.emplace(id, std::move(set));
  return c;
}

char delimiter_for(const std::filesystem::path& path, const WriteOptions& options) {
  if (options.csv_delimiter != 0) return options.csv_delimiter;
  return extension(path) == ".tsv" ? '\t' : ',';
}

}  // namespace

std::string_view format_name(Format format) {
  for (const auto& f : kFormats)
    if (f.format == format) return f.name;
  return "auto";
}

Format format_from_name(std::string_view name) {
  const std::string n = lower(std::string(name));
  if (n == "auto" || n.empty()) return Format::Auto;
  for (const auto& f : kFormats)
    if (f.name == n) return f.format;
  if (n == "eaf") return Format::Elan;
  if (n == "tsv") return Format::Csv;
  if (n == "pickle" || n == "pkl" || n == "teamor-pickle") return Format::TeamOrPickle;
  if (n == "labelstudio" || n == "ls") return Format::LabelStudio;
  if (n == "thumos") return Format::Thumos14;
  if (n == "anet" || n == "json") return Format::ActivityNet;
  throw ConfigError("unknown annotation format '" + std::string(name) +
                    "'; known: " + format_names());
}

std::string format_names() {
  std::string out;
  for (const auto& f : kFormats) {
    if (!out.empty()) out += ", ";
    out += f.name;
  }
  return out;
}

bool format_is_writable(Format format) {
  for (const auto& f : kFormats)
    if (f.format == format) return f.writable;
  return false;
}

Format detect_format(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Format::Thumos14;
  if (!std::filesystem::exists(path, ec)) throw IoError("no such file", path.string());
  const std::string ext = extension(path);
  if (ext == ".eaf") return Format::Elan;
  if (ext == ".boris") return Format::Boris;
  if (ext == ".pkl" || ext == ".pickle") return Format::TeamOrPickle;
  return sniff(head(path), ext, path);
}

Format format_for_output(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec) || path.string().back() == '/')
    return Format::Thumos14;
  const std::string ext = extension(path);
  if (ext == ".json") return Format::ActivityNet;
  if (ext == ".eaf") return Format::Elan;
  if (ext == ".csv" || ext == ".tsv") return Format::Csv;
  if (ext == ".boris") return Format::Boris;
  if (ext == ".txt") return Format::Thumos14;
  throw ConfigError("cannot tell the output format from '" + path.string() +
                    "'; use an extension (.json .eaf .csv .tsv .boris .txt) or --to (" +
                    format_names() + ")");
}

AnnotationCollection read_annotations_from_string(std::string_view text,
                                                  const std::string& file_name,
                                                  const ReadOptions& options) {
  switch (options.format) {
    case Format::ActivityNet:
      return read_activitynet(text, file_name, options);
    case Format::Elan:
      return single(read_elan(text, file_name, options));
    case Format::Csv:
      return read_csv(text, file_name, options);
    case Format::Boris:
      return read_boris_project(text, file_name, options);
    case Format::BorisTabular:
      return read_boris_tabular(text, file_name, options);
    case Format::Thumos14:
      return read_thumos14(text, file_name, options);
    case Format::LabelStudio:
      return read_label_studio(text, file_name, options);
    case Format::TeamOrPickle:
      return read_team_or_pickle(text, file_name, options);
    case Format::Auto:
      break;
  }
  throw ConfigError("read_annotations_from_string needs an explicit format");
}

AnnotationCollection read_annotations(const std::filesystem::path& path,
                                      const ReadOptions& options) {
  ReadOptions opt = options;
  if (opt.format == Format::Auto) opt.format = detect_format(path);
  std::error_code ec;
  if (opt.format == Format::Thumos14 && std::filesystem::is_directory(path, ec))
    return read_thumos14_folder(path, opt);
  const std::string text = detail::read_file(path.string());
  if (opt.format == Format::Thumos14) {
    // Detections may give THUMOS class ids; map them with a detclasslist.txt next to the file.
    const auto list = path.parent_path() / "detclasslist.txt";
    std::map<int, std::string> ids;
    if (std::filesystem::exists(list, ec) && path.filename() != "detclasslist.txt")
      ids = read_thumos14_class_list(detail::read_file(list.string()), list.string());
    return read_thumos14(text, path.string(), opt, {}, ids);
  }
  return read_annotations_from_string(text, path.string(), opt);
}

std::string write_annotations_to_string(const AnnotationCollection& collection,
                                        const WriteOptions& options) {
  switch (options.format) {
    case Format::ActivityNet:
      return write_activitynet(collection, options);
    case Format::Elan:
      if (collection.size() != 1)
        throw ConfigError("an ELAN file holds one recording; this data has " +
                          std::to_string(collection.size()) +
                          " (pick one with --recording, or write another format)");
      return write_elan(collection.begin()->second, options);
    case Format::Csv:
      return write_csv(collection, options.csv_delimiter ? options.csv_delimiter : ',');
    case Format::Boris:
      return write_boris_project(collection, options);
    case Format::BorisTabular:
      return write_boris_tabular(collection, options);
    case Format::Thumos14:
      return write_thumos14_detections(collection);
    case Format::LabelStudio:
      return write_label_studio(collection, options);
    case Format::TeamOrPickle:
      throw ConfigError(
          "the Team-OR pickle is read only; write activitynet, elan, csv, boris, "
          "thumos14 or label-studio");
    case Format::Auto:
      break;
  }
  throw ConfigError("write_annotations_to_string needs an explicit format");
}

void write_annotations(const std::filesystem::path& path, const AnnotationCollection& collection,
                       const WriteOptions& options) {
  WriteOptions opt = options;
  if (opt.format == Format::Auto) opt.format = format_for_output(path);
  std::error_code ec;
  const bool folder = std::filesystem::is_directory(path, ec) ||
                      (!path.string().empty() && path.string().back() == '/');
  if (opt.format == Format::Thumos14 && folder) {
    // Ground truth: one file per class.
    std::filesystem::create_directories(path, ec);
    if (ec) throw IoError("cannot create the folder: " + ec.message(), path.string());
    for (const auto& [name, content] : write_thumos14_ground_truth(collection, opt))
      write_file_atomically(path / name, content);
    return;
  }
  if (opt.format == Format::Csv) opt.csv_delimiter = delimiter_for(path, opt);
  write_file_atomically(path, write_annotations_to_string(collection, opt));
}

}  // namespace teamor::annotations
