#!/usr/bin/python3
"""Synthetic feature sets for measuring the detector's training (no video needed).

Writes a teamor-layout feature folder (meta.json + <id>.npy, float32 [T, C]) and an ActivityNet v1.3
ground-truth file. Each video is AR(1) noise with per-video channel offsets. A protocol (Time-out) is
a distinctive but noisy pattern in a few "signal" channels: a raised level with a ramp in and out,
plus a short oscillation burst at its start and end (so boundaries carry information). Distractors
put a weaker, shorter copy of the level pattern into the same channels, and the same pattern into
other channels, so the detector must learn which channels and what shape matter. Some videos have no
protocol at all (pure negatives, as the reference allows).

Ids end in "_view1" so that the reference split rule (ids ending in '1', sorted, first 60 % train)
applies. Only numpy is needed:

    /usr/bin/python3 scripts/make_synthetic_features.py --out /tmp/syn --videos 25 --seed 1
"""
import argparse
import json
import os

import numpy as np

STRIDE, FRAMES, FPS = 32, 32, 30.0


def grid_to_seconds(g):
    return (g * STRIDE + 0.5 * FRAMES) / FPS


def make_video(rng, length, channels, signal_channels, with_event, noise):
    x = np.zeros((length, channels), dtype=np.float64)
    # AR(1) noise with per-video offsets: slow drifts the detector must ignore.
    eps = rng.normal(0.0, noise, size=(length, channels))
    phi = 0.8
    for t in range(1, length):
        x[t] = phi * x[t - 1] + eps[t]
    x += rng.normal(0.0, 0.5, size=(1, channels))
    events = []

    def level_pattern(start, end, chans, amp):
        n = end - start
        ramp = max(2, n // 8)
        shape = np.ones(n)
        shape[:ramp] = np.linspace(0.2, 1.0, ramp)
        shape[-ramp:] = np.linspace(1.0, 0.2, ramp)
        gains = rng.uniform(0.6, 1.4, size=len(chans))
        x[start:end, chans] += amp * shape[:, None] * gains[None, :]

    if with_event:
        n = int(rng.integers(20, 80))
        start = int(rng.integers(10, length - n - 10))
        end = start + n
        level_pattern(start, end, signal_channels, 1.2)
        # Boundary bursts: 4 steps of alternating sign in half of the signal channels.
        half = signal_channels[: len(signal_channels) // 2]
        for b in (start, end - 4):
            x[b:b + 4, half] += 1.0 * np.array([1, -1, 1, -1])[:, None]
        events.append((start, end))
    # Distractors: weaker and shorter in the signal channels, full strength elsewhere.
    for _ in range(int(rng.integers(1, 4))):
        n = int(rng.integers(8, 40))
        s = int(rng.integers(0, length - n))
        if any(not (s + n < a - 5 or s > b + 5) for a, b in events):
            continue
        if rng.random() < 0.5:
            level_pattern(s, s + n, signal_channels, 0.5)
        else:
            others = rng.choice(np.setdiff1d(np.arange(channels), signal_channels),
                                size=len(signal_channels), replace=False)
            level_pattern(s, s + n, others, 1.2)
    return x.astype(np.float32), events


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output folder (features in OUT/features, truth in OUT/gt.json)")
    ap.add_argument("--videos", type=int, default=25)
    ap.add_argument("--channels", type=int, default=64)
    ap.add_argument("--signal-channels", type=int, default=8)
    ap.add_argument("--min-length", type=int, default=300, help="feature steps")
    ap.add_argument("--max-length", type=int, default=900, help="feature steps")
    ap.add_argument("--negatives", type=float, default=0.15, help="share of videos without a protocol")
    ap.add_argument("--noise", type=float, default=0.6, help="AR(1) innovation std")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    if a.videos < 2 or a.channels < 2 * a.signal_channels or a.min_length < 120 or a.max_length < a.min_length:
        ap.error("need >= 2 videos, channels >= 2 * signal channels, 120 <= min-length <= max-length")
    rng = np.random.default_rng(a.seed)
    feat_dir = os.path.join(a.out, "features")
    os.makedirs(feat_dir, exist_ok=True)
    signal = np.sort(rng.choice(a.channels, size=a.signal_channels, replace=False))
    database = {}
    for i in range(a.videos):
        vid = "s%03d_view1" % i
        length = int(rng.integers(a.min_length, a.max_length + 1))
        with_event = rng.random() >= a.negatives
        x, events = make_video(rng, length, a.channels, signal, with_event, a.noise)
        np.save(os.path.join(feat_dir, vid + ".npy"), x)
        anns = []
        for s, e in events:
            # Grid cell g is the centre of clip g; a protocol covering cells [s, e) spans their clips.
            anns.append({"segment": [round(grid_to_seconds(s - 0.5), 4), round(grid_to_seconds(e - 0.5), 4)],
                         "label": "Time-out"})
        database[vid] = {"subset": "training", "duration": round(grid_to_seconds(length - 0.5), 4),
                         "annotations": anns}
    meta = {"format": "teamor-features", "version": 1, "channels": a.channels, "feat_stride": STRIDE,
            "num_frames": FRAMES, "fps": FPS, "backend": "synthetic"}
    with open(os.path.join(feat_dir, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    with open(os.path.join(a.out, "gt.json"), "w") as f:
        json.dump({"version": "VERSION 1.3", "database": database}, f, indent=1)
    print("wrote %d videos (%d channels, signal channels %s) to %s" % (a.videos, a.channels, list(signal), a.out))


if __name__ == "__main__":
    main()
