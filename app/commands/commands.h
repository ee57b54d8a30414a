#pragma once
// Every subcommand lives in app/commands/<name>.cpp and registers itself on the root CLI::App.

namespace CLI {
class App;
}

namespace teamor::app {

void register_synth(CLI::App& app);
void register_info(CLI::App& app);
void register_convert(CLI::App& app);
void register_eval(CLI::App& app);
void register_import_reference(CLI::App& app);
void register_detect(CLI::App& app);
void register_train(CLI::App& app);
void register_extract(CLI::App& app);
void register_batch(CLI::App& app);
void register_demo(CLI::App& app);

}  // namespace teamor::app
