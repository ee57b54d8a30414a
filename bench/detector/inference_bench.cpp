// Inference on a 2-hour surgery (T = 6750 steps of 1664-d random features) with the reference
// padding (to max_seq_len = 23040) and the improved padding (next multiple of 32), on this CPU.
// Prints wall time per configuration, their ratio and the process's peak RSS after each.
// Not Google Benchmark: one run takes seconds, a handful of repetitions is the whole measurement.
//
//   teamor_detector_bench [T=6750] [repetitions=3]
#include <sys/resource.h>

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "detector/config.h"
#include "detector/network.h"
#include "detector/postprocess.h"

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
  std::size_t detections = 0;
};

Timing run(bool improved, const torch::Tensor& features, int reps) {
  DetectorConfig c;
  c.improvements.reference_compat = !improved;
  c.finalize();
  torch::manual_seed(1234567891);
  Network net(c);
  net->eval();
  torch::NoGradGuard g;
  Timing t;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    auto batch = pad_batch({features}, c, false);
    auto out = net->forward(batch.x, batch.mask);
    auto dets = to_seconds(detect_on_grid(out, 0, c), c, 0);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    t.best_s = std::min(t.best_s, s);
    t.padded = batch.x.size(2);
    t.detections = dets.size();
  }
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t steps = argc > 1 ? std::atoll(argv[1]) : 6750;
  const int reps = argc > 2 ? std::atoi(argv[2]) : 3;
  torch::manual_seed(7);
  auto features = torch::randn({1664, steps}) * 0.5;  // [C, T]
  std::printf("detector inference, T = %lld steps (%.1f h of video), %d threads, best of %d\n",
              static_cast<long long>(steps), steps * 32 / 30.0 / 3600.0, torch::get_num_threads(),
              reps);
  const Timing imp = run(true, features, reps);
  std::printf("improved padding : T_pad %6lld  %8.3f s  %5zu detections  peak RSS %7.0f MiB\n",
              static_cast<long long>(imp.padded), imp.best_s, imp.detections, peak_rss_mib());
  const Timing ref = run(false, features, reps);
  std::printf("reference padding: T_pad %6lld  %8.3f s  %5zu detections  peak RSS %7.0f MiB\n",
              static_cast<long long>(ref.padded), ref.best_s, ref.detections, peak_rss_mib());
  std::printf("ratio reference / improved: %.2fx\n", ref.best_s / imp.best_s);
  return 0;
}
