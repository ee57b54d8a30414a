// TimelineModel + undo commands: every edit is undoable, ids survive undo/redo, drags coalesce.

#include <gtest/gtest.h>

#include <QUndoStack>

#include "ui/commands/media_commands.h"
#include "ui/commands/review_commands.h"
#include "ui/commands/segment_commands.h"
#include "ui/timeline_model.h"

namespace teamor::ui {
namespace {

using annotations::ReviewState;
using annotations::Segment;
using annotations::Source;

Segment seg(const char* label, double a, double b, Source src = Source::GroundTruth,
            std::optional<double> score = std::nullopt) {
  Segment s;
  s.label = label;
  s.start_s = a;
  s.end_s = b;
  s.source = src;
  s.score = score;
  s.state = src == Source::Prediction ? ReviewState::Proposed : ReviewState::Accepted;
  return s;
}

TEST(SegmentCommands, AddDeleteUndoRedoKeepsIdsAndRows) {
  TimelineModel model;
  QUndoStack stack;
  annotations::AnnotationSet set;
  set.segments = {seg("Time-out", 10, 70), seg("StOP?", 300, 340)};
  model.reset(set);
  const SegmentId first = model.id_at(0);

  auto* add = new AddSegmentCommand(&model, seg("StOP?", 500, 530, Source::Reviewer));
  stack.push(add);
  ASSERT_EQ(model.segment_count(), 3);
  const SegmentId added = add->segment_id();
  stack.push(new DeleteSegmentCommand(&model, first));
  EXPECT_EQ(model.segment_count(), 2);
  EXPECT_EQ(model.row_of(first), -1);
  stack.undo();  // delete undone: back at row 0 with its id
  EXPECT_EQ(model.row_of(first), 0);
  EXPECT_EQ(model.segment(0).start_s, 10);
  stack.undo();  // add undone
  EXPECT_EQ(model.segment_count(), 2);
  EXPECT_FALSE(model.find(added));
  stack.redo();  // the re-added segment has the same id, so later commands still apply
  EXPECT_TRUE(model.find(added));
  stack.redo();
  EXPECT_EQ(model.segment_count(), 2);
}

TEST(SegmentCommands, SplitMergeRelabelAndReviewStateRoundTrip) {
  TimelineModel model;
  QUndoStack stack;
  annotations::AnnotationSet set;
  set.segments = {seg("Time-out", 10, 70, Source::Prediction, 0.8)};
  model.reset(set);
  const SegmentId id = model.id_at(0);

  auto* split = new SplitSegmentCommand(&model, id, 40);
  stack.push(split);
  ASSERT_EQ(model.segment_count(), 2);
  EXPECT_EQ(model.find(id)->end_s, 40);
  EXPECT_EQ(model.find(split->right_id())->start_s, 40);
  EXPECT_EQ(model.find(id)->state, ReviewState::Edited);  // a touched prediction shows it

  stack.push(new MergeSegmentsCommand(&model, id, split->right_id()));
  ASSERT_EQ(model.segment_count(), 1);
  EXPECT_EQ(model.find(id)->start_s, 10);
  EXPECT_EQ(model.find(id)->end_s, 70);

  stack.push(new RelabelSegmentCommand(&model, id, "StOP?"));
  EXPECT_EQ(model.find(id)->label, "StOP?");
  EXPECT_EQ(model.lane_of(*model.find(id)), 4);  // StOP? predictions lane
  stack.push(new SetReviewStateCommand(&model, id, ReviewState::Rejected));
  EXPECT_EQ(model.find(id)->state, ReviewState::Rejected);

  while (stack.canUndo())
    stack.undo();
  ASSERT_EQ(model.segment_count(), 1);
  EXPECT_EQ(model.segment(0), set.segments[0]);
  while (stack.canRedo())
    stack.redo();
  EXPECT_EQ(model.find(id)->label, "StOP?");
  EXPECT_EQ(model.find(id)->state, ReviewState::Rejected);
}

TEST(SegmentCommands, MovesOfOneDragMergeIntoOneUndoStep) {
  TimelineModel model;
  QUndoStack stack;
  annotations::AnnotationSet set;
  set.segments = {seg("Time-out", 10, 20)};
  model.reset(set);
  const SegmentId id = model.id_at(0);
  for (int i = 1; i <= 5; ++i)
    stack.push(new MoveSegmentCommand(&model, id, 10 + i, 20 + i, 7));
  EXPECT_EQ(stack.count(), 1);
  EXPECT_EQ(model.find(id)->start_s, 15);
  stack.push(new MoveSegmentCommand(&model, id, 16, 30, 8));  // another gesture: its own step
  EXPECT_EQ(stack.count(), 2);
  stack.undo();
  stack.undo();
  EXPECT_EQ(model.find(id)->start_s, 10);
  EXPECT_EQ(model.find(id)->end_s, 20);
}

TEST(SegmentCommands, ViewOffsetEditsMergeAndUndo) {
  TimelineModel model;
  QUndoStack stack;
  model.set_media({{"ceiling1", "c1.mp4", 0.0}, {"ceiling2", "c2.mp4", 0.1}});
  stack.push(new SetViewOffsetCommand(&model, "ceiling2", 0.2));
  stack.push(new SetViewOffsetCommand(&model, "ceiling2", 0.25));
  EXPECT_EQ(stack.count(), 1);
  EXPECT_DOUBLE_EQ(model.media()[1].offset_s, 0.25);
  stack.undo();
  EXPECT_DOUBLE_EQ(model.media()[1].offset_s, 0.1);
}

TEST(TimelineModel, ThresholdHidesOnlyLowScoringPredictions) {
  TimelineModel model;
  annotations::AnnotationSet set;
  set.segments = {seg("Time-out", 1, 2, Source::Prediction, 0.2),
                  seg("Time-out", 3, 4, Source::Prediction, 0.7),
                  seg("Time-out", 5, 6, Source::GroundTruth)};
  model.reset(set);
  model.set_score_threshold(0.5);
  EXPECT_FALSE(model.is_visible(0));
  EXPECT_TRUE(model.is_visible(1));
  EXPECT_TRUE(model.is_visible(2));
  EXPECT_FALSE(model.data(model.index(0, 0), TimelineModel::kVisibleRole).toBool());
  model.set_score_threshold(0.1);
  EXPECT_TRUE(model.is_visible(0));
}

TEST(TimelineModel, ExposesSegmentsAsItemModel) {
  TimelineModel model;
  annotations::AnnotationSet set;
  set.segments = {seg("StOP?", 3, 4.5, Source::Prediction, 0.7)};
  model.reset(set);
  EXPECT_EQ(model.rowCount(), 1);
  EXPECT_EQ(model.columnCount(), TimelineModel::kColumnCount);
  EXPECT_EQ(model.data(model.index(0, TimelineModel::kLabel)).toString(), "StOP?");
  EXPECT_DOUBLE_EQ(model.data(model.index(0, 0), TimelineModel::kEndRole).toDouble(), 4.5);
  EXPECT_DOUBLE_EQ(model.data(model.index(0, 0), TimelineModel::kScoreRole).toDouble(), 0.7);
}

}  // namespace
}  // namespace teamor::ui
