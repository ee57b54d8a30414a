// PLACEHOLDER: replaced by the real 'detect' subcommand.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/commands/commands.h"

namespace teamor::app {
void register_detect(CLI::App& app) {
  auto* cmd = app.add_subcommand("detect", "(not available yet)");
  cmd->callback([] {
    spdlog::error("'detect' is not implemented in this build");
    throw CLI::RuntimeError(1);
  });
}
}  // namespace teamor::app
