#pragma once
// Starts programs as child processes (posix_spawn) and waits for them, for tests that run several
// `teamor` processes at once.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

extern char** environ;

namespace teamor::app::testing {

/// @brief Starts @p args[0] with @p args; stdout/stderr go to @p log_path when given.
/// @return the child's pid, or -1 when it could not be started
inline pid_t spawn_process(const std::vector<std::string>& args, const std::string& log_path = {}) {
  std::vector<char*> argv;
  for (const auto& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!log_path.empty()) {
    posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
  }
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

/// @brief Waits for @p pid. @return its exit status, or -1 when it did not exit normally
inline int wait_process(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// @brief Runs @p args to the end. @return the exit status
inline int run_process(const std::vector<std::string>& args, const std::string& log_path = {}) {
  const pid_t pid = spawn_process(args, log_path);
  return pid < 0 ? -1 : wait_process(pid);
}

}  // namespace teamor::app::testing
