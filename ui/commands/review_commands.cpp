#include "ui/commands/review_commands.h"

#include <QObject>

namespace teamor::ui {

namespace {
annotations::Segment with_state(const TimelineModel* model, SegmentId id,
                                annotations::ReviewState state) {
  annotations::Segment s = model->find(id).value_or(annotations::Segment{});
  s.state = state;
  return s;
}

QString review_text(annotations::ReviewState state) {
  switch (state) {
    case annotations::ReviewState::Accepted:
      return QObject::tr("Accept segment");
    case annotations::ReviewState::Rejected:
      return QObject::tr("Reject segment");
    case annotations::ReviewState::Edited:
      return QObject::tr("Mark segment edited");
    case annotations::ReviewState::Proposed:
      return QObject::tr("Reset segment review");
  }
  return {};
}
}  // namespace

SetReviewStateCommand::SetReviewStateCommand(TimelineModel* model, SegmentId id,
                                             annotations::ReviewState state, QUndoCommand* parent)
    : EditSegmentCommand(model, id, with_state(model, id, state), review_text(state), parent) {}

}  // namespace teamor::ui
