#!/usr/bin/env bash
# Screenshots of teamor-viewer's main states, for the README and for checking the layout by eye.
# Runs the viewer under Xvfb on a synthetic recording with predictions and writes PNGs to
# build/screenshots/ (override: OUT=dir). Needs a build with -DTEAMOR_WITH_UI=ON (BUILD=dir,
# default build-ui, else build).
#
#   scripts/screenshots.sh            # -> build/screenshots/01-overview.png ...
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-$( [ -d build-ui ] && echo build-ui || echo build )}
OUT=${OUT:-build/screenshots}
WORK=${WORK:-$BUILD/screenshots-data}
VIEWER=$BUILD/app/viewer/teamor-viewer
TEAMOR=${TEAMOR:-$BUILD/app/teamor}
[ -x "$VIEWER" ] || { echo "missing $VIEWER: build target teamor-viewer first" >&2; exit 1; }
MAKE_REC=$BUILD/tests/ui/teamor_ui_make_recording
if [ ! -x "$TEAMOR" ] && [ ! -x "$MAKE_REC" ]; then
  echo "missing $TEAMOR (or $MAKE_REC): build target teamor or teamor_ui_make_recording" >&2
  exit 1
fi
mkdir -p "$OUT" "$WORK"

REC=$WORK/OR-demo
if [ ! -f "$REC/recording.json" ]; then
  if [ -x "$TEAMOR" ] && "$TEAMOR" synth --help | grep -q -- --time-scale; then
    "$TEAMOR" synth --out "$REC" --minutes 3 --time-scale 0.4 --seed 4 --id OR-demo --size 640x360
  else
    "$MAKE_REC" "$REC" 3 640x360
  fi
fi

# Predictions: the ground truth moved and rescored as a detector would, plus false alarms.
/usr/bin/python3 - "$REC/ground_truth.json" "$WORK/predictions.csv" <<'PY'
import json, random, sys
gt = json.load(open(sys.argv[1]))["database"]
rng = random.Random(3)
rows = ["recording,view,label,start_s,end_s,score,source,state,note"]
for rid, entry in gt.items():
    dur = entry.get("duration", 180)
    for a in entry["annotations"]:
        s, e = a["segment"]
        rows.append(f"{rid},,{a['label']},{s + rng.uniform(-4, 4):.3f},{e + rng.uniform(-4, 4):.3f},"
                    f"{rng.uniform(0.7, 0.95):.3f},prediction,proposed,")
        rows.append(f"{rid},,{a['label']},{s + 6:.3f},{s + 14:.3f},{rng.uniform(0.2, 0.4):.3f},"
                    f"prediction,proposed,")
    for i in range(3):
        s = rng.uniform(0, dur - 20)
        label = rng.choice(["Time-out", "StOP?"])
        rows.append(f"{rid},,{label},{s:.3f},{s + rng.uniform(5, 15):.3f},{rng.uniform(0.1, 0.6):.3f},"
                    f"prediction,proposed,")
open(sys.argv[2], "w").write("\n".join(rows) + "\n")
PY

# A copy of the manifest with one view replaced by a broken file (the tile must say why).
BROKEN=$WORK/OR-broken
mkdir -p "$BROKEN"
printf 'not a video' > "$BROKEN/ceiling3.mp4"
/usr/bin/python3 - "$REC/recording.json" "$BROKEN/recording.json" "$REC" <<'PY'
import json, os, sys
m = json.load(open(sys.argv[1]))
m["id"] = "OR-broken"
for v in m["views"]:
    if v["name"] != "ceiling3":
        v["path"] = os.path.abspath(os.path.join(sys.argv[3], v["path"]))
m.pop("annotations", None)
json.dump(m, open(sys.argv[2], "w"), indent=1)
PY

rm -f "$REC"/*.review.json
XDG_DATA_HOME="$WORK/xdg" XDG_CONFIG_HOME="$WORK/xdg" \
  xvfb-run -a -s "-screen 0 1600x1000x24" \
  "$VIEWER" "$REC" --predictions "$WORK/predictions.csv" --autosave 0 \
  --recovery-dir "$WORK/recovery" --screenshots "$OUT" --screenshot-broken "$BROKEN"
rm -f "$REC"/*.review.json
ls -l "$OUT"/*.png
