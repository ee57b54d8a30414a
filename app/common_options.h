#pragma once
// Options shared by every subcommand, declared once.

#include <functional>
#include <string>

namespace CLI {
class App;
}

namespace teamor::app {

struct GlobalOptions {
  bool verbose = false;  ///< debug logging and full error details
  bool quiet = false;    ///< warnings and errors only
};

/// @brief Adds --verbose / --quiet to the root app.
void add_global_options(CLI::App& app, GlobalOptions& options);

/// @brief Sets spdlog's level from the options (call once after parsing).
void apply_global_options(const GlobalOptions& options);

/// @brief Runs a subcommand body, turning teamor::Error into a one-line message and exit code 1.
/// Cancellation (Ctrl-C) exits with 130.
int run_guarded(const std::function<void()>& body);

/// @brief Installs a SIGINT handler that sets the process-wide cancel token (see cancel_token()).
void install_interrupt_handler();

}  // namespace teamor::app
