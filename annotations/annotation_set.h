#pragma once
// All segments of one recording plus what is needed to place them on its media.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "annotations/segment.h"

namespace teamor::annotations {

/// One medium (camera view) of the recording, with its offset: view_time = timeline + offset_s.
struct MediaEntry {
  std::string name;     ///< view name ("ceiling1", "endoscope")
  std::string path;     ///< file path or URL as the source format gave it
  double offset_s = 0;  ///< view_time = timeline_time + offset_s
  friend bool operator==(const MediaEntry&, const MediaEntry&) = default;
};

/// @brief Every segment of one recording. Tracks are views of `segments` grouped by (label,
/// source).
struct AnnotationSet {
  std::string recording_id;
  std::optional<double> fps;  ///< nominal frame rate when known (frame-based formats need it)
  std::optional<double> duration_s;  ///< recording duration when known
  std::string subset;  ///< ActivityNet subset ("training", "validation", ...), or empty
  std::vector<MediaEntry> media;
  std::vector<Segment> segments;

  /// Segments of one (label, source) track, in time order.
  std::vector<Segment> track(const std::string& label, Source source) const;
  /// The distinct (label, source) pairs present, sorted.
  std::vector<std::pair<std::string, Source>> track_keys() const;
  /// Sorts segments by (label, source, start, end).
  void sort();
};

/// Several recordings' annotations, keyed by recording id (most files hold many recordings).
using AnnotationCollection = std::map<std::string, AnnotationSet>;

}  // namespace teamor::annotations
