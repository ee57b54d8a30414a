#!/bin/sh
# Inference on a 2-hour surgery with a *trained* network at the paper's size (1664-d input, 512-wide),
# where the sparse heads matter: an untrained network scores every cell as a candidate.
#   bench/detector/trained_inference.sh BUILD_DIR [WORK_DIR] [THRESHOLD]
# Makes synthetic 1664-channel feature sets (scripts/make_synthetic_features.py: 24 short training
# videos, and one of 6750 steps with the same signal channels), trains 20 epochs with `teamor train`
# (about 2 minutes on 2 cores; skipped when WORK/bundle exists), then runs teamor_detector_bench on
# the long sequence: all heads vs sparse heads vs sparse heads in chunks, same run.
set -eu
BUILD="${1:-build}"
WORK="${2:-/tmp/teamor_trained_inference}"
THRESHOLD="${3:-0.3}"
HERE="$(cd "$(dirname "$0")/../.." && pwd)"
mkdir -p "$WORK"
[ -d "$WORK/train" ] || /usr/bin/python3 "$HERE/scripts/make_synthetic_features.py" --out "$WORK/train" \
  --videos 24 --channels 1664 --min-length 200 --max-length 480 --seed 11 >/dev/null
# Same seed: the same signal channels; the first video is 6750 steps (2 hours) with one protocol.
[ -d "$WORK/long" ] || /usr/bin/python3 "$HERE/scripts/make_synthetic_features.py" --out "$WORK/long" \
  --videos 2 --channels 1664 --min-length 6750 --max-length 6750 --seed 11 --negatives 0 >/dev/null
cat > "$WORK/config.json" <<'JSON'
{"dataset": {"input_dim": 1664, "max_seq_len": 512},
 "opt": {"learning_rate": 0.001, "warmup_epochs": 3, "epochs": 17},
 "improvements": {"reference_compat": false}}
JSON
[ -f "$WORK/bundle/model.json" ] || "$BUILD/app/teamor" --quiet train --features "$WORK/train/features" \
  --annotations "$WORK/train/gt.json" --protocol timeout --out "$WORK/bundle" \
  --config "$WORK/config.json" --epochs 20 --seed 1 >/dev/null
"$BUILD/bench/detector/teamor_detector_bench" --bundle "$WORK/bundle" \
  --features "$WORK/long/features/s000_view1.npy" --threshold "$THRESHOLD" --repetitions 3
