#include "annotations/evaluation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>

#include "annotations/labels.h"
#include "common/error.h"

namespace teamor::annotations {
namespace {

struct Instance {
  std::size_t recording = 0;  // index into the evaluated recordings
  double start = 0, end = 0;
};

struct Scored {
  std::size_t recording = 0;
  double start = 0, end = 0, score = 0;
};

// VOC 2011 all-points interpolated AP, as interpolated_prec_rec() in the reference.
double interpolated_ap(const std::vector<double>& prec, const std::vector<double>& rec) {
  std::vector<double> mprec(prec.size() + 2, 0.0), mrec(rec.size() + 2, 0.0);
  std::copy(prec.begin(), prec.end(), mprec.begin() + 1);
  std::copy(rec.begin(), rec.end(), mrec.begin() + 1);
  mrec.back() = 1.0;
  for (std::size_t i = mprec.size() - 1; i-- > 0;)
    mprec[i] = std::max(mprec[i], mprec[i + 1]);
  double ap = 0;
  for (std::size_t i = 1; i < mrec.size(); ++i)
    if (mrec[i] != mrec[i - 1]) ap += (mrec[i] - mrec[i - 1]) * mprec[i];
  return ap;
}

// Indices sorted by descending key the way numpy's `argsort()[::-1]` orders them for the array
// sizes where numpy's sort is stable (ties: the later index first).
std::vector<std::size_t> descending_order(const std::vector<double>& keys) {
  std::vector<std::size_t> idx(keys.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(),
                   [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
  std::reverse(idx.begin(), idx.end());
  return idx;
}

// AP of one class at every threshold (compute_average_precision_detection in the reference).
std::vector<double> class_ap(const std::vector<Instance>& gt, const std::vector<Scored>& pred,
                             const std::vector<double>& thresholds, std::size_t n_recordings) {
  const std::size_t nt = thresholds.size();
  std::vector<double> ap(nt, 0.0);
  if (pred.empty() || gt.empty()) return ap;
  std::vector<std::vector<std::size_t>> gt_by_recording(n_recordings);
  for (std::size_t i = 0; i < gt.size(); ++i)
    gt_by_recording[gt[i].recording].push_back(i);

  std::vector<double> scores(pred.size());
  for (std::size_t i = 0; i < pred.size(); ++i)
    scores[i] = pred[i].score;
  const auto order = descending_order(scores);

  std::vector<std::vector<int>> lock(nt, std::vector<int>(gt.size(), -1));
  std::vector<std::vector<double>> tp(nt, std::vector<double>(pred.size(), 0.0));
  std::vector<std::vector<double>> fp(nt, std::vector<double>(pred.size(), 0.0));
  for (std::size_t k = 0; k < order.size(); ++k) {
    const Scored& p = pred[order[k]];
    const auto& mine = gt_by_recording[p.recording];
    if (mine.empty()) {
      for (std::size_t t = 0; t < nt; ++t)
        fp[t][k] = 1;
      continue;
    }
    std::vector<double> tiou(mine.size());
    for (std::size_t j = 0; j < mine.size(); ++j)
      tiou[j] = temporal_iou(p.start, p.end, gt[mine[j]].start, gt[mine[j]].end);
    const auto by_tiou = descending_order(tiou);
    for (std::size_t t = 0; t < nt; ++t) {
      for (std::size_t j : by_tiou) {
        if (tiou[j] < thresholds[t]) {
          fp[t][k] = 1;
          break;
        }
        if (lock[t][mine[j]] >= 0) continue;
        tp[t][k] = 1;
        lock[t][mine[j]] = static_cast<int>(k);
        break;
      }
      if (tp[t][k] == 0 && fp[t][k] == 0) fp[t][k] = 1;
    }
  }
  const double npos = static_cast<double>(gt.size());
  for (std::size_t t = 0; t < nt; ++t) {
    std::vector<double> prec(pred.size()), rec(pred.size());
    double ctp = 0, cfp = 0;
    for (std::size_t k = 0; k < pred.size(); ++k) {
      ctp += tp[t][k];
      cfp += fp[t][k];
      rec[k] = ctp / npos;
      prec[k] = ctp / (ctp + cfp);
    }
    ap[t] = interpolated_ap(prec, rec);
  }
  return ap;
}

bool counts(const Segment& s) {
  return s.state != ReviewState::Rejected;
}

}  // namespace

std::vector<double> linspace(double start, double stop, int num) {
  std::vector<double> y;
  if (num <= 0) return y;
  if (num == 1) return {start};
  const double step = (stop - start) / static_cast<double>(num - 1);
  for (int i = 0; i < num; ++i)
    y.push_back(static_cast<double>(i) * step + start);
  y.back() = stop;
  return y;
}

std::vector<double> parse_tiou_thresholds(const std::string& text) {
  auto fail = [&](const std::string& why) -> ConfigError {
    return ConfigError("--tiou '" + text + "': " + why +
                       "; expected start:stop:step (e.g. 0.1:0.5:0.1), one value or a comma list");
  };
  auto number = [&](const std::string& s) {
    std::size_t used = 0;
    double v = 0;
    try {
      v = std::stod(s, &used);
    } catch (const std::exception&) {
      throw fail("'" + s + "' is not a number");
    }
    if (used != s.size() || !std::isfinite(v)) throw fail("'" + s + "' is not a number");
    return v;
  };
  std::vector<double> out;
  if (text.find(':') != std::string::npos) {
    std::vector<std::string> parts;
    std::stringstream ss(text);
    for (std::string p; std::getline(ss, p, ':');)
      parts.push_back(p);
    if (parts.size() != 3) throw fail("a range needs exactly three parts");
    double a = number(parts[0]), b = number(parts[1]), step = number(parts[2]);
    if (step <= 0 || b < a) throw fail("the step must be > 0 and stop >= start");
    double n = std::round((b - a) / step);
    if (n > 1000) throw fail("too many thresholds");
    out = linspace(a, b, static_cast<int>(n) + 1);
  } else {
    std::stringstream ss(text);
    for (std::string p; std::getline(ss, p, ',');)
      out.push_back(number(p));
  }
  if (out.empty()) throw fail("no threshold given");
  for (double t : out)
    if (!(t > 0 && t <= 1)) throw fail("every threshold must be in (0, 1]");
  return out;
}

double temporal_iou(double start1, double end1, double start2, double end2) {
  const double inter = std::max(0.0, std::min(end1, end2) - std::max(start1, start2));
  const double uni = (end1 - start1) + (end2 - start2) - inter;
  return uni > 0 ? inter / uni : 0.0;
}

EvaluationResult evaluate(const AnnotationCollection& gt, const AnnotationCollection& pred,
                          const EvalOptions& options) {
  if (options.tiou_thresholds.empty()) throw ConfigError("no tIoU threshold given");
  for (double t : options.tiou_thresholds)
    if (!(t > 0 && t <= 1))
      throw ConfigError("tIoU thresholds must be in (0, 1], found " + std::to_string(t));
  EvaluationResult r;
  r.options = options;
  r.tiou_thresholds = options.tiou_thresholds;
  const std::string wanted = options.label.empty() ? "" : canonical_label(options.label);

  // The evaluated recordings: the ground truth's, or the requested subset of them.
  std::vector<std::string> ids;
  for (const auto& [id, set] : gt)
    if (options.ids.empty() || options.ids.count(id)) ids.push_back(id);
  for (const auto& id : options.ids)
    if (!gt.count(id)) r.missing_ids.push_back(id);
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < ids.size(); ++i)
    index[ids[i]] = i;

  // Classes: labels with at least one non-empty ground-truth instance (as the reference
  // re-indexes).
  std::map<std::string, std::vector<Instance>> gt_by_label;
  std::map<std::string, std::vector<Instance>> all_gt_by_label;  // zero-length included (report)
  for (std::size_t i = 0; i < ids.size(); ++i)
    for (const auto& s : gt.at(ids[i]).segments) {
      if (!counts(s)) continue;
      std::string label = canonical_label(s.label);
      if (!wanted.empty() && label != wanted) continue;
      all_gt_by_label[label].push_back({i, s.start_s, s.end_s});
      if (s.end_s - s.start_s > 0) gt_by_label[label].push_back({i, s.start_s, s.end_s});
    }
  std::map<std::string, std::vector<Scored>> pred_by_label;
  for (const auto& [id, set] : pred) {
    auto it = index.find(id);
    for (const auto& s : set.segments) {
      if (!counts(s)) continue;
      std::string label = canonical_label(s.label);
      if (it == index.end() || !gt_by_label.count(label)) {
        ++r.ignored_predictions;
        continue;
      }
      pred_by_label[label].push_back({it->second, s.start_s, s.end_s, s.score.value_or(1.0)});
    }
  }

  const std::size_t nt = r.tiou_thresholds.size();
  r.mAP.assign(nt, 0.0);
  for (const auto& [label, instances] : gt_by_label) {
    ClassResult c;
    c.label = label;
    c.ground_truth = static_cast<int>(instances.size());
    const auto& p = pred_by_label[label];
    c.predictions = static_cast<int>(p.size());
    c.ap = class_ap(instances, p, r.tiou_thresholds, ids.size());
    for (std::size_t t = 0; t < nt; ++t)
      r.mAP[t] += c.ap[t];
    r.classes.push_back(std::move(c));
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (double& m : r.mAP)
    m = r.classes.empty() ? nan : m / static_cast<double>(r.classes.size());
  r.average_mAP = 0;
  for (double m : r.mAP)
    r.average_mAP += m;
  r.average_mAP /= static_cast<double>(nt);

  // Clinician report.
  for (std::size_t i = 0; i < ids.size(); ++i) {
    RecordingReport rec;
    rec.recording_id = ids[i];
    for (const auto& [label, unused] : gt_by_label) {
      ProtocolReport pr;
      pr.label = label;
      std::vector<Scored> mine;
      for (const auto& p : pred_by_label[label])
        if (p.recording == i) {
          ++pr.predictions;
          if (p.score >= options.min_score) mine.push_back(p);
        }
      std::vector<Instance> gts;
      for (const auto& g : all_gt_by_label[label])
        if (g.recording == i) gts.push_back(g);
      std::sort(gts.begin(), gts.end(),
                [](const Instance& a, const Instance& b) { return a.start < b.start; });
      for (const auto& g : gts) {
        InstanceReport ir;
        ir.gt_start_s = g.start;
        ir.gt_end_s = g.end;
        const Scored* best = nullptr;
        double best_tiou = -1;
        for (const auto& p : mine) {
          double t = temporal_iou(p.start, p.end, g.start, g.end);
          if (t > best_tiou || (t == best_tiou && best && p.score > best->score)) {
            best_tiou = t;
            best = &p;
          }
        }
        if (best != nullptr && best_tiou > 0) {
          ir.best_tiou = best_tiou;
          ir.score = best->score;
          ir.pred_start_s = best->start;
          ir.pred_end_s = best->end;
          ir.start_error_s = best->start - g.start;
          ir.end_error_s = best->end - g.end;
          ir.found = best_tiou >= options.found_tiou;
        }
        pr.instances.push_back(ir);
      }
      for (const auto& p : mine) {
        bool matched = false;
        for (const auto& g : gts)
          matched = matched || temporal_iou(p.start, p.end, g.start, g.end) >= options.found_tiou;
        if (!matched) pr.false_alarms.push_back({p.start, p.end, p.score});
      }
      std::stable_sort(pr.false_alarms.begin(), pr.false_alarms.end(),
                       [](const FalseAlarm& a, const FalseAlarm& b) { return a.score > b.score; });
      rec.protocols.push_back(std::move(pr));
    }
    r.recordings.push_back(std::move(rec));
  }
  return r;
}

}  // namespace teamor::annotations
