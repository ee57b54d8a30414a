// teamor-viewer: review a recording's team protocols on synchronized views.
//
//   teamor-viewer [RECORDING] [--annotations FILE]... [--predictions FILE] [--document FILE]

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include "app/viewer/screenshot_tour.h"
#include "ui/detector_runner.h"
#include "ui/document.h"
#include "ui/file_exchange.h"
#include "ui/main_window.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName("teamor");
  QApplication::setApplicationName("teamor-viewer");
  QApplication::setApplicationVersion("0.1.0");

  QCommandLineParser parser;
  parser.setApplicationDescription(
      "Review Time-outs and StOP?-protocols on a multi-view operating-room recording.");
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument("recording", "Recording folder or recording.json manifest.",
                               "[RECORDING]");
  QCommandLineOption annotations({"a", "annotations"},
                                 "Annotation file to import as ground truth (repeatable).", "FILE");
  QCommandLineOption predictions({"p", "predictions"},
                                 "Annotation file to import as predictions (repeatable).", "FILE");
  QCommandLineOption document({"d", "document"}, "Review document (.review.json) to open.", "FILE");
  QCommandLineOption recovery_dir(
      "recovery-dir", "Folder for crash recovery files (default: user data folder).", "DIR");
  QCommandLineOption autosave("autosave", "Autosave interval in seconds (default 30, 0 = off).",
                              "SECONDS", "30");
  QCommandLineOption screenshots(
      "screenshots", "Walk through the main states, save PNGs into DIR and quit.", "DIR");
  QCommandLineOption broken("screenshot-broken",
                            "With --screenshots: a recording with an unplayable view to show last.",
                            "RECORDING");
  parser.addOptions(
      {annotations, predictions, document, recovery_dir, autosave, screenshots, broken});
  parser.process(app);

  teamor::ui::MainWindow window(parser.value(recovery_dir));
  window.set_detection_runner(teamor::ui::protocol_detector_runner());
  window.document()->set_autosave_interval(parser.value(autosave).toInt());
  window.show();
  const QStringList args = parser.positionalArguments();
  if (parser.isSet(document))
    window.open_document(parser.value(document));
  else if (!args.isEmpty())
    window.open_recording(args.front());
  for (const QString& f : parser.values(annotations))
    window.import_file(f, teamor::ui::ImportAs::GroundTruth);
  for (const QString& f : parser.values(predictions))
    window.import_file(f, teamor::ui::ImportAs::Predictions);
  if (parser.isSet(screenshots)) {
    const int n = teamor::viewer::run_screenshot_tour(window, parser.value(screenshots),
                                                      parser.value(broken));
    return n > 0 ? 0 : 1;
  }
  // After the window is up: offer what a crashed session left behind.
  QTimer::singleShot(0, &window, [&window] { window.offer_recovery(); });
  return app.exec();
}
