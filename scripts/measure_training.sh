#!/bin/sh
# Reference-compatible training vs the improved switches on held-out synthetic feature sets:
# for each seed, generate a feature set (scripts/make_synthetic_features.py), train both configs with
# `teamor train` (reference split rule: 60 % train, 40 % held out) and read the held-out mAP at tIoU
# 0.1..0.5 from BUNDLE/evaluation.json. Prints one line per run and the mean over seeds.
#   scripts/measure_training.sh BUILD_DIR [WORK_DIR] [SEEDS...]
#   MODES="reference padding_only clip_only schedule_only improved" scripts/measure_training.sh ...
# Each mode trains scripts/synthetic_train_<mode>.json (default modes: reference improved).
set -eu
BUILD="${1:-build}"
WORK="${2:-/tmp/teamor_measure_training}"
shift 2 2>/dev/null || shift $#
SEEDS="${*:-1 2 3}"
MODES="${MODES:-reference improved}"
HERE="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$WORK"
for seed in $SEEDS; do
  [ -d "$WORK/data$seed" ] || /usr/bin/python3 "$HERE/make_synthetic_features.py" --out "$WORK/data$seed" --seed "$seed" \
    --videos 20 --min-length 200 --max-length 480 >/dev/null
  for mode in $MODES; do
    out="$WORK/bundle_${mode}_$seed"
    rm -rf "$out"
    start=$(date +%s)
    "$BUILD/app/teamor" --quiet train --features "$WORK/data$seed/features" --annotations "$WORK/data$seed/gt.json" \
      --protocol timeout --out "$out" --config "$HERE/synthetic_train_$mode.json" --seed "$seed" >/dev/null
    echo "$seed $mode $(( $(date +%s) - start ))" >> "$WORK/times.txt"
  done
done
/usr/bin/python3 - "$WORK" "$MODES" $SEEDS <<'PY'
import json, sys
work, modes, seeds = sys.argv[1], sys.argv[2].split(), sys.argv[3:]
res = {}
print("seed  mode           mAP@0.1  @0.2    @0.3    @0.4    @0.5    avg")
for s in seeds:
    for m in modes:
        r = json.load(open("%s/bundle_%s_%s/evaluation.json" % (work, m, s)))
        res.setdefault(m, []).append(r["average_mAP"])
        print("%-5s %-14s " % (s, m) + " ".join("%.4f " % v for v in r["mAP"]) + " %.4f" % r["average_mAP"])
for m, v in res.items():
    print("mean over %d seeds, %-14s average mAP %.4f" % (len(v), m, sum(v) / len(v)))
PY
