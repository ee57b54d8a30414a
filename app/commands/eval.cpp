// teamor eval --pred FILE --gt FILE [--label L] [--ids a,b|@file | --subset NAME] [--tiou
// 0.1:0.5:0.1]
//             [--json OUT]: mAP at tIoU exactly as the Team-OR reference evaluator computes it, and
// the clinician report (per recording and protocol: found?, best tIoU, score, start/end errors in
// seconds, false alarms above --min-score) as a terminal table and, with --json, as JSON.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "annotations/annotation_io.h"
#include "annotations/evaluation.h"
#include "annotations/id_selection.h"
#include "annotations/labels.h"
#include "app/commands/commands.h"
#include "app/common_options.h"
#include "common/atomic_file.h"
#include "common/error.h"

namespace teamor::app {
namespace {

namespace an = teamor::annotations;

struct EvalArgs {
  std::string pred, gt;
  std::string pred_format = "auto", gt_format = "auto";
  std::optional<double> fps;
  std::string label;
  std::string ids;
  std::string subset;
  std::string tiou = "0.1:0.5:0.1";
  std::string json_out;
  std::string aliases;
  double min_score = 0.5;
  double found_tiou = 0.5;
};

void run_eval(const EvalArgs& a) {
  if (!a.aliases.empty()) an::default_label_aliases().load_json(a.aliases);
  an::ReadOptions ro;
  ro.fps = a.fps;
  ro.on_warning = [](const std::string& w) { spdlog::warn("{}", w); };
  ro.format = an::format_from_name(a.gt_format);
  const auto gt = an::read_annotations(a.gt, ro);
  ro.format = an::format_from_name(a.pred_format);
  const auto pred = an::read_annotations(a.pred, ro);

  an::EvalOptions opt;
  opt.tiou_thresholds = an::parse_tiou_thresholds(a.tiou);
  opt.label = a.label;
  opt.min_score = a.min_score;
  opt.found_tiou = a.found_tiou;
  if (!a.ids.empty()) opt.ids = an::match_ids(an::parse_id_selection(a.ids), gt);
  if (!a.subset.empty()) {
    auto in_subset = an::ids_in_subset(gt, a.subset);
    if (opt.ids.empty()) {
      opt.ids = in_subset;
    } else {
      std::set<std::string> both;
      for (const auto& id : opt.ids)
        if (in_subset.count(id)) both.insert(id);
      opt.ids = both;
    }
  }
  const an::EvaluationResult r = an::evaluate(gt, pred, opt);
  for (const auto& id : r.missing_ids)
    spdlog::warn("recording '{}' is not in the ground truth; not evaluated", id);
  if (r.classes.empty())
    spdlog::warn("no ground-truth interval{} in the evaluated recordings: mAP is undefined",
                 a.label.empty() ? "" : " labelled '" + an::canonical_label(a.label) + "'");
  // With --json - the JSON owns stdout; the table then goes to stderr.
  (a.json_out == "-" ? std::cerr : std::cout) << an::evaluation_table(r);
  if (!a.json_out.empty()) {
    const std::string json = an::evaluation_to_json(r);
    if (a.json_out == "-") {
      std::cout << json;
    } else {
      write_file_atomically(a.json_out, json);
      spdlog::info("wrote {}", a.json_out);
    }
  }
}

}  // namespace

void register_eval(CLI::App& app) {
  auto args = std::make_shared<EvalArgs>();
  auto* cmd = app.add_subcommand(
      "eval", "mAP at tIoU thresholds (Team-OR/ActivityNet evaluator) and a per-recording report");
  cmd->add_option("--pred", args->pred, "Predictions (any supported format)")->required();
  cmd->add_option("--gt", args->gt, "Ground truth (any supported format)")->required();
  cmd->add_option("--pred-format", args->pred_format,
                  "Format of --pred: auto, " + an::format_names())
      ->capture_default_str();
  cmd->add_option("--gt-format", args->gt_format, "Format of --gt: auto, " + an::format_names())
      ->capture_default_str();
  cmd->add_option("--fps", args->fps, "Frame rate for frame-based files (Team-OR pickle: 30)");
  cmd->add_option("--label", args->label,
                  "Evaluate only this protocol (aliases apply: Time-out, StOP?, '11 (Time-Out)')");
  auto* ids = cmd->add_option("--ids", args->ids,
                              "Only these recordings: a,b,c or @file (one id per line)");
  cmd->add_option("--subset", args->subset, "Only ground-truth recordings of this subset")
      ->excludes(ids);
  cmd->add_option("--tiou", args->tiou, "tIoU thresholds: start:stop:step, a value or a list")
      ->capture_default_str();
  cmd->add_option("--json", args->json_out, "Write everything as JSON here ('-' for stdout)");
  cmd->add_option("--min-score", args->min_score,
                  "Report: predictions below this score are neither found nor false alarms")
      ->capture_default_str();
  cmd->add_option("--found-tiou", args->found_tiou, "Report: tIoU needed to count as found")
      ->capture_default_str();
  cmd->add_option("--aliases", args->aliases, "JSON file of extra label aliases");
  cmd->callback([args] {
    const int rc = run_guarded([&] { run_eval(*args); });
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace teamor::app
