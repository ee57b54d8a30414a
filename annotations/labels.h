#pragma once
// Canonical protocol labels and the alias table that maps the spellings other tools and datasets
// use
// ("11 (Time-Out)", "(10) STOP", "timeout", ...) onto them. Unknown labels are kept unchanged, so a
// file with other classes (ActivityNet, THUMOS) round-trips untouched.
//
//   LabelAliases aliases = LabelAliases::builtin();
//   aliases.load_json("my_aliases.json");        // {"Team Time-out": "Time-out", "SSC": "StOP?"}
//   aliases.canonical("11 (Time-Out)");          // "Time-out"
//   aliases.canonical("Long jump");              // "Long jump" (unknown: kept)

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace teamor::annotations {

/// @brief Maps label spellings onto canonical labels; matching ignores case and surrounding spaces.
class LabelAliases {
 public:
  /// The built-in table: Time-out and StOP? with the Team-OR pickle codes and common spellings.
  static LabelAliases builtin();
  /// An empty table: canonical() returns every label unchanged (apart from trimming).
  LabelAliases() = default;

  /// @brief Adds (or replaces) one alias.
  /// @param alias     spelling found in files (matched case-insensitively, trimmed)
  /// @param canonical label to use instead
  void add(std::string_view alias, std::string_view canonical);

  /// @brief Adds the aliases of a JSON file: an object {"alias": "canonical", ...}, or
  /// {"aliases": {...}}, or {"canonical": ["alias", ...]} (a list value means the key is
  /// canonical).
  /// @throws IoError when the file cannot be read, FormatError naming the file and entry otherwise.
  void load_json(const std::filesystem::path& path);
  /// Same as load_json() on text already in memory; @p file_name is only used in error messages.
  void load_json_text(std::string_view text, const std::string& file_name);

  /// @brief The canonical label for @p label, or @p label itself (trimmed) when it has no alias.
  std::string canonical(std::string_view label) const;

  /// Number of aliases in the table.
  std::size_t size() const { return table_.size(); }

 private:
  std::map<std::string, std::string> table_;  // normalised alias -> canonical
};

/// @brief The process-wide alias table every reader uses by default (starts as builtin()).
/// Not thread-safe to modify; configure it once at start-up (the CLI's --aliases option does).
LabelAliases& default_label_aliases();

/// @brief Shortcut for default_label_aliases().canonical(label).
std::string canonical_label(std::string_view label);

}  // namespace teamor::annotations
