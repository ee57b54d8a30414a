// evaluate() and the ActivityNet reader/writer on synthetic archives (R recordings with one
// ground-truth Time-out each and P predictions per recording, as the detector's Soft-NMS emits).
// The result is checked once before timing so a fast wrong answer fails.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <stdexcept>

#include "annotations/evaluation.h"
#include "annotations/formats/activitynet.h"

namespace {

using namespace teamor::annotations;

void make(int recordings, int preds, AnnotationCollection& gt, AnnotationCollection& pred) {
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> u(0, 3600);
  for (int r = 0; r < recordings; ++r) {
    const std::string id = "or" + std::to_string(r);
    const double s = u(rng);
    gt[id].segments = {{"Time-out", s, s + 90}};
    for (int p = 0; p < preds; ++p) {
      const double a = p == 0 ? s + 5 : u(rng);
      pred[id].segments.push_back(
          {"Time-out", a, a + 60, 0.9 / (1 + p), Source::Prediction, ReviewState::Proposed});
    }
  }
}

void BM_Evaluate(benchmark::State& state) {
  AnnotationCollection gt, pred;
  make(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)), gt, pred);
  const auto check = evaluate(gt, pred, {});
  if (!(check.mAP[0] > 0.99)) throw std::runtime_error("evaluate() gave a wrong mAP");
  for (auto _ : state)
    benchmark::DoNotOptimize(evaluate(gt, pred, {}));
  state.SetItemsProcessed(state.iterations() * state.range(0) * state.range(1));
}
BENCHMARK(BM_Evaluate)->Args({10, 200})->Args({100, 200})->Args({100, 2000});

void BM_ActivityNetRoundTrip(benchmark::State& state) {
  AnnotationCollection gt, pred;
  make(static_cast<int>(state.range(0)), 200, gt, pred);
  const std::string text = write_activitynet(pred);
  if (read_activitynet(text, "bench.json").size() != pred.size())
    throw std::runtime_error("ActivityNet round trip lost recordings");
  for (auto _ : state)
    benchmark::DoNotOptimize(read_activitynet(text, "bench.json"));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_ActivityNetRoundTrip)->Arg(10)->Arg(100);

}  // namespace
