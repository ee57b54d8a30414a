// PLACEHOLDER: replaced by the real 'info' subcommand.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/commands/commands.h"

namespace teamor::app {
void register_info(CLI::App& app) {
  auto* cmd = app.add_subcommand("info", "(not available yet)");
  cmd->callback([] {
    spdlog::error("'info' is not implemented in this build");
    throw CLI::RuntimeError(1);
  });
}
}  // namespace teamor::app
