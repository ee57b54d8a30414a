#include "ui/file_exchange.h"

#include <QObject>

#include "annotations/annotation_io.h"
#include "common/error.h"

namespace teamor::ui {

using annotations::ReviewState;
using annotations::Source;

ImportResult import_annotations(const QString& path, const QString& recording_id,
                                std::optional<double> fps, ImportAs as) {
  ImportResult result;
  annotations::ReadOptions options;
  options.fps = fps;
  options.recording_id = recording_id.toStdString();
  options.on_warning = [&result](const std::string& w) {
    result.warnings << QString::fromStdString(w);
  };
  const annotations::AnnotationCollection collection =
      annotations::read_annotations(path.toStdString(), options);
  const annotations::AnnotationSet* set = nullptr;
  if (auto it = collection.find(recording_id.toStdString()); it != collection.end())
    set = &it->second;
  else if (collection.size() == 1)
    set = &collection.begin()->second;
  if (!set) {
    std::string ids;
    for (const auto& [id, _] : collection)
      ids += (ids.empty() ? "" : ", ") + id;
    throw ConfigError("the file holds no annotations for recording '" + recording_id.toStdString() +
                          "' (it has: " + (ids.empty() ? std::string("none") : ids) + ")",
                      path.toStdString());
  }
  result.recording_id = QString::fromStdString(set->recording_id);
  result.fps = set->fps;
  result.segments = set->segments;
  for (auto& s : result.segments) {
    if (as == ImportAs::GroundTruth) {
      s.source = Source::GroundTruth;
      s.state = ReviewState::Accepted;
    } else if (as == ImportAs::Predictions) {
      s.source = Source::Prediction;
      if (s.state == ReviewState::Accepted) s.state = ReviewState::Proposed;
    }
  }
  return result;
}

void export_annotations(const QString& path, const annotations::AnnotationSet& set) {
  annotations::AnnotationCollection collection;
  collection[set.recording_id] = set;
  annotations::WriteOptions options;
  options.format = annotations::format_for_output(path.toStdString());
  options.fps = set.fps;
  annotations::write_annotations(path.toStdString(), collection, options);
}

QString import_filter() {
  return QObject::tr(
      "Annotation files (*.json *.eaf *.csv *.tsv *.boris *.txt *.pkl *.pickle);;"
      "ActivityNet JSON (*.json);;ELAN (*.eaf);;CSV / TSV (*.csv *.tsv);;BORIS (*.boris *.tsv "
      "*.csv);;THUMOS14 (*.txt);;Label Studio (*.json);;Team-OR pickle (*.pkl *.pickle);;"
      "All files (*)");
}

QString export_filter() {
  return QObject::tr(
      "ActivityNet JSON (*.json);;ELAN (*.eaf);;CSV (*.csv);;TSV (*.tsv);;BORIS project "
      "(*.boris);;THUMOS14 detections (*.txt)");
}

}  // namespace teamor::ui
