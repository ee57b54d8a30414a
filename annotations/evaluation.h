#pragma once
// Temporal detection evaluation: mAP at tIoU thresholds exactly as the Team-OR / ActivityNet
// reference evaluator computes it (MAXAVG_SPEC.md section 5), plus what clinicians ask for: per
// recording and protocol, was it found (best tIoU, score), the start/end errors in seconds, and the
// false alarms.
//
//   EvalOptions opt;                        // tIoU 0.1:0.1:0.5 like Team-OR
//   opt.label = "Time-out";
//   opt.ids = {"or06_view1", "or07_view1"};
//   EvaluationResult r = evaluate(gt, pred, opt);
//   r.mAP[0], r.average_mAP, r.recordings[0].protocols[0].instances[0].start_error_s

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "annotations/annotation_set.h"

namespace teamor::annotations {

/// @brief numpy.linspace(start, stop, num) bit for bit (so 0.1:0.5 gives 0.30000000000000004 as the
/// reference does; a tIoU of exactly 0.3 then fails that threshold, as in the reference).
std::vector<double> linspace(double start, double stop, int num);

/// @brief Parses "0.1:0.5:0.1" (start:stop:step, inclusive, via linspace), "0.5" or "0.3,0.5,0.7".
/// @throws ConfigError naming the text when it is not such a list of values in (0, 1].
std::vector<double> parse_tiou_thresholds(const std::string& text);

/// tIoU of two intervals: max(0, min(e1, e2) - max(s1, s2)) / (len1 + len2 - intersection).
double temporal_iou(double start1, double end1, double start2, double end2);

/// @brief What to evaluate and how to report it.
struct EvalOptions {
  /// tIoU thresholds; default numpy.linspace(0.1, 0.5, 5) like the reference.
  std::vector<double> tiou_thresholds = linspace(0.1, 0.5, 5);
  /// Evaluate only this label (compared after alias mapping); empty: every ground-truth label.
  std::string label;
  /// Evaluate only these recordings; empty: every recording of the ground truth. Predictions for
  /// recordings outside the set are ignored; ids missing from the ground truth are reported.
  std::set<std::string> ids;
  /// Clinician report: predictions below this score are not shown as found nor as false alarms.
  double min_score = 0.5;
  /// Clinician report: a protocol counts as found when a prediction >= min_score overlaps it with
  /// at least this tIoU; a prediction >= min_score overlapping no ground truth this much is a false
  /// alarm.
  double found_tiou = 0.5;
};

/// One ground-truth instance in the clinician report.
struct InstanceReport {
  double gt_start_s = 0, gt_end_s = 0;
  bool found = false;           ///< best prediction >= min_score reaches found_tiou
  double best_tiou = 0;         ///< best tIoU of any prediction >= min_score (0 when none)
  std::optional<double> score;  ///< that prediction's score
  std::optional<double> pred_start_s, pred_end_s;
  std::optional<double> start_error_s;  ///< prediction start - ground-truth start, seconds
  std::optional<double> end_error_s;    ///< prediction end - ground-truth end, seconds
};

/// A prediction >= min_score that overlaps no ground truth of its label by found_tiou.
struct FalseAlarm {
  double start_s = 0, end_s = 0, score = 0;
};

/// One label in one recording.
struct ProtocolReport {
  std::string label;
  std::vector<InstanceReport> instances;  ///< one per ground-truth instance, in time order
  std::vector<FalseAlarm> false_alarms;   ///< by descending score
  int predictions = 0;                    ///< predictions of this label (any score)
};

/// One recording of the evaluated set.
struct RecordingReport {
  std::string recording_id;
  std::vector<ProtocolReport> protocols;  ///< one per evaluated label
};

/// AP of one label at every threshold.
struct ClassResult {
  std::string label;
  int ground_truth = 0;    ///< number of ground-truth instances (zero-length ones dropped)
  int predictions = 0;     ///< predictions pooled over the evaluated recordings
  std::vector<double> ap;  ///< one per threshold
};

/// @brief Everything evaluate() computes.
struct EvaluationResult {
  std::vector<double> tiou_thresholds;
  std::vector<double> mAP;  ///< mean AP over labels, one per threshold (NaN when no ground truth)
  double average_mAP = 0;   ///< mean of mAP over thresholds (NaN when no ground truth)
  std::vector<ClassResult> classes;
  std::vector<RecordingReport> recordings;  ///< the evaluated recordings, sorted by id
  std::vector<std::string> missing_ids;     ///< requested ids that the ground truth lacks
  int ignored_predictions = 0;  ///< predictions outside the evaluated recordings or labels
  EvalOptions options;          ///< the options used
};

/// @brief Evaluates @p pred against @p gt (MAXAVG_SPEC.md section 5; ActivityNet/VOC interpolated
/// AP, predictions pooled over recordings and sorted by descending score, a prediction in a
/// recording without ground truth of its label is a false positive at every threshold). Segments in
/// state Rejected are ignored on both sides; a prediction without score counts as score 1.
/// @throws ConfigError when a threshold is outside (0, 1] or there are none.
EvaluationResult evaluate(const AnnotationCollection& gt, const AnnotationCollection& pred,
                          const EvalOptions& options = {});

/// @brief The result as JSON: top level "tiou_thresholds", "mAP", "average_mAP" (like the
/// reference's expected_map.json; NaN written as null), then "classes", "recordings",
/// "missing_ids", "options".
std::string evaluation_to_json(const EvaluationResult& result, int indent = 1);

/// @brief A readable table for the terminal: mAP per threshold, then per recording and protocol
/// found / best tIoU / score / start and end errors / false alarms.
std::string evaluation_table(const EvaluationResult& result);

}  // namespace teamor::annotations
