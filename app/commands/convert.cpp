// PLACEHOLDER: replaced by the real 'convert' subcommand.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/commands/commands.h"

namespace teamor::app {
void register_convert(CLI::App& app) {
  auto* cmd = app.add_subcommand("convert", "(not available yet)");
  cmd->callback([] {
    spdlog::error("'convert' is not implemented in this build");
    throw CLI::RuntimeError(1);
  });
}
}  // namespace teamor::app
