// PLACEHOLDER: replaced by the real 'synth' subcommand.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/commands/commands.h"

namespace teamor::app {
void register_synth(CLI::App& app) {
  auto* cmd = app.add_subcommand("synth", "(not available yet)");
  cmd->callback([] {
    spdlog::error("'synth' is not implemented in this build");
    throw CLI::RuntimeError(1);
  });
}
}  // namespace teamor::app
