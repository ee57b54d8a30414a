#include "ui/report.h"

#include <QFile>
#include <QPageLayout>
#include <QPdfWriter>
#include <QTextDocument>
#include <algorithm>

#include "common/atomic_file.h"
#include "common/error.h"
#include "ui/timeline_scale.h"

namespace teamor::ui {

using annotations::ReviewState;
using annotations::Segment;
using annotations::Source;

namespace {

bool reviewed(const Segment& s) {
  return s.source == Source::Reviewer ||
         (s.source == Source::Prediction &&
          (s.state == ReviewState::Accepted || s.state == ReviewState::Edited));
}

QString csv_field(const QString& text) {
  if (!text.contains(',') && !text.contains('"') && !text.contains('\n')) return text;
  QString quoted = text;
  quoted.replace("\"", "\"\"");
  return "\"" + quoted + "\"";
}

}  // namespace

Report build_report(const annotations::AnnotationSet& set, double score_threshold) {
  Report report;
  report.recording_id = QString::fromStdString(set.recording_id);
  report.duration_s = set.duration_s;
  std::vector<std::string> labels{std::string(annotations::kTimeOut),
                                  std::string(annotations::kStop)};
  for (const auto& s : set.segments)
    if (std::find(labels.begin(), labels.end(), s.label) == labels.end()) labels.push_back(s.label);

  for (const auto& label : labels) {
    ProtocolReport p;
    p.label = QString::fromStdString(label);
    std::vector<const Segment*> chosen;
    // Evidence in order of trust: what a person reviewed, then ground truth, then the detector.
    const std::pair<bool (*)(const Segment&, double), const char*> tiers[] = {
        {[](const Segment& s, double) { return reviewed(s); }, "reviewed"},
        {[](const Segment& s, double) { return s.source == Source::GroundTruth; }, "ground truth"},
        {[](const Segment& s, double th) {
           return s.source == Source::Prediction && s.state == ReviewState::Proposed &&
                  s.score.value_or(1.0) >= th;
         },
         "prediction (unreviewed)"},
    };
    QString basis;
    for (const auto& [accept, name] : tiers) {
      for (const auto& s : set.segments)
        if (s.label == label && s.state != ReviewState::Rejected && accept(s, score_threshold))
          chosen.push_back(&s);
      if (!chosen.empty()) {
        basis = QObject::tr(name);
        break;
      }
    }
    std::sort(chosen.begin(), chosen.end(),
              [](const Segment* a, const Segment* b) { return a->start_s < b->start_s; });
    for (const Segment* s : chosen) {
      p.occurrences.push_back({s->start_s, s->end_s, s->score, basis});
      p.total_s += s->duration_s();
    }
    p.done = !p.occurrences.empty();
    report.protocols.push_back(std::move(p));
  }
  return report;
}

QString report_csv(const Report& r) {
  QString out =
      "recording,protocol,done,occurrence,start,end,start_s,end_s,duration_s,score,basis\n";
  for (const auto& p : r.protocols) {
    if (p.occurrences.empty()) {
      out += QString("%1,%2,no,0,,,,,0,,\n").arg(csv_field(r.recording_id), csv_field(p.label));
      continue;
    }
    int n = 0;
    for (const auto& o : p.occurrences)
      out += QString("%1,%2,yes,%3,%4,%5,%6,%7,%8,%9,%10\n")
                 .arg(csv_field(r.recording_id), csv_field(p.label))
                 .arg(++n)
                 .arg(format_time_hms(o.start_s), format_time_hms(o.end_s))
                 .arg(o.start_s, 0, 'f', 3)
                 .arg(o.end_s, 0, 'f', 3)
                 .arg(o.end_s - o.start_s, 0, 'f', 3)
                 .arg(o.score ? QString::number(*o.score, 'f', 3) : QString())
                 .arg(csv_field(o.basis));
  }
  return out;
}

QString report_html(const Report& r) {
  QString html = "<html><body style='font-family: sans-serif'>";
  html += QObject::tr("<h2>Team communication report</h2><p>Recording: <b>%1</b>")
              .arg(r.recording_id.toHtmlEscaped());
  if (r.duration_s) html += QObject::tr(", length %1").arg(format_time_hms(*r.duration_s));
  html += "</p><table border='1' cellspacing='0' cellpadding='4' width='100%'>";
  html += QObject::tr(
      "<tr><th>Protocol</th><th>Done</th><th>Start</th><th>End</th><th>Duration</th><th>Score</th>"
      "<th>Basis</th></tr>");
  for (const auto& p : r.protocols) {
    if (p.occurrences.empty()) {
      html += QObject::tr("<tr><td>%1</td><td><b>no</b></td><td colspan='5'>not found</td></tr>")
                  .arg(p.label.toHtmlEscaped());
      continue;
    }
    for (const auto& o : p.occurrences)
      html += QString(
                  "<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5 s</td><td>%6</td>"
                  "<td>%7</td></tr>")
                  .arg(p.label.toHtmlEscaped(), QObject::tr("yes"), format_time_hms(o.start_s),
                       format_time_hms(o.end_s), QString::number(o.end_s - o.start_s, 'f', 1),
                       o.score ? QString::number(*o.score, 'f', 2) : QString("-"),
                       o.basis.toHtmlEscaped());
  }
  html += "</table></body></html>";
  return html;
}

void write_report_csv(const QString& path, const Report& report) {
  const QByteArray bytes = report_csv(report).toUtf8();
  write_file_atomically(path.toStdString(), std::string_view(bytes.constData(), bytes.size()));
}

void print_report(QPagedPaintDevice* device, const Report& report) {
  QTextDocument doc;
  doc.setHtml(report_html(report));
  doc.print(device);
}

void write_report_pdf(const QString& path, const Report& report) {
  // Render into a temporary file, then publish it atomically like every file the user keeps.
  const QString temp = path + ".part";
  {
    QPdfWriter writer(temp);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
    writer.setTitle(QObject::tr("Team communication report %1").arg(report.recording_id));
    print_report(&writer, report);
  }
  QFile f(temp);
  if (!f.open(QIODevice::ReadOnly) || f.size() == 0)
    throw IoError("cannot write the PDF report", path.toStdString());
  const QByteArray bytes = f.readAll();
  f.close();
  QFile::remove(temp);
  write_file_atomically(path.toStdString(), std::string_view(bytes.constData(), bytes.size()));
}

}  // namespace teamor::ui
