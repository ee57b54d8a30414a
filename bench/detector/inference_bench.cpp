// Inference on a 2-hour surgery (T = 6750 steps of 1664-d features) on this CPU.
//
//   teamor_detector_bench [T=6750] [repetitions=3]
//       Random features, the reference initialisation: reference padding (to max_seq_len = 23040)
//       against the improved padding (next multiple of 32), and the sparse heads in their worst
//       case (an untrained network scores every cell as a candidate).
//   teamor_detector_bench --bundle DIR --features FILE.npy [--threshold S] [--repetitions 3]
//       A trained bundle on a real-length feature file [T, C]: every head everywhere against the
//       sparse heads (improvements.sparse_heads) at score threshold S (default: the bundle's),
//       same run; the detections at or above S must be the same.
//
// Prints the best wall time of each, ratios and the process's peak RSS after each. Not Google
// Benchmark: one run takes about a second, a handful of repetitions is the whole measurement.
#include <sys/resource.h>

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "common/allocator_tuning.h"
#include "detector/chunked_forward.h"
#include "detector/config.h"
#include "detector/model_bundle.h"
#include "detector/network.h"
#include "detector/postprocess.h"
#include "io/npy.h"

using namespace teamor::detector;

namespace {

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

struct Timing {
  double best_s = 1e30;
  int64_t padded = 0;
  std::vector<Detection> detections;
};

/// Forward (all heads, or sparse heads at @p threshold; in chunks of @p chunk steps when > 0),
/// decoding, Soft-NMS; detections >= threshold.
Timing run(Network& net, const DetectorConfig& c, const torch::Tensor& features, int reps,
           bool sparse, double threshold, int64_t chunk = 0) {
  torch::NoGradGuard g;
  Timing t;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    auto batch = pad_batch({features}, c, false);
    auto out = chunk > 0 ? forward_in_chunks(*net, batch.x, batch.mask, threshold, sparse, chunk)
               : sparse  ? net->forward_for_detection(batch.x, batch.mask, threshold)
                         : net->forward(batch.x, batch.mask);
    auto dets = to_seconds(detect_on_grid(out, 0, c), c, 0);
    std::erase_if(dets, [&](const Detection& d) { return d.score < threshold; });
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    t.best_s = std::min(t.best_s, s);
    t.padded = batch.x.size(2);
    t.detections = std::move(dets);
  }
  return t;
}

void print(const char* name, const Timing& t) {
  std::printf("%-34s T_pad %6lld  %8.3f s  %5zu detections  peak RSS %7.0f MiB\n", name,
              static_cast<long long>(t.padded), t.best_s, t.detections.size(), peak_rss_mib());
}

/// Largest difference between two detection lists (start, end, score); infinity if counts differ.
double max_difference(const std::vector<Detection>& a, const std::vector<Detection>& b) {
  if (a.size() != b.size()) return INFINITY;
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    worst = std::max({worst, std::abs(a[i].start - b[i].start), std::abs(a[i].end - b[i].end),
                      std::abs(a[i].score - b[i].score)});
  return worst;
}

int random_features(int64_t steps, int reps) {
  torch::manual_seed(7);
  auto features = torch::randn({1664, steps}) * 0.5;  // [C, T]
  std::printf("detector inference, T = %lld steps (%.1f h of video), %d threads, best of %d\n",
              static_cast<long long>(steps), steps * 32 / 30.0 / 3600.0, torch::get_num_threads(),
              reps);
  auto make = [](bool improved) {
    DetectorConfig c;
    c.improvements.reference_compat = !improved;
    c.finalize();
    torch::manual_seed(1234567891);
    Network net(c);
    net->eval();
    return std::pair{net, c};
  };
  auto [imp_net, imp_cfg] = make(true);
  const Timing imp = run(imp_net, imp_cfg, features, reps, false, 0);
  print("improved padding, all heads:", imp);
  const Timing worst = run(imp_net, imp_cfg, features, reps, true, 0);
  print("improved padding, sparse (worst):", worst);
  auto [ref_net, ref_cfg] = make(false);
  const Timing ref = run(ref_net, ref_cfg, features, reps, false, 0);
  print("reference padding:", ref);
  std::printf(
      "ratio reference / improved: %.2fx; sparse heads with every cell a candidate: %.2fx\n",
      ref.best_s / imp.best_s, worst.best_s / imp.best_s);
  return 0;
}

int trained_bundle(const std::filesystem::path& dir, const std::filesystem::path& file,
                   double threshold, int reps) {
  const ModelBundle bundle = load_bundle(dir);
  Network net = make_network(dir, bundle, 0);
  DetectorConfig c = bundle.networks[0].config;
  if (!(threshold >= 0)) threshold = bundle.score_threshold;
  const auto array = teamor::io::read_npy(file);
  if (array.shape.size() != 2) {
    std::fprintf(stderr, "%s: expected a [T, C] array\n", file.c_str());
    return 1;
  }
  auto values = array.to_float32();
  auto features =
      torch::from_blob(values.data(), {array.shape[0], array.shape[1]}, torch::kFloat32).t();
  std::printf(
      "trained bundle %s on %s: T = %lld (%.1f h), C = %lld, score threshold %.3f, "
      "%d threads, best of %d\n",
      dir.c_str(), file.filename().c_str(), static_cast<long long>(array.shape[0]),
      array.shape[0] * 32 / 30.0 / 3600.0, static_cast<long long>(array.shape[1]), threshold,
      torch::get_num_threads(), reps);
  const Timing full = run(net, c, features, reps, false, threshold);
  print("all heads everywhere:", full);
  const Timing sparse = run(net, c, features, reps, true, threshold);
  print("sparse heads:", sparse);
  const int64_t chunk = c.inference_chunk_steps();
  const Timing chunked = run(net, c, features, reps, true, threshold, chunk);
  const std::string name = "sparse heads, chunks of " + std::to_string(chunk) + ":";
  print(name.c_str(), chunked);
  const double diff = max_difference(full.detections, sparse.detections);
  const double diff_chunked = max_difference(full.detections, chunked.detections);
  std::printf(
      "speed-up %.2fx (sparse), %.2fx (sparse + chunks, as teamor runs it); detections >= "
      "threshold: %zu / %zu / %zu, largest difference %.2g / %.2g\n",
      full.best_s / sparse.best_s, full.best_s / chunked.best_s, full.detections.size(),
      sparse.detections.size(), chunked.detections.size(), diff, diff_chunked);
  return diff < 1e-3 && diff_chunked < 1e-3 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  teamor::tune_allocator_for_large_buffers();  // as the teamor command does
  std::filesystem::path bundle, features;
  double threshold = -1;
  int reps = 3;
  if (argc > 1 && std::strncmp(argv[1], "--", 2) == 0) {
    for (int i = 1; i + 1 < argc; i += 2) {
      const std::string k = argv[i], v = argv[i + 1];
      if (k == "--bundle")
        bundle = v;
      else if (k == "--features")
        features = v;
      else if (k == "--threshold")
        threshold = std::atof(v.c_str());
      else if (k == "--repetitions")
        reps = std::max(1, std::atoi(v.c_str()));
      else {
        std::fprintf(stderr, "unknown option %s\n", k.c_str());
        return 2;
      }
    }
    if (bundle.empty() || features.empty()) {
      std::fprintf(stderr, "--bundle and --features go together\n");
      return 2;
    }
    return trained_bundle(bundle, features, threshold, reps);
  }
  const int64_t steps = argc > 1 ? std::atoll(argv[1]) : 6750;
  if (argc > 2) reps = std::max(1, std::atoi(argv[2]));
  return random_features(steps, reps);
}
