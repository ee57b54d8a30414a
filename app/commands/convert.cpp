// teamor convert IN OUT [--from FMT] [--to FMT] [--fps F] [--recording ID]: converts annotation
// files between every supported format. Formats come from the extension or the content unless
// given; frame-based formats (Team-OR pickle, Label Studio) need --fps when the file does not carry
// it.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>

#include "annotations/annotation_io.h"
#include "annotations/labels.h"
#include "app/commands/commands.h"
#include "app/common_options.h"
#include "common/error.h"

namespace teamor::app {
namespace {

namespace an = teamor::annotations;

struct ConvertArgs {
  std::string in, out;
  std::string from = "auto", to = "auto";
  std::optional<double> fps;
  std::string recording;
  std::string kind = "auto";
  std::string aliases;
  bool keep_labels = false;
};

void run_convert(const ConvertArgs& a) {
  if (!a.aliases.empty()) an::default_label_aliases().load_json(a.aliases);
  an::ReadOptions ro;
  ro.format = an::format_from_name(a.from);
  ro.fps = a.fps;
  ro.canonicalize_labels = !a.keep_labels;
  ro.on_warning = [](const std::string& w) { spdlog::warn("{}", w); };
  an::AnnotationCollection data = an::read_annotations(a.in, ro);
  if (!a.recording.empty()) {
    if (data.size() == 1 && !data.count(a.recording)) {
      // Single-recording input (ELAN, one Label Studio task): rename it.
      an::AnnotationSet set = std::move(data.begin()->second);
      set.recording_id = a.recording;
      data.clear();
      data.emplace(a.recording, std::move(set));
    } else {
      auto it = data.find(a.recording);
      if (it == data.end())
        throw ConfigError("recording '" + a.recording + "' is not in " + a.in + " (" +
                          std::to_string(data.size()) + " recordings)");
      an::AnnotationSet set = std::move(it->second);
      data.clear();
      data.emplace(a.recording, std::move(set));
    }
  }
  an::WriteOptions wo;
  wo.format = an::format_from_name(a.to);
  wo.fps = a.fps;
  if (a.kind == "gt" || a.kind == "ground-truth")
    wo.activitynet_kind = an::ActivityNetKind::GroundTruth;
  else if (a.kind == "results")
    wo.activitynet_kind = an::ActivityNetKind::Results;
  else if (a.kind != "auto")
    throw ConfigError("--kind must be auto, gt or results, found '" + a.kind + "'");
  an::write_annotations(a.out, data, wo);
  std::size_t n = 0;
  for (const auto& [id, set] : data)
    n += set.segments.size();
  spdlog::info("wrote {} segments of {} recordings to {}", n, data.size(), a.out);
}

}  // namespace

void register_convert(CLI::App& app) {
  auto args = std::make_shared<ConvertArgs>();
  auto* cmd = app.add_subcommand("convert", "Convert annotation files between formats");
  cmd->add_option("IN", args->in, "Input file (or THUMOS14 ground-truth folder)")->required();
  cmd->add_option("OUT", args->out,
                  "Output file (a folder, ending in '/', for THUMOS14 ground "
                  "truth)")
      ->required();
  cmd->add_option("--from", args->from, "Input format: auto, " + an::format_names())
      ->capture_default_str();
  cmd->add_option("--to", args->to,
                  "Output format: auto (from the extension), " + an::format_names())
      ->capture_default_str();
  cmd->add_option("--fps", args->fps, "Frame rate for frame-based formats (pickle, Label Studio)");
  cmd->add_option("--recording", args->recording,
                  "Keep only this recording (or name a single-recording input)");
  cmd->add_option("--kind", args->kind, "ActivityNet output: auto, gt or results")
      ->capture_default_str();
  cmd->add_option("--aliases", args->aliases, "JSON file of extra label aliases");
  cmd->add_flag("--keep-labels", args->keep_labels,
                "Keep labels as written instead of mapping aliases to Time-out / StOP?");
  cmd->callback([args] {
    const int rc = run_guarded([&] { run_convert(*args); });
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace teamor::app
