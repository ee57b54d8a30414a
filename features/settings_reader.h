#pragma once
// SettingsReader: a backend's "settings" object (model.json features.settings) into typed fields.
// Each backend lists its keys once; unknown keys, wrong types and impossible values become
// ConfigErrors at "features.settings.<key>" worded the same for every backend.
//
//   ClassicSettings s;
//   SettingsReader r("classic");
//   r.value("width", s.width).value("height", s.height);
//   r.read(config.settings);
//   r.require(s.width >= 16, "width", "at least 16 pixels");

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace teamor::features {

class SettingsReader {
 public:
  /// @param backend name used in messages @param bundle_dir base of relative file settings
  explicit SettingsReader(std::string backend, std::filesystem::path bundle_dir = {});

  /// @brief Key @p key sets @p target (int, float, std::string, std::vector<float>, ...).
  template <typename T>
  SettingsReader& value(std::string key, T& target) {
    entries_.push_back(
        {std::move(key), [&target](const nlohmann::json& v) { target = v.get<T>(); }});
    return *this;
  }
  /// @brief Key @p key names a file relative to the bundle folder.
  SettingsReader& file(std::string key, std::filesystem::path& target);

  /// @brief Sets the fields of the keys present in @p settings.
  /// @throws ConfigError for a key not listed (naming every known key) or a value of the wrong type
  void read(const nlohmann::json& settings) const;

  /// @brief Throws ConfigError "<backend> setting '<key>' must be <what>" unless @p ok.
  void require(bool ok, const std::string& key, const std::string& what) const;

 private:
  std::string backend_;
  std::filesystem::path bundle_dir_;
  std::vector<std::pair<std::string, std::function<void(const nlohmann::json&)>>> entries_;
};

}  // namespace teamor::features
