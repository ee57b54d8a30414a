// PLACEHOLDER: replaced by the real 'batch' subcommand.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/commands/commands.h"

namespace teamor::app {
void register_batch(CLI::App& app) {
  auto* cmd = app.add_subcommand("batch", "(not available yet)");
  cmd->callback([] {
    spdlog::error("'batch' is not implemented in this build");
    throw CLI::RuntimeError(1);
  });
}
}  // namespace teamor::app
