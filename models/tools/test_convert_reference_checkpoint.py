#!/usr/bin/env python3
"""Test of convert_reference_checkpoint.py on a tiny fake checkpoint (exit 77 = skipped without torch)."""
import json
import os
import struct
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import torch
except ImportError:
    print("torch not installed: skipped")
    sys.exit(77)

import convert_reference_checkpoint as conv

with tempfile.TemporaryDirectory() as d:
    src = os.path.join(d, "epoch_005.pth.tar")
    dst = os.path.join(d, "w.safetensors")
    ema = {"module.reg_head.scale.0.scale": torch.tensor(1.5),
           "module.backbone.embd.0.conv.weight": torch.arange(12, dtype=torch.float32).reshape(2, 2, 3)}
    torch.save({"epoch": 5, "state_dict": {}, "state_dict_ema": ema}, src)
    n = conv.convert(src, dst)
    assert n == 2, n
    with open(dst, "rb") as f:
        hlen = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(hlen))
        data = f.read()
    w = header["backbone.embd.0.conv.weight"]
    assert w["dtype"] == "F32" and w["shape"] == [2, 2, 3], w
    b, e = w["data_offsets"]
    values = struct.unpack("<12f", data[b:e])
    assert values == tuple(float(i) for i in range(12)), values
    s = header["reg_head.scale.0.scale"]
    assert s["shape"] == [] and struct.unpack("<f", data[s["data_offsets"][0]:s["data_offsets"][1]])[0] == 1.5
    assert header["__metadata__"]["epoch"] == "5"
    print("ok")
