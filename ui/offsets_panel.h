#pragma once
// OffsetsPanel: one spin box per view with its time offset in milliseconds, edited live. Changes
// are pushed as SetViewOffsetCommand (undoable, saved with the document); the player follows the
// model.

#include <QWidget>
#include <vector>

class QFormLayout;
class QSpinBox;
class QUndoStack;

namespace teamor::ui {

class TimelineModel;

/// @brief Per-view offset editor (see file comment).
class OffsetsPanel : public QWidget {
  Q_OBJECT
 public:
  OffsetsPanel(TimelineModel* model, QUndoStack* stack, QWidget* parent = nullptr);
  /// Rebuilds the editors from the model's media entries.
  void rebuild();
  /// Spin box of @p view (nullptr when absent), for tests.
  QSpinBox* editor(const QString& view) const;

 private:
  void refresh_values();

  TimelineModel* model_;
  QUndoStack* stack_;
  QFormLayout* form_;
  std::vector<std::pair<QString, QSpinBox*>> editors_;
};

}  // namespace teamor::ui
