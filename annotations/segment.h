#pragma once
// The interval model shared by every layer: a Segment is one protocol interval on the recording
// timeline (seconds), an AnnotationSet holds every segment of one recording. No Qt, no video here.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace teamor::annotations {

/// Canonical protocol labels (see labels.h for the alias table that maps other spellings onto
/// them).
inline constexpr std::string_view kTimeOut = "Time-out";
inline constexpr std::string_view kStop = "StOP?";

/// Who produced a segment.
enum class Source { GroundTruth, Prediction, Reviewer };

/// Review state of a segment (predictions start as Proposed, ground truth as Accepted).
enum class ReviewState { Proposed, Accepted, Rejected, Edited };

/// @brief One protocol interval on the recording timeline.
struct Segment {
  std::string label;            ///< canonical label when known (kTimeOut, kStop), else as read
  double start_s = 0;           ///< start on the recording timeline, seconds
  double end_s = 0;             ///< end on the recording timeline, seconds (> start_s)
  std::optional<double> score;  ///< detector confidence in [0, 1], when there is one
  Source source = Source::GroundTruth;
  ReviewState state = ReviewState::Accepted;
  std::string view;  ///< view name the segment was marked on, empty for "all views"
  std::string note;  ///< free text

  double duration_s() const { return end_s - start_s; }
  friend bool operator==(const Segment&, const Segment&) = default;
};

std::string_view to_string(Source source);
std::string_view to_string(ReviewState state);
/// @throws FormatError (without file) when @p text is not a known name
Source source_from_string(std::string_view text);
ReviewState review_state_from_string(std::string_view text);

}  // namespace teamor::annotations
