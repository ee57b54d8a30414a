#include "features/feature_sequence.h"

#include <algorithm>

#include "common/error.h"

namespace teamor::features {

int FeatureSequence::channel(const std::string& name) const {
  auto it = std::find(channel_names.begin(), channel_names.end(), name);
  return it == channel_names.end() ? -1 : static_cast<int>(it - channel_names.begin());
}

void FeatureSequence::append(const std::vector<float>& row_values) {
  if (T == 0 && C == 0) C = static_cast<int>(row_values.size());
  if (static_cast<int>(row_values.size()) != C)
    throw ConfigError("feature row " + std::to_string(T) + " has " +
                      std::to_string(row_values.size()) + " values, expected " + std::to_string(C));
  values.insert(values.end(), row_values.begin(), row_values.end());
  ++T;
}

}  // namespace teamor::features
