// teamor import-reference: turns reference (Team-OR) weights + config into a model bundle.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <ctime>
#include <memory>

#include "app/commands/commands.h"
#include "app/common_options.h"
#include "detector/config.h"
#include "detector/model_bundle.h"
#include "detector/network.h"
#include "io/safetensors.h"

namespace teamor::app {
namespace {

struct ImportArgs {
  std::string weights;    ///< reference weights (.safetensors, state-dict names, optional module.)
  std::string config;     ///< reference YAML (or our JSON) config
  std::string out;        ///< bundle folder to create
  std::string label;      ///< protocol label; default: dataset.seg_name
  bool improved = false;  ///< turn the improvements on (reference_compat = false)
  double score_threshold = 0.0;
};

std::string today() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", std::gmtime(&t));
  return buf;
}

void run_import(const ImportArgs& args) {
  using namespace teamor::detector;
  DetectorConfig config = load_config(args.config);
  if (args.improved) {
    config.improvements.reference_compat = false;
    config.finalize();
  }
  // Build the network and load the weights: every missing / extra / mis-shaped tensor is reported
  // here, before anything is written.
  Network net(config);
  load_state(net, io::read_safetensors(args.weights), args.weights);
  ModelBundle bundle;
  bundle.input_dim = config.dataset.input_dim;
  bundle.grid = {config.dataset.feat_stride, config.dataset.num_frames, config.dataset.default_fps};
  bundle.feature_backend = "reference";
  bundle.feature_settings = R"({"backend": "reference", "streams": ["videomaev2", "stgcnpp"]})";
  bundle.score_threshold = args.score_threshold;
  bundle.networks.push_back({config,
                             {args.label.empty() ? config.dataset.seg_name : args.label},
                             "detector.safetensors"});
  bundle.provenance = {"reference-import", config.dataset.feat_folder, "", today(),
                       "weights " + args.weights + ", config " + args.config};
  save_bundle(args.out, bundle, {state_to_safetensors(net)});
  spdlog::info("wrote model bundle {} ({} tensors, label '{}', reference_compat {})", args.out,
               net->named_parameters().size(), bundle.networks[0].labels[0],
               config.improvements.reference_compat);
}

}  // namespace

void register_import_reference(CLI::App& app) {
  auto args = std::make_shared<ImportArgs>();
  auto* cmd = app.add_subcommand("import-reference",
                                 "Make a model bundle from reference (Team-OR) weights and config");
  cmd->add_option(
         "--weights", args->weights,
         "Reference weights as safetensors (see models/tools/convert_reference_checkpoint.py)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--config", args->config, "Reference config (YAML) or our JSON config")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--out", args->out, "Bundle folder to write")->required();
  cmd->add_option("--label", args->label, "Protocol label of class 0 (default: dataset.seg_name)");
  cmd->add_option("--score-threshold", args->score_threshold,
                  "Drop detections below this score (0 keeps all, like the reference)")
      ->capture_default_str();
  cmd->add_flag("--improved", args->improved,
                "Turn on the improvements (padding-independent results, clipping to duration)");
  cmd->callback([args] {
    const int rc = run_guarded([&] { run_import(*args); });
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace teamor::app
