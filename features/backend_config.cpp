#include "features/backend_config.h"

#include "common/error.h"

namespace teamor::features {
namespace {

std::string where(const std::string& key) {
  return "features." + key;
}

CeilingFusion parse_fusion(const std::string& text) {
  if (text == "mean") return CeilingFusion::Mean;
  if (text == "max") return CeilingFusion::Max;
  if (text == "concat") return CeilingFusion::Concat;
  throw ConfigError("unknown ceiling fusion '" + text + "': expected mean, max or concat", {},
                    where("fusion.ceiling"));
}

std::string fusion_name(CeilingFusion fusion) {
  switch (fusion) {
    case CeilingFusion::Mean:
      return "mean";
    case CeilingFusion::Max:
      return "max";
    case CeilingFusion::Concat:
      return "concat";
  }
  return "mean";
}

template <typename T>
T get(const nlohmann::json& json, const std::string& key, const std::string& path) {
  try {
    return json.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw ConfigError("value of '" + key + "' has the wrong type (found " +
                          std::string(json.at(key).type_name()) + ")",
                      {}, where(path));
  }
}

}  // namespace

BackendConfig BackendConfig::from_json(const nlohmann::json& json) {
  BackendConfig config;
  if (!json.is_object())
    throw ConfigError(
        "the features entry must be a JSON object, found " + std::string(json.type_name()), {},
        "features");
  for (const auto& [key, value] : json.items()) {
    if (key == "backend") {
      config.backend = get<std::string>(json, key, key);
    } else if (key == "device") {
      config.device = get<std::string>(json, key, key);
    } else if (key == "batch_clips") {
      config.batch_clips = get<int>(json, key, key);
    } else if (key == "settings") {
      if (!value.is_object()) throw ConfigError("settings must be a JSON object", {}, where(key));
      config.settings = value;
    } else if (key == "fusion") {
      if (!value.is_object()) throw ConfigError("fusion must be a JSON object", {}, where(key));
      for (const auto& [fkey, fvalue] : value.items()) {
        (void)fvalue;
        if (fkey == "ceiling") {
          config.fusion.ceiling = parse_fusion(get<std::string>(value, fkey, "fusion." + fkey));
        } else if (fkey == "ceiling_slots") {
          config.fusion.ceiling_slots = get<int>(value, fkey, "fusion." + fkey);
        } else if (fkey == "endoscope") {
          config.fusion.endoscope = get<bool>(value, fkey, "fusion." + fkey);
        } else {
          throw ConfigError(
              "unknown key '" + fkey + "': expected ceiling, ceiling_slots, endoscope", {},
              where("fusion." + fkey));
        }
      }
    } else {
      throw ConfigError(
          "unknown key '" + key + "': expected backend, device, batch_clips, fusion, settings", {},
          where(key));
    }
  }
  if (config.device != "cpu" && config.device != "cuda" && config.device.rfind("cuda:", 0) != 0)
    throw ConfigError("device must be cpu or cuda[:N], found '" + config.device + "'", {},
                      where("device"));
  if (config.batch_clips < 1)
    throw ConfigError("batch_clips must be >= 1, found " + std::to_string(config.batch_clips), {},
                      where("batch_clips"));
  if (config.fusion.ceiling == CeilingFusion::Concat && config.fusion.ceiling_slots < 1)
    throw ConfigError("concat fusion needs ceiling_slots >= 1, found " +
                          std::to_string(config.fusion.ceiling_slots),
                      {}, where("fusion.ceiling_slots"));
  if (config.fusion.ceiling_slots < 0)
    throw ConfigError("ceiling_slots must be >= 0", {}, where("fusion.ceiling_slots"));
  return config;
}

nlohmann::json BackendConfig::to_json() const {
  return {{"backend", backend},
          {"device", device},
          {"batch_clips", batch_clips},
          {"fusion",
           {{"ceiling", fusion_name(fusion.ceiling)},
            {"ceiling_slots", fusion.ceiling_slots},
            {"endoscope", fusion.endoscope}}},
          {"settings", settings}};
}

}  // namespace teamor::features
