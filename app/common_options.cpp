#include "app/common_options.h"

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <csignal>

#include "app/cancel.h"
#include "common/error.h"

namespace teamor::app {

void add_global_options(CLI::App& app, GlobalOptions& options) {
  apply_global_options(options);  // defaults until the flags are seen
  // Applied the moment the flag is parsed: subcommand callbacks run before the root app's
  // parse-complete callback, so a deferred setting would come too late for them.
  app.add_flag_callback(
         "-v,--verbose",
         [&options] {
           options.verbose = true;
           apply_global_options(options);
         },
         "Debug logging and full error details")
      ->trigger_on_parse();
  app.add_flag_callback(
         "-q,--quiet",
         [&options] {
           options.quiet = true;
           apply_global_options(options);
         },
         "Only warnings and errors")
      ->trigger_on_parse();
  // Global flags may also follow the subcommand (`teamor synth -q ...`).
  app.fallthrough();
}

void apply_global_options(const GlobalOptions& options) {
  spdlog::set_pattern("%^%l%$: %v");
  if (options.verbose) {
    spdlog::set_level(spdlog::level::debug);
  } else if (options.quiet) {
    spdlog::set_level(spdlog::level::warn);
  } else {
    spdlog::set_level(spdlog::level::info);
  }
}

int run_guarded(const std::function<void()>& body) {
  try {
    body();
    return 0;
  } catch (const CancelledError&) {
    spdlog::warn("cancelled");
    return 130;
  } catch (const Error& e) {
    spdlog::error("{}", e.what());
    return 1;
  } catch (const std::exception& e) {
    spdlog::error("unexpected error: {}", e.what());
    return 1;
  }
}

namespace {
extern "C" void on_interrupt(int) {
  // A second Ctrl-C kills the process the usual way.
  if (cancel_token().cancelled()) {
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
    return;
  }
  cancel_token().cancel();
}
}  // namespace

void install_interrupt_handler() { std::signal(SIGINT, on_interrupt); }

}  // namespace teamor::app
