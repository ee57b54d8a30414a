// PLACEHOLDER: replaced by the real 'train' subcommand.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/commands/commands.h"

namespace teamor::app {
void register_train(CLI::App& app) {
  auto* cmd = app.add_subcommand("train", "(not available yet)");
  cmd->callback([] {
    spdlog::error("'train' is not implemented in this build");
    throw CLI::RuntimeError(1);
  });
}
}  // namespace teamor::app
