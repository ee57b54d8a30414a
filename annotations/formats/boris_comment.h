#pragma once
// Internal: BORIS events have no score or review-state field, so our writers put them at the start
// of the event comment as "[teamor score=0.91 state=proposed source=prediction] note"; the readers
// take them back out. Comments without the prefix are plain notes.

#include <string>
#include <string_view>

#include "annotations/segment.h"

namespace teamor::annotations::detail {

/// The comment for @p s (the prefix only when it carries something beyond the defaults).
std::string boris_comment(const Segment& s);

/// Fills s.note (and score/state/source when the prefix is present) from @p comment.
void apply_boris_comment(std::string_view comment, Segment& s);

}  // namespace teamor::annotations::detail
