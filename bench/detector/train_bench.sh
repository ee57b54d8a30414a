#!/bin/sh
# Training epoch time and peak memory on 20 two-hour surgeries (T ~ 6750 x 1664), reference padding
# (23040) vs improved padding (the batch's own length), and their ratio. Each mode runs in its own
# process so that its peak RSS is its own.
#   bench/detector/train_bench.sh BUILD_DIR [ITERATIONS]
set -eu
BIN="${1:-build}/bench/detector/teamor_train_bench"
IT="${2:-1}"
ref=$("$BIN" --padding reference --iterations "$IT")
imp=$("$BIN" --padding improved --iterations "$IT")
echo "$ref"
echo "$imp"
/usr/bin/python3 - "$ref" "$imp" <<'PY'
import json, sys
r, i = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print("epoch (20 videos, 10 iterations): reference %.1f s (T_pad %d, peak %d MiB), improved %.1f s "
      "(T_pad <= %d, peak %d MiB); speed-up x%.2f, memory ratio x%.2f" % (
      r["seconds_per_epoch"], r["t_pad_max"], r["peak_rss_mib"], i["seconds_per_epoch"], i["t_pad_max"],
      i["peak_rss_mib"], r["seconds_per_epoch"] / i["seconds_per_epoch"], r["peak_rss_mib"] / i["peak_rss_mib"]))
PY
