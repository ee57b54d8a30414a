#include "tests/fuzz/fuzz_targets.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "annotations/annotation_io.h"
#include "common/error.h"

namespace teamor::fuzz {
namespace {

using annotations::Format;

struct Target {
  std::string_view name;
  Format format;
};

constexpr Target kTargets[] = {
    {"activitynet", Format::ActivityNet},
    {"elan", Format::Elan},
    {"csv", Format::Csv},
    {"boris", Format::Boris},
    {"boris_tabular", Format::BorisTabular},
    {"thumos14", Format::Thumos14},
    {"label_studio", Format::LabelStudio},
    {"team_or_pickle", Format::TeamOrPickle},
};

}  // namespace

const std::vector<std::string_view>& target_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const auto& t : kTargets)
      v.push_back(t.name);
    return v;
  }();
  return names;
}

int run_target(std::string_view target, const std::uint8_t* data, std::size_t size) {
  const Target* t = nullptr;
  for (const auto& k : kTargets)
    if (k.name == target) t = &k;
  if (t == nullptr) return -1;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  annotations::ReadOptions ro;
  ro.format = t->format;
  ro.fps = 30;
  try {
    const auto collection = annotations::read_annotations_from_string(text, "fuzz-input", ro);
    if (!annotations::format_is_writable(t->format)) return 0;
    annotations::WriteOptions wo;
    wo.format = t->format;
    wo.fps = 30;
    if (t->format == Format::Elan && collection.size() != 1) return 0;
    const std::string written = annotations::write_annotations_to_string(collection, wo);
    // What we write we must read back.
    annotations::read_annotations_from_string(written, "fuzz-rewritten", ro);
  } catch (const teamor::Error&) {
    // Expected for malformed input (and ConfigError for data a format cannot hold).
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz target %.*s: unexpected exception: %s\n",
                 static_cast<int>(target.size()), target.data(), e.what());
    std::abort();
  }
  return 0;
}

}  // namespace teamor::fuzz
