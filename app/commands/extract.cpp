// PLACEHOLDER: replaced by the real 'extract' subcommand.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/commands/commands.h"

namespace teamor::app {
void register_extract(CLI::App& app) {
  auto* cmd = app.add_subcommand("extract", "(not available yet)");
  cmd->callback([] {
    spdlog::error("'extract' is not implemented in this build");
    throw CLI::RuntimeError(1);
  });
}
}  // namespace teamor::app
