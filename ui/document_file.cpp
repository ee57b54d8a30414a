#include "ui/document_file.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <filesystem>

#include "common/atomic_file.h"
#include "common/error.h"

namespace teamor::ui {

using annotations::AnnotationSet;
using annotations::MediaEntry;
using annotations::Segment;

namespace {

constexpr int kVersion = 1;

QJsonObject segment_to_json(const Segment& s) {
  QJsonObject o;
  o["label"] = QString::fromStdString(s.label);
  o["start_s"] = s.start_s;
  o["end_s"] = s.end_s;
  if (s.score) o["score"] = *s.score;
  o["source"] = QString::fromStdString(std::string(to_string(s.source)));
  o["state"] = QString::fromStdString(std::string(to_string(s.state)));
  o["view"] = QString::fromStdString(s.view);
  o["note"] = QString::fromStdString(s.note);
  return o;
}

/// Throws FormatError at @p where unless @p value has the JSON type @p type.
void expect(const QJsonValue& value, QJsonValue::Type type, const char* what, const QString& file,
            const std::string& where) {
  if (value.type() == type) return;
  static const char* names[] = {"null", "bool", "number", "string", "array", "object"};
  const int t = static_cast<int>(type);
  throw FormatError(std::string("field '") + what + "' should be a " +
                        (t >= 0 && t < 6 ? names[t] : "value") + ", found something else",
                    file.toStdString(), where);
}

Segment segment_from_json(const QJsonValue& v, const QString& file, int index) {
  const std::string where = "segment " + std::to_string(index);
  expect(v, QJsonValue::Object, "segments[]", file, where);
  const QJsonObject o = v.toObject();
  expect(o["label"], QJsonValue::String, "label", file, where);
  expect(o["start_s"], QJsonValue::Double, "start_s", file, where);
  expect(o["end_s"], QJsonValue::Double, "end_s", file, where);
  Segment s;
  s.label = o["label"].toString().toStdString();
  s.start_s = o["start_s"].toDouble();
  s.end_s = o["end_s"].toDouble();
  if (!(s.end_s > s.start_s))
    throw FormatError("segment ends at " + std::to_string(s.end_s) + " s, not after its start " +
                          std::to_string(s.start_s) + " s",
                      file.toStdString(), where);
  if (o.contains("score") && !o["score"].isNull()) {
    expect(o["score"], QJsonValue::Double, "score", file, where);
    s.score = o["score"].toDouble();
  }
  try {
    if (o.contains("source"))
      s.source = annotations::source_from_string(o["source"].toString().toStdString());
    if (o.contains("state"))
      s.state = annotations::review_state_from_string(o["state"].toString().toStdString());
  } catch (const Error& e) {
    throw FormatError(e.message(), file.toStdString(), where);
  }
  s.view = o["view"].toString().toStdString();
  s.note = o["note"].toString().toStdString();
  return s;
}

}  // namespace

QByteArray document_to_json(const DocumentState& state) {
  const AnnotationSet& set = state.annotations;
  QJsonObject a;
  a["recording_id"] = QString::fromStdString(set.recording_id);
  if (set.fps) a["fps"] = *set.fps;
  if (set.duration_s) a["duration_s"] = *set.duration_s;
  a["subset"] = QString::fromStdString(set.subset);
  QJsonArray media;
  for (const MediaEntry& m : set.media)
    media.append(QJsonObject{{"name", QString::fromStdString(m.name)},
                             {"path", QString::fromStdString(m.path)},
                             {"offset_s", m.offset_s}});
  a["media"] = media;
  QJsonArray segments;
  for (const Segment& s : set.segments)
    segments.append(segment_to_json(s));
  a["segments"] = segments;

  QJsonObject root;
  root["format"] = "teamor-review";
  root["version"] = kVersion;
  root["recording"] = state.recording_path;
  root["document"] = state.document_path;
  root["score_threshold"] = state.score_threshold;
  root["annotations"] = a;
  return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

DocumentState document_from_json(const QByteArray& json, const QString& file) {
  QJsonParseError error;
  const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
  if (error.error != QJsonParseError::NoError)
    throw FormatError("not valid JSON: " + error.errorString().toStdString(), file.toStdString(),
                      "byte " + std::to_string(error.offset));
  if (!doc.isObject())
    throw FormatError("expected a JSON object at the top level", file.toStdString(), "byte 0");
  const QJsonObject root = doc.object();
  if (root["format"].toString() != "teamor-review")
    throw FormatError("not a teamor review document (expected \"format\": \"teamor-review\")",
                      file.toStdString(), "field 'format'");
  if (root["version"].toInt() > kVersion)
    throw FormatError("document version " + std::to_string(root["version"].toInt()) +
                          " is newer than this viewer understands (" + std::to_string(kVersion) +
                          ")",
                      file.toStdString(), "field 'version'");
  DocumentState state;
  state.recording_path = root["recording"].toString();
  state.document_path = root["document"].toString();
  state.score_threshold = root["score_threshold"].toDouble(0);
  expect(root["annotations"], QJsonValue::Object, "annotations", file, "top level");
  const QJsonObject a = root["annotations"].toObject();
  AnnotationSet& set = state.annotations;
  set.recording_id = a["recording_id"].toString().toStdString();
  if (a.contains("fps")) set.fps = a["fps"].toDouble();
  if (a.contains("duration_s")) set.duration_s = a["duration_s"].toDouble();
  set.subset = a["subset"].toString().toStdString();
  const QJsonArray media = a["media"].toArray();
  for (int i = 0; i < media.size(); ++i) {
    const QJsonObject m = media[i].toObject();
    expect(m["name"], QJsonValue::String, "media[].name", file, "media " + std::to_string(i));
    set.media.push_back({m["name"].toString().toStdString(), m["path"].toString().toStdString(),
                         m["offset_s"].toDouble(0)});
  }
  const QJsonArray segments = a["segments"].toArray();
  set.segments.reserve(segments.size());
  for (int i = 0; i < segments.size(); ++i)
    set.segments.push_back(segment_from_json(segments[i], file, i));
  return state;
}

DocumentState read_document_file(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly))
    throw IoError("cannot open review document: " + f.errorString().toStdString(),
                  path.toStdString());
  return document_from_json(f.readAll(), path);
}

void write_document_file(const QString& path, const DocumentState& state, bool keep_backup) {
  const std::filesystem::path target = path.toStdString();
  std::error_code ec;
  if (keep_backup && std::filesystem::exists(target, ec)) {
    // Copy (not rename): the old file stays in place until the atomic rename replaces it.
    std::filesystem::path backup = target;
    backup += ".bak";
    std::filesystem::copy_file(target, backup, std::filesystem::copy_options::overwrite_existing,
                               ec);
    if (ec) throw IoError("cannot keep a backup copy: " + ec.message(), backup.string());
  }
  const QByteArray json = document_to_json(state);
  write_file_atomically(target, std::string_view(json.constData(), json.size()));
}

}  // namespace teamor::ui
