// teamor: finds team Time-outs and StOP?-protocols in multi-view operating-room recordings.
// This file only lists the subcommands; each lives in app/commands/<name>.cpp.

#include <CLI/CLI.hpp>

#include "app/commands/commands.h"
#include "app/common_options.h"
#include "common/allocator_tuning.h"

int main(int argc, char** argv) {
  // Tensors of a long recording's forward pass are tens of MB each (common/allocator_tuning.h).
  teamor::tune_allocator_for_large_buffers();
  CLI::App app{"teamor: find surgical Time-outs and StOP?-protocols in operating-room video"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "teamor 0.1.0");
  teamor::app::GlobalOptions global;
  teamor::app::add_global_options(app, global);

  teamor::app::register_demo(app);
  teamor::app::register_synth(app);
  teamor::app::register_info(app);
  teamor::app::register_detect(app);
  teamor::app::register_batch(app);
  teamor::app::register_extract(app);
  teamor::app::register_train(app);
  teamor::app::register_import_reference(app);
  teamor::app::register_convert(app);
  teamor::app::register_eval(app);

  teamor::app::install_interrupt_handler();
  CLI11_PARSE(app, argc, argv);
  return 0;
}
