#pragma once
// ProgressReporter: turns Progress reports from long work into what a person or a log wants to
// read. On a terminal it redraws one line with percent, rate and ETA; otherwise (Slurm logs, pipes)
// it prints a plain line at most every few seconds, so log files stay short.
//
//   ProgressReporter progress({.label = "detect OR12", .unit = "clip"});
//   run(recording, progress.callback(), cancel_token());
//   progress.finish();   // final line with the total time
//
// All methods may be called from several threads.

#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include "common/progress.h"

namespace teamor::app::pipeline {

struct ProgressReporterOptions {
  std::string label;           ///< prefix of every line ("detect OR12")
  std::string unit = "item";   ///< what done/total count, for the rate ("clip" -> "12.5 clip/s")
  std::FILE* stream = stderr;  ///< where lines go
  /// Whether to redraw one line in place; unset = decided by isatty(stream).
  int tty = -1;
  double tty_interval_s = 0.2;   ///< least time between redraws on a terminal, seconds
  double plain_interval_s = 10;  ///< least time between plain lines, seconds
};

/// @brief Formats seconds as "42s", "3m07s" or "1h02m".
std::string format_duration(double seconds);

class ProgressReporter {
 public:
  explicit ProgressReporter(ProgressReporterOptions options);
  ~ProgressReporter();
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  /// @brief Records a report; prints when the interval has passed (or the stage changed).
  void update(const Progress& progress);
  /// @brief A callback forwarding to update(); valid while this reporter lives.
  ProgressCallback callback();
  /// @brief Prints the final line ("done in 3m07s") and ends the terminal line.
  /// @param message extra words for the final line, e.g. "4 intervals"
  void finish(const std::string& message = {});
  /// @brief Ends the terminal line without a summary (before printing something else).
  void interrupt();
  /// @brief Prints @p text as its own line above the progress line (which is then redrawn).
  void print_line(const std::string& text);

  /// The line that would be shown for @p progress after @p elapsed_s seconds (for tests).
  std::string format_line(const Progress& progress, double elapsed_s) const;

 private:
  using Clock = std::chrono::steady_clock;
  void print_locked(const Progress& progress);

  ProgressReporterOptions options_;
  bool tty_ = false;
  std::mutex mutex_;
  Clock::time_point start_;
  Clock::time_point last_print_;
  Progress last_;
  bool printed_any_ = false;
  bool line_open_ = false;
  bool finished_ = false;
};

}  // namespace teamor::app::pipeline
