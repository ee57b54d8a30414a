#include "ui/commands/segment_commands.h"

#include <QObject>
#include <algorithm>

#include "common/error.h"

namespace teamor::ui {

using annotations::ReviewState;
using annotations::Segment;
using annotations::Source;

namespace {
/// An edited prediction is marked Edited so the reviewer sees it was touched.
Segment mark_edited(Segment s) {
  if (s.source == Source::Prediction) s.state = ReviewState::Edited;
  return s;
}
}  // namespace

bool can_split(const Segment& segment, double time_s, double min_part_s) {
  return time_s >= segment.start_s + min_part_s && time_s <= segment.end_s - min_part_s;
}

// ---- add ----

AddSegmentCommand::AddSegmentCommand(TimelineModel* model, Segment segment, QUndoCommand* parent)
    : QUndoCommand(parent), model_(model), segment_(std::move(segment)) {
  TEAMOR_ASSERT(segment_.end_s > segment_.start_s);
  setText(QObject::tr("Add %1 segment").arg(QString::fromStdString(segment_.label)));
}

void AddSegmentCommand::redo() {
  id_ = model_->insert(segment_, -1, id_);
}

void AddSegmentCommand::undo() {
  model_->remove(id_);
}

AddSegmentsCommand::AddSegmentsCommand(TimelineModel* model, std::vector<Segment> segments,
                                       const QString& text, QUndoCommand* parent)
    : QUndoCommand(text, parent), model_(model), segments_(std::move(segments)) {}

void AddSegmentsCommand::redo() {
  ids_ = model_->append(segments_, ids_);
}

void AddSegmentsCommand::undo() {
  model_->remove(ids_);
}

// ---- delete ----

DeleteSegmentCommand::DeleteSegmentCommand(TimelineModel* model, SegmentId id, QUndoCommand* parent)
    : QUndoCommand(parent), model_(model), id_(id) {
  auto s = model->find(id);
  TEAMOR_ASSERT(s.has_value());
  segment_ = *s;
  setText(QObject::tr("Delete %1 segment").arg(QString::fromStdString(segment_.label)));
}

void DeleteSegmentCommand::redo() {
  row_ = model_->remove(id_);
}

void DeleteSegmentCommand::undo() {
  model_->insert(segment_, row_, id_);
}

// ---- edit / relabel / move ----

EditSegmentCommand::EditSegmentCommand(TimelineModel* model, SegmentId id, Segment after,
                                       const QString& text, QUndoCommand* parent)
    : QUndoCommand(text, parent), model_(model), id_(id), after_(std::move(after)) {
  auto s = model->find(id);
  TEAMOR_ASSERT(s.has_value());
  before_ = *s;
}

void EditSegmentCommand::redo() {
  model_->replace(id_, after_);
}

void EditSegmentCommand::undo() {
  model_->replace(id_, before_);
}

namespace {
Segment relabelled(const TimelineModel* model, SegmentId id, const std::string& label) {
  Segment s = model->find(id).value_or(Segment{});
  s.label = label;
  return mark_edited(s);
}
Segment moved(const TimelineModel* model, SegmentId id, double start_s, double end_s) {
  TEAMOR_ASSERT(end_s > start_s);
  Segment s = model->find(id).value_or(Segment{});
  s.start_s = start_s;
  s.end_s = end_s;
  return mark_edited(s);
}
}  // namespace

RelabelSegmentCommand::RelabelSegmentCommand(TimelineModel* model, SegmentId id,
                                             const std::string& label, QUndoCommand* parent)
    : EditSegmentCommand(model, id, relabelled(model, id, label),
                         QObject::tr("Relabel as %1").arg(QString::fromStdString(label)), parent) {}

MoveSegmentCommand::MoveSegmentCommand(TimelineModel* model, SegmentId id, double start_s,
                                       double end_s, int gesture, QUndoCommand* parent)
    : EditSegmentCommand(
          model, id, moved(model, id, start_s, end_s),
          QObject::tr("Move %1 segment")
              .arg(QString::fromStdString(model->find(id).value_or(Segment{}).label)),
          parent),
      gesture_(gesture) {}

bool MoveSegmentCommand::mergeWith(const QUndoCommand* other) {
  const auto* o = static_cast<const MoveSegmentCommand*>(other);  // same id() => same type
  if (gesture_ == 0 || o->gesture_ != gesture_ || o->id_ != id_) return false;
  after_ = o->after_;  // keep our before_: one undo step restores the state before the drag
  return true;
}

// ---- split ----

SplitSegmentCommand::SplitSegmentCommand(TimelineModel* model, SegmentId id, double time_s,
                                         QUndoCommand* parent)
    : QUndoCommand(parent), model_(model), id_(id), time_s_(time_s) {
  auto s = model->find(id);
  TEAMOR_ASSERT(s.has_value() && can_split(*s, time_s));
  original_ = *s;
  setText(QObject::tr("Split %1 segment").arg(QString::fromStdString(original_.label)));
}

void SplitSegmentCommand::redo() {
  Segment left = mark_edited(original_);
  Segment right = left;
  left.end_s = time_s_;
  right.start_s = time_s_;
  model_->replace(id_, left);
  const int row = model_->row_of(id_);
  right_id_ = model_->insert(right, row + 1, right_id_);
}

void SplitSegmentCommand::undo() {
  model_->remove(right_id_);
  model_->replace(id_, original_);
}

// ---- merge ----

MergeSegmentsCommand::MergeSegmentsCommand(TimelineModel* model, SegmentId first, SegmentId second,
                                           QUndoCommand* parent)
    : QUndoCommand(parent), model_(model), first_id_(first), second_id_(second) {
  auto a = model->find(first);
  auto b = model->find(second);
  TEAMOR_ASSERT(a && b && first != second);
  first_ = *a;
  second_ = *b;
  setText(QObject::tr("Merge %1 segments").arg(QString::fromStdString(first_.label)));
}

void MergeSegmentsCommand::redo() {
  Segment merged = mark_edited(first_);
  merged.start_s = std::min(first_.start_s, second_.start_s);
  merged.end_s = std::max(first_.end_s, second_.end_s);
  if (first_.score && second_.score) merged.score = std::max(*first_.score, *second_.score);
  second_row_ = model_->remove(second_id_);
  model_->replace(first_id_, merged);
}

void MergeSegmentsCommand::undo() {
  model_->replace(first_id_, first_);
  model_->insert(second_, second_row_, second_id_);
}

}  // namespace teamor::ui
