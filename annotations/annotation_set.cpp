#include "annotations/annotation_set.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace teamor::annotations {

std::vector<Segment> AnnotationSet::track(const std::string& label, Source source) const {
  std::vector<Segment> out;
  for (const auto& s : segments)
    if (s.label == label && s.source == source) out.push_back(s);
  std::sort(out.begin(), out.end(), [](const Segment& a, const Segment& b) {
    return std::tie(a.start_s, a.end_s) < std::tie(b.start_s, b.end_s);
  });
  return out;
}

std::vector<std::pair<std::string, Source>> AnnotationSet::track_keys() const {
  std::set<std::pair<std::string, Source>> keys;
  for (const auto& s : segments)
    keys.emplace(s.label, s.source);
  return {keys.begin(), keys.end()};
}

void AnnotationSet::sort() {
  std::stable_sort(segments.begin(), segments.end(), [](const Segment& a, const Segment& b) {
    return std::tie(a.label, a.source, a.start_s, a.end_s) <
           std::tie(b.label, b.source, b.start_s, b.end_s);
  });
}

}  // namespace teamor::annotations
