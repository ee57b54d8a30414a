// Document: atomic save with backup, autosave to a recovery file, recovery after a "crash", save on
// quit, and bad files leaving the open document untouched.

#include <gtest/gtest.h>

#include <QFile>
#include <QFileInfo>
#include <fstream>

#include "common/error.h"
#include "tests/ui/ui_test_support.h"
#include "ui/commands/segment_commands.h"
#include "ui/document.h"

namespace teamor::ui {
namespace {

using annotations::Segment;

annotations::AnnotationSet sample_set() {
  annotations::AnnotationSet set;
  set.recording_id = "OR7";
  set.fps = 30;
  set.media = {{"ceiling1", "c1.mp4", 0.0}, {"endoscope", "e.mp4", -1.5}};
  Segment a;
  a.label = "Time-out";
  a.start_s = 12;
  a.end_s = 80.5;
  Segment b = a;
  b.label = "StOP?";
  b.start_s = 900;
  b.end_s = 945;
  b.score = 0.66;
  b.source = annotations::Source::Prediction;
  b.state = annotations::ReviewState::Proposed;
  b.note = "quiet, \"unclear\"";
  set.segments = {a, b};
  return set;
}

void add_one(Document& doc, double start) {
  Segment s;
  s.label = "StOP?";
  s.start_s = start;
  s.end_s = start + 10;
  s.source = annotations::Source::Reviewer;
  doc.undo_stack()->push(new AddSegmentCommand(doc.model(), s));
}

TEST(Document, SavesAtomicallyKeepsBackupAndLoadsBackLosslessly) {
  const auto dir = test::fresh_dir("document_save");
  const QString path = QString::fromStdString((dir / "OR7.review.json").string());
  Document doc(QString::fromStdString((dir / "recovery").string()));
  doc.reset("/data/OR7", sample_set());
  EXPECT_FALSE(doc.dirty());
  add_one(doc, 100);
  EXPECT_TRUE(doc.dirty());
  doc.save(path);
  EXPECT_FALSE(doc.dirty());
  add_one(doc, 200);
  doc.save();
  EXPECT_TRUE(QFileInfo::exists(path + ".bak"));  // the previous version
  EXPECT_EQ(read_document_file(path + ".bak").annotations.segments.size(), 3u);

  Document other(QString::fromStdString((dir / "recovery").string()));
  other.load(path);
  EXPECT_EQ(other.model()->annotation_set().segments, doc.model()->annotation_set().segments);
  EXPECT_EQ(other.model()->media(), doc.model()->media());
  EXPECT_EQ(other.recording_path(), "/data/OR7");
  EXPECT_EQ(other.path(), QFileInfo(path).absoluteFilePath());
}

TEST(Document, AutosaveWritesRecoveryThatANewSessionRecovers) {
  const auto dir = test::fresh_dir("document_recovery");
  const QString recovery = QString::fromStdString((dir / "recovery").string());
  QString left_behind;
  {
    auto doc = std::make_unique<Document>(recovery);
    doc->reset("/data/OR7", sample_set());
    EXPECT_FALSE(doc->autosave());  // nothing to save yet
    add_one(*doc, 400);
    ASSERT_TRUE(doc->autosave());
    left_behind = doc->recovery_path();
    EXPECT_TRUE(QFileInfo::exists(left_behind));
    // Simulated crash: the object is leaked, not destroyed (a clean end would delete the file).
    (void)doc.release();
  }
  Document next(recovery);
  const QStringList pending = next.pending_recoveries();
  ASSERT_EQ(pending.size(), 1);
  EXPECT_EQ(pending.front(), QFileInfo(left_behind).absoluteFilePath());
  next.recover(pending.front());
  EXPECT_TRUE(next.dirty());
  EXPECT_EQ(next.model()->segment_count(), 3);
  EXPECT_EQ(next.recording_path(), "/data/OR7");
  // Saving ends the need for the recovery file.
  next.save(QString::fromStdString((dir / "saved.review.json").string()));
  EXPECT_FALSE(QFileInfo::exists(left_behind));
}

TEST(Document, SaveOnQuitWritesNextToTheRecording) {
  const auto dir = test::fresh_dir("document_quit");
  Document doc(QString::fromStdString((dir / "recovery").string()));
  doc.reset(QString::fromStdString(dir.string()), sample_set());
  EXPECT_TRUE(doc.save_on_quit().isEmpty());  // clean: nothing written
  add_one(doc, 10);
  const QString saved = doc.save_on_quit();
  EXPECT_EQ(saved, QString::fromStdString((dir / "OR7.review.json").string()));
  EXPECT_EQ(read_document_file(saved).annotations.segments.size(), 3u);
  EXPECT_FALSE(doc.dirty());
}

TEST(Document, BadFileNamesFileAndPlaceAndKeepsCurrentDocument) {
  const auto dir = test::fresh_dir("document_bad");
  const auto bad = dir / "bad.review.json";
  std::ofstream(bad) << R"({"format": "teamor-review", "version": 1, "annotations": {"segments": [
    {"label": "Time-out", "start_s": 5, "end_s": 9}, {"label": "StOP?", "start_s": 20, "end_s": 10}]}})";
  Document doc(QString::fromStdString((dir / "recovery").string()));
  doc.reset("/data/OR7", sample_set());
  try {
    doc.load(QString::fromStdString(bad.string()));
    FAIL() << "expected FormatError";
  } catch (const FormatError& e) {
    EXPECT_EQ(e.file(), bad.string());
    EXPECT_EQ(e.position(), "segment 1");
  }
  EXPECT_EQ(doc.model()->segment_count(), 2);
  EXPECT_EQ(doc.recording_path(), "/data/OR7");

  std::ofstream(dir / "truncated.json") << R"({"format": "teamor-review", "annot)";
  try {
    doc.load(QString::fromStdString((dir / "truncated.json").string()));
    FAIL() << "expected FormatError";
  } catch (const FormatError& e) {
    EXPECT_NE(e.position().find("byte"), std::string::npos);
  }
}

}  // namespace
}  // namespace teamor::ui
