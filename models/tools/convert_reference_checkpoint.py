#!/usr/bin/env python3
"""Convert a Team-OR reference checkpoint (epoch_XXX.pth.tar) into safetensors weights that
`teamor import-reference` reads.

Takes `state_dict_ema` (what the reference evaluates; `--key state_dict` for the raw weights),
strips the `module.` prefix that nn.DataParallel adds, checks that the 56 tensors of MAXAVG_SPEC
section 6.3 are there, and writes them as float32 safetensors. Needs torch (Debian: python3-torch);
writes the safetensors format by hand so that no `safetensors` package is needed.

    /usr/bin/python3 models/tools/convert_reference_checkpoint.py epoch_059.pth.tar weights.safetensors
"""
import argparse
import json
import struct
import sys

EXPECTED_COUNT = 56


def to_safetensors(tensors, path, metadata):
    header = {"__metadata__": metadata}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().to("cpu").float().contiguous()
        data = t.numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def convert(src, dst, key="state_dict_ema"):
    import torch  # imported here so --help works without torch

    ckpt = torch.load(src, map_location="cpu")
    if not isinstance(ckpt, dict):
        raise SystemExit(f"{src}: expected a checkpoint dict, found {type(ckpt).__name__}")
    state = ckpt.get(key, ckpt if all(hasattr(v, "shape") for v in ckpt.values()) else None)
    if state is None:
        raise SystemExit(f"{src}: no '{key}' in the checkpoint (keys: {sorted(ckpt)})")
    tensors = {}
    for name, value in state.items():
        name = name[len("module."):] if name.startswith("module.") else name
        tensors[name] = value
    if len(tensors) != EXPECTED_COUNT:
        print(f"warning: {len(tensors)} tensors, the reference MaxAvg_net has {EXPECTED_COUNT}",
              file=sys.stderr)
    meta = {"source": f"converted from {src} ({key})"}
    if "epoch" in ckpt:
        meta["epoch"] = str(ckpt["epoch"])
    to_safetensors(tensors, dst, meta)
    return len(tensors)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("checkpoint")
    p.add_argument("output")
    p.add_argument("--key", default="state_dict_ema", help="state dict to take (default: EMA)")
    a = p.parse_args()
    n = convert(a.checkpoint, a.output, a.key)
    print(f"wrote {n} tensors to {a.output}")


if __name__ == "__main__":
    main()
