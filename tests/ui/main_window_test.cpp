// MainWindow end to end on a synthetic recording: open, create a segment with [ and ], edit, undo,
// redo through the shortcuts; threshold filter; import/export round trip through the annotations
// library; bad files leave the document untouched; status bar time and frame.

#include <gtest/gtest.h>

#include <QAction>
#include <QFile>
#include <QSlider>
#include <QTest>
#include <QUndoStack>
#include <fstream>

#include <QThread>
#include <atomic>
#include "tests/ui/ui_test_support.h"

#include "common/error.h"
#include "ui/detection_job.h"
#include "ui/document.h"
#include "ui/main_window.h"
#include "ui/player/multi_view_player.h"
#include "ui/timeline_widget.h"
#include "ui/transport_bar.h"

namespace teamor::ui {
namespace {

using annotations::Source;

class MainWindowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rec_ = &test::synth_recording();
    dir_ = test::fresh_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    // The recording folder is shared: no review document may be left there between tests.
    std::filesystem::remove(rec_->dir / "synth-ui.review.json");
    window_ = std::make_unique<MainWindow>(QString::fromStdString((dir_ / "recovery").string()),
                                           /*interactive=*/false);
    window_->show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(window_.get()));
    window_->activateWindow();
    ASSERT_TRUE(window_->open_recording(QString::fromStdString(rec_->dir.string())))
        << window_->last_error().toStdString();
  }
  void TearDown() override {
    window_->document()->undo_stack()->setClean();  // do not save into the shared folder on close
    window_.reset();
  }
  void seek(double t) {
    window_->player()->seek(t);
    ASSERT_TRUE(test::wait_for([this] { return window_->player()->frames_ready(); }));
    window_->player()->tick();
  }
  /// Presses @p key as the user would (through the window's shortcut map).
  void press(Qt::Key key, Qt::KeyboardModifiers mods = Qt::NoModifier) {
    QTest::keyClick(window_.get(), key, mods);
  }
  int count(Source source) const {
    int n = 0;
    const auto* m = window_->document()->model();
    for (int r = 0; r < m->segment_count(); ++r)
      n += m->segment(r).source == source;
    return n;
  }

  const test::SynthRecording* rec_ = nullptr;
  std::filesystem::path dir_;
  std::unique_ptr<MainWindow> window_;
};

TEST_F(MainWindowTest, OpensRecordingWithGroundTruthAndShowsTimeAndFrame) {
  const auto gt =
      import_annotations(QString::fromStdString((rec_->dir / "ground_truth.json").string()),
                         "synth-ui", rec_->fps, ImportAs::GroundTruth);
  ASSERT_GE(gt.segments.size(), 2u);  // one Time-out, one StOP?
  EXPECT_EQ(count(Source::GroundTruth), static_cast<int>(gt.segments.size()));
  EXPECT_EQ(window_->player()->view_count(), 3);
  seek(12.5);
  EXPECT_TRUE(test::wait_for([this] { return window_->status_time_text() == "00:00:12.500"; }))
      << window_->status_time_text().toStdString();
  const auto code = test::frame_code(window_->player()->tile(0)->frame()->image);
  ASSERT_TRUE(code);
  EXPECT_TRUE(window_->status_frame_text().contains(
      QString::number(window_->player()->focused_frame_index())));
}

TEST_F(MainWindowTest, CreatesEditsUndoesAndRedoesSegmentsWithKeys) {
  const int before = window_->document()->model()->segment_count();
  seek(20.0);
  press(Qt::Key_BracketLeft);
  seek(26.0);
  press(Qt::Key_BracketRight);
  ASSERT_EQ(window_->document()->model()->segment_count(), before + 1);
  const SegmentId id = window_->timeline()->selected();
  auto s = window_->document()->model()->find(id);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->source, Source::Reviewer);
  EXPECT_NEAR(s->start_s, 20.0, 1e-6);
  EXPECT_NEAR(s->end_s, 26.0, 1e-6);

  seek(23.0);
  press(Qt::Key_S);  // split at playhead
  EXPECT_EQ(window_->document()->model()->segment_count(), before + 2);
  EXPECT_NEAR(window_->document()->model()->find(id)->end_s, 23.0, 1e-6);
  press(Qt::Key_L);  // relabel the selected (right) part
  press(Qt::Key_Z, Qt::ControlModifier);
  press(Qt::Key_Z, Qt::ControlModifier);  // undo relabel and split
  EXPECT_EQ(window_->document()->model()->segment_count(), before + 1);
  EXPECT_NEAR(window_->document()->model()->find(id)->end_s, 26.0, 1e-6);
  press(Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);  // redo the split
  EXPECT_EQ(window_->document()->model()->segment_count(), before + 2);
  window_->timeline()->select(id);
  press(Qt::Key_Delete);
  EXPECT_FALSE(window_->document()->model()->find(id));
  press(Qt::Key_Z, Qt::ControlModifier);
  EXPECT_TRUE(window_->document()->model()->find(id));
  EXPECT_TRUE(window_->document()->dirty());
}

TEST_F(MainWindowTest, ImportExportRoundTripAndThresholdFilter) {
  // Predictions written with the annotations library, imported through the viewer.
  annotations::AnnotationSet preds;
  preds.recording_id = "synth-ui";
  for (int i = 0; i < 6; ++i) {
    annotations::Segment s;
    s.label = i % 2 ? "StOP?" : "Time-out";
    s.start_s = 5 + i * 8;
    s.end_s = s.start_s + 4;
    s.score = 0.15 * (i + 1);
    s.source = Source::Prediction;
    s.state = annotations::ReviewState::Proposed;
    preds.segments.push_back(s);
  }
  const QString in = QString::fromStdString((dir_ / "preds.csv").string());
  export_annotations(in, preds);
  ASSERT_TRUE(window_->import_file(in, ImportAs::Predictions))
      << window_->last_error().toStdString();
  ASSERT_EQ(count(Source::Prediction), 6);

  // Threshold slider: predictions below it disappear from the timeline (and navigation).
  window_->transport()->threshold_slider()->setValue(50);
  const auto* m = window_->document()->model();
  int visible = 0;
  for (int r = 0; r < m->segment_count(); ++r)
    visible += m->segment(r).source == Source::Prediction && m->is_visible(r);
  EXPECT_EQ(visible, 3);  // 0.6, 0.75, 0.9

  // Export in two formats and read back: the same segments.
  for (const char* name : {"out.csv", "out.eaf"}) {
    const QString out = QString::fromStdString((dir_ / name).string());
    ASSERT_TRUE(window_->export_file(out)) << window_->last_error().toStdString();
    const ImportResult back = import_annotations(out, "synth-ui", 15, ImportAs::AsInFile);
    int preds_back = 0;
    for (const auto& s : back.segments)
      if (s.label == "StOP?" || s.label == "Time-out") ++preds_back;
    EXPECT_EQ(preds_back, m->segment_count()) << name;
  }
  // Undo of the import removes all imported segments in one step.
  window_->document()->undo_stack()->undo();
  EXPECT_EQ(count(Source::Prediction), 0);
}

TEST_F(MainWindowTest, BadAnnotationFileNamesFileAndLeavesDocumentUntouched) {
  const auto bad = dir_ / "broken.json";
  std::ofstream(bad) << "{\"version\": \"VERSION 1.3\", \"results\": {\"synth-ui\": [ {\"label\": ";
  const auto before = window_->document()->model()->annotation_set();
  EXPECT_FALSE(window_->import_file(QString::fromStdString(bad.string()), ImportAs::Predictions));
  EXPECT_TRUE(window_->last_error().contains("broken.json")) << window_->last_error().toStdString();
  EXPECT_EQ(window_->document()->model()->annotation_set().segments, before.segments);
  EXPECT_FALSE(window_->document()->dirty());
}

TEST_F(MainWindowTest, EveryCommandHasAShortcutWithoutNumpad) {
  int with_keys = 0;
  for (QAction* a : window_->commands()) {
    for (const QKeySequence& k : a->shortcuts()) {
      ++with_keys;
      EXPECT_FALSE(k[0].keyboardModifiers() & Qt::KeypadModifier) << a->text().toStdString();
    }
  }
  EXPECT_GE(with_keys, 40);
}

TEST_F(MainWindowTest, ReportListsEachProtocol) {
  const QString csv = QString::fromStdString((dir_ / "report.csv").string());
  const QString pdf = QString::fromStdString((dir_ / "report.pdf").string());
  ASSERT_TRUE(window_->save_report_csv(csv));
  ASSERT_TRUE(window_->save_report_pdf(pdf));
  QFile f(csv);
  ASSERT_TRUE(f.open(QIODevice::ReadOnly));
  const QString text = QString::fromUtf8(f.readAll());
  EXPECT_TRUE(text.contains("synth-ui,Time-out,yes,1,"));
  EXPECT_TRUE(text.contains("synth-ui,StOP?,yes,1,"));
  QFile p(pdf);
  ASSERT_TRUE(p.open(QIODevice::ReadOnly));
  EXPECT_TRUE(p.read(5).startsWith("%PDF"));
}

TEST_F(MainWindowTest, BackgroundDetectionReportsProgressAddsPredictionsAndCancels) {
  std::atomic<int> progress_calls{0};
  window_->set_detection_runner([&](const QString& recording, const QString&,
                                    const ProgressCallback& progress, const CancelToken& cancel) {
    EXPECT_FALSE(recording.isEmpty());
    for (int i = 0; i <= 4; ++i) {
      cancel.throw_if_cancelled();
      progress({static_cast<double>(i), 4, "features"});
      ++progress_calls;
      QThread::msleep(10);
    }
    annotations::AnnotationSet out;
    annotations::Segment s;
    s.label = "Time-out";
    s.start_s = 3;
    s.end_s = 9;
    s.score = 0.8;
    s.source = Source::Prediction;
    s.state = annotations::ReviewState::Proposed;
    out.segments = {s, s};
    out.segments[1].start_s = 30;
    out.segments[1].end_s = 40;
    return out;
  });
  int progress_signals = 0;
  QObject::connect(window_->detection_job(), &DetectionJob::progress,
                   [&](double, const QString&) { ++progress_signals; });
  window_->run_detection("unused-bundle");
  ASSERT_TRUE(test::wait_for([this] { return !window_->detection_job()->running(); }, 10000));
  EXPECT_EQ(progress_calls, 5);
  EXPECT_TRUE(test::wait_for([&] { return progress_signals == 5; }, 2000));
  EXPECT_EQ(count(Source::Prediction), 2);  // a prediction lane appeared

  // A run that only ends when cancelled.
  window_->set_detection_runner([](const QString&, const QString&, const ProgressCallback&,
                                   const CancelToken& cancel) -> annotations::AnnotationSet {
    while (true) {
      cancel.throw_if_cancelled();
      QThread::msleep(5);
    }
  });
  window_->run_detection("unused-bundle");
  EXPECT_TRUE(window_->detection_job()->running());
  window_->detection_job()->cancel();
  ASSERT_TRUE(test::wait_for([this] { return !window_->detection_job()->running(); }, 5000));
  EXPECT_EQ(count(Source::Prediction), 2);  // nothing added by the cancelled run
}

}  // namespace
}  // namespace teamor::ui
