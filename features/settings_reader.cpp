#include "features/settings_reader.h"

#include <algorithm>

#include "common/error.h"

namespace teamor::features {
namespace {

std::string location(const std::string& key) {
  return "features.settings." + key;
}

}  // namespace

SettingsReader::SettingsReader(std::string backend, std::filesystem::path bundle_dir)
    : backend_(std::move(backend)), bundle_dir_(std::move(bundle_dir)) {}

SettingsReader& SettingsReader::file(std::string key, std::filesystem::path& target) {
  // The folder by value: the reader may be copied or moved before read() runs.
  entries_.push_back({std::move(key), [dir = bundle_dir_, &target](const nlohmann::json& v) {
                        target = dir / v.get<std::string>();
                      }});
  return *this;
}

void SettingsReader::read(const nlohmann::json& settings) const {
  if (settings.is_null()) return;
  if (!settings.is_object())
    throw ConfigError(
        backend_ + " settings must be an object, found " + std::string(settings.type_name()), {},
        "features.settings");
  for (const auto& [key, value] : settings.items()) {
    const auto entry = std::find_if(entries_.begin(), entries_.end(),
                                    [&key](const auto& e) { return e.first == key; });
    if (entry == entries_.end()) {
      std::string known;
      for (const auto& e : entries_)
        known += (known.empty() ? "" : ", ") + e.first;
      throw ConfigError("unknown " + backend_ + " setting '" + key + "': expected " + known, {},
                        location(key));
    }
    try {
      entry->second(value);
    } catch (const nlohmann::json::exception&) {
      throw ConfigError(backend_ + " setting '" + key + "' has the wrong type (found " +
                            std::string(value.type_name()) + ")",
                        {}, location(key));
    }
  }
}

void SettingsReader::require(bool ok, const std::string& key, const std::string& what) const {
  if (!ok)
    throw ConfigError(backend_ + " setting '" + key + "' must be " + what, {}, location(key));
}

}  // namespace teamor::features
