"""Prints the largest absolute difference per float32 tensor between two safetensors files (no numpy needed)."""
import json
import struct
import sys
from array import array


def tensors(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    header.pop("__metadata__", None)
    out = {}
    for name, t in header.items():
        if t["dtype"] == "F32":
            values = array("f")
            values.frombytes(data[t["data_offsets"][0]:t["data_offsets"][1]])
            out[name] = values
    return out


a, b = tensors(sys.argv[1]), tensors(sys.argv[2])
for name in sorted(a):
    diff = max((abs(x - y) for x, y in zip(a[name], b[name])), default=0.0)
    scale = max((abs(x) for x in a[name]), default=0.0)
    print(f"{sys.argv[1]} {name}: max |diff| {diff:.3g} (max |value| {scale:.3g})")
