#pragma once
// Undo commands for segment edits: add, add many (import, detection), delete, split, merge,
// relabel, move/trim. Each constructor captures the old and new state; redo()/undo() only apply one
// of them. Widgets and modes never change the TimelineModel directly: they push one of these on the
// stack.

#include <QUndoCommand>
#include <vector>

#include "annotations/segment.h"
#include "ui/timeline_model.h"

namespace teamor::ui {

/// Command ids for QUndoCommand::id(), so that mergeWith() only sees its own kind.
enum CommandId { kMoveSegmentCommandId = 1001, kSetViewOffsetCommandId = 1002 };

/// @brief Adds one segment (created with `[`/`]` keys or by dragging in an empty lane).
class AddSegmentCommand : public QUndoCommand {
 public:
  AddSegmentCommand(TimelineModel* model, annotations::Segment segment,
                    QUndoCommand* parent = nullptr);
  void redo() override;
  void undo() override;
  /// Id of the added segment (valid after the first redo()).
  SegmentId segment_id() const { return id_; }

 private:
  TimelineModel* model_;
  annotations::Segment segment_;
  SegmentId id_ = 0;  ///< allocated on first redo, reused afterwards so later commands stay valid
};

/// @brief Adds many segments in one step (import of a file, results of a detection run).
class AddSegmentsCommand : public QUndoCommand {
 public:
  AddSegmentsCommand(TimelineModel* model, std::vector<annotations::Segment> segments,
                     const QString& text, QUndoCommand* parent = nullptr);
  void redo() override;
  void undo() override;

 private:
  TimelineModel* model_;
  std::vector<annotations::Segment> segments_;
  std::vector<SegmentId> ids_;
};

/// @brief Deletes one segment; undo puts it back at the same row with the same id.
class DeleteSegmentCommand : public QUndoCommand {
 public:
  DeleteSegmentCommand(TimelineModel* model, SegmentId id, QUndoCommand* parent = nullptr);
  void redo() override;
  void undo() override;

 private:
  TimelineModel* model_;
  SegmentId id_;
  annotations::Segment segment_;
  int row_ = -1;
};

/// @brief Replaces a segment by another value (base of relabel, review state and move/trim).
class EditSegmentCommand : public QUndoCommand {
 public:
  EditSegmentCommand(TimelineModel* model, SegmentId id, annotations::Segment after,
                     const QString& text, QUndoCommand* parent = nullptr);
  void redo() override;
  void undo() override;
  SegmentId segment_id() const { return id_; }

 protected:
  TimelineModel* model_;
  SegmentId id_;
  annotations::Segment before_;
  annotations::Segment after_;
};

/// @brief Changes the protocol label of a segment (the segment moves to that protocol's lane).
class RelabelSegmentCommand : public EditSegmentCommand {
 public:
  RelabelSegmentCommand(TimelineModel* model, SegmentId id, const std::string& label,
                        QUndoCommand* parent = nullptr);
};

/// @brief Moves a segment or one of its edges. Successive commands of one drag gesture (same
/// @p gesture number and segment) merge into one undo step.
class MoveSegmentCommand : public EditSegmentCommand {
 public:
  /// @param start_s, end_s new bounds on the timeline, seconds (end > start)
  /// @param gesture number of the drag gesture (0 = never merge)
  MoveSegmentCommand(TimelineModel* model, SegmentId id, double start_s, double end_s, int gesture,
                     QUndoCommand* parent = nullptr);
  int id() const override { return kMoveSegmentCommandId; }
  bool mergeWith(const QUndoCommand* other) override;

 private:
  int gesture_;
};

/// @brief Splits a segment at @p time_s into two (the right part gets a new id).
class SplitSegmentCommand : public QUndoCommand {
 public:
  SplitSegmentCommand(TimelineModel* model, SegmentId id, double time_s,
                      QUndoCommand* parent = nullptr);
  void redo() override;
  void undo() override;
  SegmentId right_id() const { return right_id_; }

 private:
  TimelineModel* model_;
  SegmentId id_;
  annotations::Segment original_;
  double time_s_;
  SegmentId right_id_ = 0;
};

/// @brief Merges two segments of one lane into the first (spanning both); the second is removed.
class MergeSegmentsCommand : public QUndoCommand {
 public:
  MergeSegmentsCommand(TimelineModel* model, SegmentId first, SegmentId second,
                       QUndoCommand* parent = nullptr);
  void redo() override;
  void undo() override;

 private:
  TimelineModel* model_;
  SegmentId first_id_, second_id_;
  annotations::Segment first_, second_;
  int second_row_ = -1;
};

/// True when @p time_s lies strictly inside @p segment with at least @p min_part_s on each side.
bool can_split(const annotations::Segment& segment, double time_s, double min_part_s = 1e-3);

}  // namespace teamor::ui
