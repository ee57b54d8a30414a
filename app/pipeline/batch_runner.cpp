#include "app/pipeline/batch_runner.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <ctime>
#include <mutex>
#include <sstream>
#include <thread>

#include "common/atomic_file.h"
#include "common/error.h"

namespace teamor::app::pipeline {
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

/// Shared state of the workers: the next item to take, per-worker fractions for progress.
struct Shared {
  std::atomic<std::size_t> next{0};
  std::mutex mutex;  // guards the fields below and serializes the callbacks
  std::vector<double> running_fraction;
  std::size_t finished = 0;
};

}  // namespace

std::string_view to_string(ItemStatus status) {
  switch (status) {
    case ItemStatus::Done:
      return "done";
    case ItemStatus::Skipped:
      return "skipped";
    case ItemStatus::Failed:
      return "failed";
    case ItemStatus::Cancelled:
      return "cancelled";
  }
  return "?";
}

std::size_t BatchSummary::count(ItemStatus status) const {
  std::size_t n = 0;
  for (const auto& item : items)
    n += item.status == status ? 1 : 0;
  return n;
}

fs::path result_path(const BatchOptions& options, const BatchInput& input) {
  return options.out_dir / (input.id + options.result_extension);
}

BatchSummary run_batch(const std::vector<BatchInput>& inputs, const BatchOptions& options,
                       const BatchWorkFn& work, const CancelToken& cancel,
                       const ProgressCallback& progress, const ItemFinishedFn& on_finished) {
  TEAMOR_ASSERT(options.jobs >= 1);
  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec) {
    throw IoError("cannot create the output folder: " + ec.message(), options.out_dir.string());
  }
  const auto start = Clock::now();
  BatchSummary summary;
  summary.shard = options.shard;
  summary.total_inputs = inputs.size();
  summary.items.resize(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    summary.items[i].input = inputs[i];
    summary.items[i].output = result_path(options, inputs[i]);
  }

  const int workers = std::max(1, std::min<int>(options.jobs, static_cast<int>(inputs.size())));
  Shared shared;
  shared.running_fraction.assign(static_cast<std::size_t>(workers), 0.0);

  auto report = [&] {  // with shared.mutex held
    if (!progress) return;
    double done = static_cast<double>(shared.finished);
    for (double f : shared.running_fraction)
      done += f;
    progress({done, static_cast<double>(inputs.size()), "recordings"});
  };

  auto worker = [&](std::size_t slot) {
    for (;;) {
      if (cancel.cancelled()) return;
      const std::size_t i = shared.next.fetch_add(1);
      if (i >= inputs.size()) return;
      ItemResult& item = summary.items[i];  // each index is owned by exactly one worker
      const auto item_start = Clock::now();
      std::error_code exists_ec;
      if (options.resume && fs::exists(item.output, exists_ec)) {
        item.status = ItemStatus::Skipped;
      } else {
        auto item_progress = [&](const Progress& p) {
          std::lock_guard lock(shared.mutex);
          shared.running_fraction[slot] = p.total > 0 ? std::clamp(p.done / p.total, 0.0, 1.0) : 0;
          report();
        };
        try {
          item.outcome = work(item.input, item.output, cancel, item_progress);
          item.status = ItemStatus::Done;
        } catch (const CancelledError&) {
          item.status = ItemStatus::Cancelled;
        } catch (const Error& e) {
          item.status = ItemStatus::Failed;
          item.error = e.what();
        } catch (const std::exception& e) {
          item.status = ItemStatus::Failed;
          item.error = std::string("unexpected error: ") + e.what();
        }
        // A cancel that arrives while a recording finishes cleanly still counts it as done.
      }
      item.wall_s = seconds_since(item_start);
      std::lock_guard lock(shared.mutex);
      shared.running_fraction[slot] = 0;
      if (item.status == ItemStatus::Cancelled) continue;
      ++shared.finished;
      report();
      if (on_finished) on_finished(item, shared.finished, inputs.size());
    }
  };

  if (workers == 1) {
    worker(0);
  } else {
    std::vector<std::jthread> threads;
    for (int w = 0; w < workers; ++w)
      threads.emplace_back(worker, static_cast<std::size_t>(w));
  }
  summary.cancelled = cancel.cancelled();
  summary.wall_s = seconds_since(start);
  return summary;
}

std::pair<fs::path, fs::path> write_batch_summary(const BatchSummary& summary,
                                                  const BatchOptions& options,
                                                  const std::string& model) {
  std::string stem = options.summary_stem;
  if (summary.shard.count > 1) {
    stem += ".shard-" + std::to_string(summary.shard.index) + "-of-" +
            std::to_string(summary.shard.count);
  }
  const fs::path json_path = options.out_dir / (stem + ".json");
  const fs::path csv_path = options.out_dir / (stem + ".csv");

  nlohmann::json items = nlohmann::json::array();
  std::ostringstream csv;
  csv << "id,input,status,segments,media_duration_s,wall_s,output,error\n";
  for (const auto& item : summary.items) {
    items.push_back({{"id", item.input.id},
                     {"input", item.input.path.string()},
                     {"status", std::string(to_string(item.status))},
                     {"segments", item.outcome.segments},
                     {"media_duration_s", item.outcome.media_duration_s},
                     {"wall_s", item.wall_s},
                     {"output", item.output.string()},
                     {"error", item.error}});
    csv << csv_field(item.input.id) << ',' << csv_field(item.input.path.string()) << ','
        << to_string(item.status) << ',' << item.outcome.segments << ','
        << item.outcome.media_duration_s << ',' << item.wall_s << ','
        << csv_field(item.output.string()) << ',' << csv_field(item.error) << '\n';
  }
  nlohmann::json doc = {{"shard", to_string(summary.shard)},
                        {"model", model},
                        {"finished_utc", utc_now()},
                        {"wall_s", summary.wall_s},
                        {"cancelled", summary.cancelled},
                        {"counts",
                         {{"total", summary.total_inputs},
                          {"done", summary.count(ItemStatus::Done)},
                          {"skipped", summary.count(ItemStatus::Skipped)},
                          {"failed", summary.count(ItemStatus::Failed)},
                          {"cancelled", summary.count(ItemStatus::Cancelled)}}},
                        {"recordings", items}};
  write_file_atomically(json_path, doc.dump(2) + "\n");
  write_file_atomically(csv_path, csv.str());
  return {json_path, csv_path};
}

}  // namespace teamor::app::pipeline
