#include "ui/offsets_panel.h"

#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QUndoStack>
#include <cmath>

#include "ui/commands/media_commands.h"
#include "ui/timeline_model.h"

namespace teamor::ui {

OffsetsPanel::OffsetsPanel(TimelineModel* model, QUndoStack* stack, QWidget* parent)
    : QWidget(parent), model_(model), stack_(stack), form_(new QFormLayout(this)) {
  connect(model_, &TimelineModel::media_changed, this, [this] {
    if (static_cast<std::size_t>(editors_.size()) != model_->media().size())
      rebuild();
    else
      refresh_values();
  });
  rebuild();
}

void OffsetsPanel::rebuild() {
  while (form_->rowCount() > 0)
    form_->removeRow(0);
  editors_.clear();
  auto* help = new QLabel(tr("View offsets in ms (view time = timeline + offset)"), this);
  help->setWordWrap(true);
  form_->addRow(help);
  for (const auto& m : model_->media()) {
    auto* spin = new QSpinBox(this);
    spin->setRange(-3600000, 3600000);
    spin->setSuffix(" ms");
    spin->setKeyboardTracking(false);  // typing "120" is one edit, not three
    const QString name = QString::fromStdString(m.name);
    connect(spin, &QSpinBox::valueChanged, this, [this, name](int ms) {
      stack_->push(new SetViewOffsetCommand(model_, name.toStdString(), ms / 1000.0));
    });
    form_->addRow(name, spin);
    editors_.emplace_back(name, spin);
  }
  refresh_values();
}

void OffsetsPanel::refresh_values() {
  for (const auto& m : model_->media())
    if (QSpinBox* spin = editor(QString::fromStdString(m.name))) {
      const QSignalBlocker block(spin);
      spin->setValue(static_cast<int>(std::lround(m.offset_s * 1000)));
    }
}

QSpinBox* OffsetsPanel::editor(const QString& view) const {
  for (const auto& [name, spin] : editors_)
    if (name == view) return spin;
  return nullptr;
}

}  // namespace teamor::ui
