// PLACEHOLDER: replaced by the real 'eval' subcommand.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/commands/commands.h"

namespace teamor::app {
void register_eval(CLI::App& app) {
  auto* cmd = app.add_subcommand("eval", "(not available yet)");
  cmd->callback([] {
    spdlog::error("'eval' is not implemented in this build");
    throw CLI::RuntimeError(1);
  });
}
}  // namespace teamor::app
