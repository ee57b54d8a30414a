#pragma once
// Undo command for a view's time offset (edited live in ms; a spin box burst merges into one step).

#include <QUndoCommand>
#include <string>

#include "ui/timeline_model.h"

namespace teamor::ui {

/// @brief Sets the offset of one view (view_time = timeline_time + offset_s).
class SetViewOffsetCommand : public QUndoCommand {
 public:
  /// @param offset_s new offset, seconds
  SetViewOffsetCommand(TimelineModel* model, std::string view, double offset_s,
                       QUndoCommand* parent = nullptr);
  void redo() override;
  void undo() override;
  int id() const override;
  /// Successive edits of the same view merge (typing or spinning the value is one undo step).
  bool mergeWith(const QUndoCommand* other) override;

 private:
  TimelineModel* model_;
  std::string view_;
  double before_s_ = 0;
  double after_s_;
};

}  // namespace teamor::ui
