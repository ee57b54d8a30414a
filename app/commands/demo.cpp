// PLACEHOLDER: replaced by the real 'demo' subcommand.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/commands/commands.h"

namespace teamor::app {
void register_demo(CLI::App& app) {
  auto* cmd = app.add_subcommand("demo", "(not available yet)");
  cmd->callback([] {
    spdlog::error("'demo' is not implemented in this build");
    throw CLI::RuntimeError(1);
  });
}
}  // namespace teamor::app
