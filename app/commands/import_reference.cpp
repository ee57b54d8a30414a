// PLACEHOLDER: replaced by the real 'import-reference' subcommand.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/commands/commands.h"

namespace teamor::app {
void register_import_reference(CLI::App& app) {
  auto* cmd = app.add_subcommand("import-reference", "(not available yet)");
  cmd->callback([] {
    spdlog::error("'import-reference' is not implemented in this build");
    throw CLI::RuntimeError(1);
  });
}
}  // namespace teamor::app
