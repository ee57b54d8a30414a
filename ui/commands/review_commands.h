#pragma once
// Undo command for the review decision on a segment (accept / reject / edited / back to proposed).

#include "ui/commands/segment_commands.h"

namespace teamor::ui {

/// @brief Sets the review state of one segment.
class SetReviewStateCommand : public EditSegmentCommand {
 public:
  SetReviewStateCommand(TimelineModel* model, SegmentId id, annotations::ReviewState state,
                        QUndoCommand* parent = nullptr);
};

}  // namespace teamor::ui
