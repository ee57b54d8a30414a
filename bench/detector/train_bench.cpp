// Training cost per epoch on 2-hour surgeries: 20 sequences of T ~ 6750 x 1664 (batch 2, so 10
// iterations per epoch), with the reference padding (every batch padded to max_seq_len = 23040) or
// the improved padding (to the batch's own length, spec 8.1). One mode per process so that the peak
// resident memory (getrusage) belongs to that mode; train_bench.sh runs both and prints the ratio.
//
//   teamor_train_bench --padding reference --iterations 1
//
// Prints one JSON line: padding, t_pad, seconds per iteration (mean over `iterations` timed
// iterations, after as many untimed warm-up iterations), the epoch time (10 iterations) and the
// peak RSS in MiB. The result is checked before timing: the loss must be finite and the weights
// must change.
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include <torch/torch.h>

#include "detector/config.h"
#include "detector/trainer.h"

using namespace teamor::detector;

int main(int argc, char** argv) {
  std::string padding = "reference";
  int iterations = 1, videos = 20, length = 6750;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--padding")
      padding = v;
    else if (k == "--iterations")
      iterations = std::stoi(v);
    else if (k == "--videos")
      videos = std::stoi(v);
    else if (k == "--length")
      length = std::stoi(v);
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  if (padding != "reference" && padding != "improved") {
    std::fprintf(stderr, "--padding must be reference or improved\n");
    return 2;
  }
  DetectorConfig cfg;
  cfg.improvements.reference_compat = padding == "reference";
  cfg.finalize();
  // Untimed: make the data. Lengths vary by +-5 % around T like real surgeries; one event each.
  torch::manual_seed(1);
  std::vector<TrainingVideo> data;
  for (int i = 0; i < videos; ++i) {
    TrainingVideo v;
    v.id = "v" + std::to_string(i);
    const int64_t len = length - length / 20 + (i * (length / 10)) / std::max(videos - 1, 1);
    v.features = torch::randn({1664, len}) * 0.5;
    const float s = static_cast<float>(len) * 0.3f;
    v.segments = torch::tensor({s, s + 150.0f}).reshape({1, 2});
    v.labels = torch::zeros({1}, torch::kInt64);
    v.has_events = true;
    data.push_back(v);
  }
  // The trainer gets 2 * iterations videos, so each epoch has `iterations` batches: the first
  // epoch warms up (allocations, thread pools) untimed, the second is timed.
  const int per_epoch = videos / cfg.loader.batch_size;
  TrainerSettings ts;
  ts.seed = 1234567891;
  Trainer trainer(cfg, ts);
  std::vector<TrainingVideo> subset(data.begin(), data.begin() + 2 * iterations);
  trainer.set_training_data(subset);
  auto before = trainer.network()->parameters()[0].detach().clone();
  const EpochStats s = trainer.run_epoch();
  const auto t1 = std::chrono::steady_clock::now();
  const EpochStats s2 = trainer.run_epoch();
  const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  if (!std::isfinite(s.mean_loss) || !std::isfinite(s2.mean_loss) ||
      torch::equal(before, trainer.network()->parameters()[0])) {
    std::fprintf(stderr, "check failed: loss %f, weights changed %d\n", s2.mean_loss,
                 !torch::equal(before, trainer.network()->parameters()[0]));
    return 1;
  }
  const double per_iter = sec / static_cast<double>(s2.iterations);
  const int64_t t_pad = padded_length(length + length / 20, cfg, true);
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf(
      "{\"padding\": \"%s\", \"t_pad_max\": %lld, \"iterations_timed\": %lld, "
      "\"seconds_per_iteration\": "
      "%.3f, \"seconds_per_epoch\": %.2f, \"iterations_per_epoch\": %d, \"peak_rss_mib\": %.0f, "
      "\"threads\": %d}\n",
      padding.c_str(), static_cast<long long>(t_pad), static_cast<long long>(s2.iterations),
      per_iter, per_iter * per_epoch, per_epoch, ru.ru_maxrss / 1024.0, torch::get_num_threads());
  return 0;
}
