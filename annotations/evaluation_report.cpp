// JSON and terminal renderings of an EvaluationResult (declared in evaluation.h).
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <sstream>

#include "annotations/evaluation.h"

namespace teamor::annotations {
namespace {

using nlohmann::json;

json number_or_null(double v) {
  return std::isfinite(v) ? json(v) : json(nullptr);
}

json optional_number(const std::optional<double>& v) {
  return v ? number_or_null(*v) : json(nullptr);
}

std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string signed_seconds(const std::optional<double>& v) {
  if (!v) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%+.1f s", *v);
  return buf;
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

}  // namespace

std::string evaluation_to_json(const EvaluationResult& r, int indent) {
  // nlohmann keeps keys sorted; an ordered_json keeps the reference's top-level order instead.
  nlohmann::ordered_json out;
  out["tiou_thresholds"] = r.tiou_thresholds;
  nlohmann::ordered_json maps = nlohmann::ordered_json::array();
  for (double m : r.mAP)
    maps.push_back(std::isfinite(m) ? nlohmann::ordered_json(m) : nullptr);
  out["mAP"] = maps;
  out["average_mAP"] = std::isfinite(r.average_mAP) ? nlohmann::ordered_json(r.average_mAP)
                                                    : nlohmann::ordered_json(nullptr);
  json classes = json::array();
  for (const auto& c : r.classes) {
    json ap = json::array();
    for (double a : c.ap)
      ap.push_back(number_or_null(a));
    classes.push_back({{"label", c.label},
                       {"ground_truth", c.ground_truth},
                       {"predictions", c.predictions},
                       {"ap", ap}});
  }
  json recordings = json::array();
  for (const auto& rec : r.recordings) {
    json protocols = json::array();
    for (const auto& p : rec.protocols) {
      json instances = json::array();
      for (const auto& i : p.instances)
        instances.push_back(
            {{"gt_segment", {i.gt_start_s, i.gt_end_s}},
             {"found", i.found},
             {"best_tiou", number_or_null(i.best_tiou)},
             {"score", optional_number(i.score)},
             {"pred_segment",
              i.pred_start_s ? json::array({*i.pred_start_s, *i.pred_end_s}) : json(nullptr)},
             {"start_error_s", optional_number(i.start_error_s)},
             {"end_error_s", optional_number(i.end_error_s)}});
      json alarms = json::array();
      for (const auto& a : p.false_alarms)
        alarms.push_back({{"segment", {a.start_s, a.end_s}}, {"score", a.score}});
      protocols.push_back({{"label", p.label},
                           {"predictions", p.predictions},
                           {"instances", instances},
                           {"false_alarms", alarms}});
    }
    recordings.push_back({{"recording", rec.recording_id}, {"protocols", protocols}});
  }
  out["classes"] = nlohmann::ordered_json::parse(classes.dump());
  out["recordings"] = nlohmann::ordered_json::parse(recordings.dump());
  out["missing_ids"] = r.missing_ids;
  out["ignored_predictions"] = r.ignored_predictions;
  out["options"] = {{"label", r.options.label},
                    {"min_score", r.options.min_score},
                    {"found_tiou", r.options.found_tiou}};
  return out.dump(indent) + "\n";
}

std::string evaluation_table(const EvaluationResult& r) {
  std::ostringstream out;
  out << "mAP at tIoU\n";
  for (std::size_t t = 0; t < r.tiou_thresholds.size(); ++t)
    out << "  " << fixed(r.tiou_thresholds[t], 2) << "  " << fixed(r.mAP[t], 4) << "\n";
  out << "  avg   " << fixed(r.average_mAP, 4) << "\n";
  for (const auto& c : r.classes)
    out << "  class '" << c.label << "': " << c.ground_truth << " ground truth, " << c.predictions
        << " predictions\n";
  out << "\nPer recording (predictions with score >= " << fixed(r.options.min_score, 2)
      << "; found = tIoU >= " << fixed(r.options.found_tiou, 2) << ")\n";
  out << pad("recording", 22) << pad("protocol", 12) << pad("ground truth", 20) << pad("found", 7)
      << pad("tIoU", 7) << pad("score", 7) << pad("start err", 11) << pad("end err", 11)
      << "false alarms\n";
  for (const auto& rec : r.recordings)
    for (const auto& p : rec.protocols) {
      const std::string alarms = std::to_string(p.false_alarms.size());
      if (p.instances.empty()) {
        out << pad(rec.recording_id, 22) << pad(p.label, 12) << pad("(none)", 20) << pad("-", 7)
            << pad("-", 7) << pad("-", 7) << pad("-", 11) << pad("-", 11) << alarms << "\n";
        continue;
      }
      for (const auto& i : p.instances) {
        out << pad(rec.recording_id, 22) << pad(p.label, 12)
            << pad(fixed(i.gt_start_s, 1) + "-" + fixed(i.gt_end_s, 1) + " s", 20)
            << pad(i.found ? "yes" : "no", 7) << pad(i.score ? fixed(i.best_tiou, 2) : "-", 7)
            << pad(i.score ? fixed(*i.score, 3) : "-", 7)
            << pad(signed_seconds(i.start_error_s), 11) << pad(signed_seconds(i.end_error_s), 11)
            << alarms << "\n";
      }
    }
  if (!r.missing_ids.empty()) {
    out << "\nRequested ids without ground truth (not evaluated):";
    for (const auto& id : r.missing_ids)
      out << " " << id;
    out << "\n";
  }
  if (r.ignored_predictions > 0)
    out << r.ignored_predictions
        << " predictions were outside the evaluated recordings or labels and ignored\n";
  return out.str();
}

}  // namespace teamor::annotations
