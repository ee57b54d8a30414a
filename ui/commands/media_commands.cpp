#include "ui/commands/media_commands.h"

#include <QObject>

#include "ui/commands/segment_commands.h"

namespace teamor::ui {

SetViewOffsetCommand::SetViewOffsetCommand(TimelineModel* model, std::string view, double offset_s,
                                           QUndoCommand* parent)
    : QUndoCommand(parent), model_(model), view_(std::move(view)), after_s_(offset_s) {
  for (const auto& m : model->media())
    if (m.name == view_) before_s_ = m.offset_s;
  setText(QObject::tr("Set offset of %1 to %2 ms")
              .arg(QString::fromStdString(view_))
              .arg(offset_s * 1000.0, 0, 'f', 0));
}

void SetViewOffsetCommand::redo() {
  model_->set_media_offset(view_, after_s_);
}

void SetViewOffsetCommand::undo() {
  model_->set_media_offset(view_, before_s_);
}

int SetViewOffsetCommand::id() const {
  return kSetViewOffsetCommandId;
}

bool SetViewOffsetCommand::mergeWith(const QUndoCommand* other) {
  const auto* o = static_cast<const SetViewOffsetCommand*>(other);
  if (o->view_ != view_) return false;
  after_s_ = o->after_s_;
  setText(o->text());
  return true;
}

}  // namespace teamor::ui
