#pragma once
// Internal: BORIS events have no score or review-state field, so our writers put them at the start
// of the event comment as "[teamor score=0.91 state=proposed source=prediction] note"; the readers
// take them back out. Comments without the prefix are plain notes.

#include <string>
#include <string_view>
#include <vector>

#include "annotations/segment.h"

namespace teamor::annotations::detail {

/// The comment for @p s (the prefix only when it carries something beyond the defaults).
std::string boris_comment(const Segment& s);

/// Fills s.note (and score/state/source when the prefix is present) from @p comment.
void apply_boris_comment(std::string_view comment, Segment& s);

}  // namespace teamor::annotations::detail

namespace teamor::annotations::detail {

/// @brief BORIS subjects for @p segments (same order). A state cannot overlap itself for one
/// subject, so the subject is the view for ground truth, "<view> [<source>]" for other sources, and
/// overlapping intervals of one label go to extra lanes "[<source> 2]", "[<source> 3]", ...
std::vector<std::string> boris_subjects(const std::vector<const Segment*>& segments);

/// Sets s.view (and s.source when the subject carries "[source]" or "[source n]") from @p subject.
void apply_boris_subject(std::string_view subject, Segment& s);

/// One START or STOP row of a BORIS state event.
struct BorisStateEvent {
  double time_s = 0;
  bool start = true;
  const Segment* segment = nullptr;
  std::string subject;
};

/// @brief The START/STOP rows of every segment of @p segments, in the order both BORIS writers emit
/// them: by time; at equal times STOPs first, then zero-length intervals, then STARTs, so a state
/// that ends where the next begins is closed before it is reopened.
std::vector<BorisStateEvent> boris_state_events(const std::vector<Segment>& segments);

}  // namespace teamor::annotations::detail
