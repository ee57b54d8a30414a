#include "app/pipeline/progress_reporter.h"

#include <unistd.h>

#include <cmath>
#include <utility>

namespace teamor::app::pipeline {

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long s = std::lround(seconds);
  char buffer[32];
  if (s < 60) {
    std::snprintf(buffer, sizeof buffer, "%lds", s);
  } else if (s < 3600) {
    std::snprintf(buffer, sizeof buffer, "%ldm%02lds", s / 60, s % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  }
  return buffer;
}

ProgressReporter::ProgressReporter(ProgressReporterOptions options)
    : options_(std::move(options)), start_(Clock::now()), last_print_(start_) {
  tty_ = options_.tty >= 0 ? options_.tty != 0 : ::isatty(::fileno(options_.stream)) != 0;
}

ProgressReporter::~ProgressReporter() {
  interrupt();
}

std::string ProgressReporter::format_line(const Progress& progress, double elapsed_s) const {
  std::string line = options_.label;
  if (!progress.stage.empty()) line += line.empty() ? progress.stage : " [" + progress.stage + "]";
  char buffer[160];
  if (progress.total > 0) {
    const double fraction = std::min(1.0, std::max(0.0, progress.done / progress.total));
    std::snprintf(buffer, sizeof buffer, " %5.1f%% (%.0f/%.0f %s)", 100.0 * fraction, progress.done,
                  progress.total, options_.unit.c_str());
  } else {
    std::snprintf(buffer, sizeof buffer, " %.0f %s", progress.done, options_.unit.c_str());
  }
  line += buffer;
  // The rate is taken over the whole run: steadier than an instantaneous one and good enough for
  // an ETA on work whose items all cost about the same.
  if (elapsed_s > 0.5 && progress.done > 0) {
    const double rate = progress.done / elapsed_s;
    std::snprintf(buffer, sizeof buffer, ", %.3g %s/s", rate, options_.unit.c_str());
    line += buffer;
    if (progress.total > progress.done) {
      line += ", ETA " + format_duration((progress.total - progress.done) / rate);
    }
  }
  line += ", " + format_duration(elapsed_s) + " elapsed";
  return line;
}

void ProgressReporter::update(const Progress& progress) {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  const auto now = Clock::now();
  const double since = std::chrono::duration<double>(now - last_print_).count();
  const bool stage_changed = progress.stage != last_.stage;
  last_ = progress;
  const double interval = tty_ ? options_.tty_interval_s : options_.plain_interval_s;
  if (!printed_any_ || stage_changed || since >= interval) {
    last_print_ = now;
    print_locked(progress);
  }
}

ProgressCallback ProgressReporter::callback() {
  return [this](const Progress& progress) { update(progress); };
}

void ProgressReporter::print_locked(const Progress& progress) {
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  const std::string line = format_line(progress, elapsed);
  if (tty_) {
    // \r + clear-to-end-of-line redraws in place; the line stays open until finish()/interrupt().
    std::fprintf(options_.stream, "\r%s\x1b[K", line.c_str());
    line_open_ = true;
  } else {
    std::fprintf(options_.stream, "%s\n", line.c_str());
  }
  std::fflush(options_.stream);
  printed_any_ = true;
}

void ProgressReporter::finish(const std::string& message) {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  finished_ = true;
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  std::string line = options_.label;
  if (!line.empty()) line += ": ";
  line += "done in " + format_duration(elapsed);
  if (!message.empty()) line += ", " + message;
  if (tty_) {
    std::fprintf(options_.stream, "\r%s\x1b[K\n", line.c_str());
  } else {
    std::fprintf(options_.stream, "%s\n", line.c_str());
  }
  line_open_ = false;
  std::fflush(options_.stream);
}

void ProgressReporter::print_line(const std::string& text) {
  std::lock_guard lock(mutex_);
  if (tty_ && line_open_) {
    std::fprintf(options_.stream, "\r\x1b[K%s\n", text.c_str());
    line_open_ = false;
    if (!finished_) print_locked(last_);
  } else {
    std::fprintf(options_.stream, "%s\n", text.c_str());
    std::fflush(options_.stream);
  }
}

void ProgressReporter::interrupt() {
  std::lock_guard lock(mutex_);
  if (line_open_) {
    std::fputc('\n', options_.stream);
    std::fflush(options_.stream);
    line_open_ = false;
  }
  finished_ = true;
}

}  // namespace teamor::app::pipeline
