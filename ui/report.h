#pragma once
// The protocol report for the File menu: per protocol (Time-out, StOP?), whether it was done, when
// and for how long, from the best evidence in the document (reviewed segments, then ground truth,
// then unreviewed predictions above the threshold). Written as CSV or as a printable document
// (PDF through QPdfWriter, paper through QPrinter).

#include <QString>
#include <optional>
#include <vector>

#include "annotations/annotation_set.h"

class QPagedPaintDevice;

namespace teamor::ui {

/// One occurrence of a protocol.
struct ReportOccurrence {
  double start_s = 0;
  double end_s = 0;
  std::optional<double> score;
  QString basis;  ///< "reviewed", "ground truth" or "prediction (unreviewed)"
};

/// One protocol's line of the report.
struct ProtocolReport {
  QString label;
  bool done = false;
  std::vector<ReportOccurrence> occurrences;
  double total_s = 0;  ///< summed duration of the occurrences, seconds
};

/// @brief What the report says about one recording.
struct Report {
  QString recording_id;
  std::optional<double> duration_s;
  std::vector<ProtocolReport> protocols;
};

/// @brief Builds the report from @p set; predictions below @p score_threshold and rejected segments
/// never count.
Report build_report(const annotations::AnnotationSet& set, double score_threshold);

/// @brief CSV: recording,protocol,done,occurrence,start,end,start_s,end_s,duration_s,score,basis
QString report_csv(const Report& report);
/// @brief The same content as HTML for printing.
QString report_html(const Report& report);
/// @brief Writes the report as a CSV file atomically. @throws IoError
void write_report_csv(const QString& path, const Report& report);
/// @brief Writes the report as an A4 PDF. @throws IoError when the file cannot be written
void write_report_pdf(const QString& path, const Report& report);
/// @brief Prints the report on @p device (a QPrinter chosen by the user, or a QPdfWriter).
void print_report(QPagedPaintDevice* device, const Report& report);

}  // namespace teamor::ui
