#!/usr/bin/python3
"""Makes the checkpoint corpus for the import tests (tests/TinyLoc.Compiler.Tests/Import).

Run with Debian's interpreter, the only one that imports torch (1.13):

    /usr/bin/python3 tests/testdata/checkpoints/make_checkpoints.py

It rewrites every file in this folder and is deterministic: running it again gives the same bytes.

Good files (their tensors are listed in expected.json as names, shapes, stored element types and the
exact float32 bits PyTorch's tensor.float() gives):
  mlp_named.pt            torch.save(state_dict) of a module with fc1/fc2 Linear layers
  mlp_protocol4.pt        the same, pickled with protocol 4 (FRAME, MEMOIZE, STACK_GLOBAL, ...)
  mlp_sequential.pt       nn.Sequential (0.weight, 2.weight, ...); saved through a BytesIO, so its top
                          zip folder is 'archive', not the file's stem
  dtypes.pt               float64/float16/bfloat16/int64/int32/int16/int8/uint8/bool tensors, special
                          values, views saved as-is (transposed, sliced with an offset, expanded with stride
                          0), a 0-d and an empty tensor, and an nn.Parameter (_rebuild_parameter)
  wrapped_state_dict.pt   {"epoch": 3, "model_state_dict": ..., "optimizer_state_dict": ...}
  mlp_named.safetensors   the tensors of mlp_named.pt, written by hand (no safetensors package here)
  dtypes.safetensors      every safetensors dtype the compiler reads, a 0-d and an empty tensor

Malformed files (the C# tests assert the diagnostic each one gives):
  empty.pt, not_a_zip.pt, truncated.pt, legacy_format.pt (head only), missing_storage.pt, short_storage.pt,
  evil_global.pt, bad_opcode.pt, bad_memo.pt, whole_module.pt, not_state_dict.pt, quantized.pt,
  big_endian.pt, bad_header.safetensors, bad_header_length.safetensors,
  offsets_out_of_range.safetensors, overlapping.safetensors, size_mismatch.safetensors,
  unsupported_dtype.safetensors
"""

import collections
import io
import json
import os
import pickle
import struct
import zipfile

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def path(name):
    return os.path.join(HERE, name)


def write_bytes(name, data):
    with open(path(name), "wb") as f:
        f.write(data)


class Net(nn.Module):
    """The model of mlp_named.pt; also pickled whole (as __main__.Net) for whole_module.pt."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


# ---------------------------------------------------------------------------------------------------
# zip helpers: torch.save's layout is TOP/data.pkl, TOP/data/KEY, TOP/version (stored, not deflated)


def read_torch_zip(name):
    """Returns (top folder, [(name below the top folder, bytes)]) of a torch.save archive."""
    with zipfile.ZipFile(path(name)) as z:
        names = z.namelist()
        top = names[0].split("/", 1)[0]
        return top, [(n.split("/", 1)[1], z.read(n)) for n in names]


def write_torch_zip(name, top, entries):
    with zipfile.ZipFile(path(name), "w", compression=zipfile.ZIP_STORED) as z:
        for rel, data in entries:
            info = zipfile.ZipInfo(top + "/" + rel, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED
            z.writestr(info, data)


def stem(name):
    return os.path.splitext(name)[0]


# ---------------------------------------------------------------------------------------------------
# expected.json: exact float32 bits of every good tensor


def dtype_name(dtype):
    return {
        torch.float32: "Float32", torch.float64: "Float64", torch.float16: "Float16",
        torch.bfloat16: "BFloat16", torch.int64: "Int64", torch.int32: "Int32", torch.int16: "Int16",
        torch.int8: "Int8", torch.uint8: "UInt8", torch.bool: "Bool",
    }[dtype]


def describe(tensors):
    """[(name, tensor)] -> the JSON list: name, stored element type, shape, float32 bits as hex."""
    out = []
    for name, t in tensors:
        t = t.detach()
        as_float = t.contiguous().float().reshape(-1)
        bits = [format(b & 0xFFFFFFFF, "08x") for b in as_float.view(torch.int32).tolist()]
        out.append({"name": name, "dtype": dtype_name(t.dtype), "shape": list(t.shape), "bits": bits})
    return out


# ---------------------------------------------------------------------------------------------------
# safetensors, by hand: u64 LE header length, JSON header (padded with spaces to 8 bytes), raw data


def raw_bytes(t):
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().tobytes()


SAFETENSORS_DTYPES = {
    torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
    torch.bool: "BOOL",
}


def safetensors_bytes(header, data):
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + data


def write_safetensors(name, tensors, metadata=None):
    """Data in the given order; header members sorted by name (as the reference writer's map does),
    so header order and file order differ."""
    entries = {}
    data = b""
    for tensor_name, t in tensors:
        raw = raw_bytes(t)
        entries[tensor_name] = {
            "dtype": SAFETENSORS_DTYPES[t.dtype],
            "shape": list(t.shape),
            "data_offsets": [len(data), len(data) + len(raw)],
        }
        data += raw
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    for key in sorted(entries):
        header[key] = entries[key]
    write_bytes(name, safetensors_bytes(header, data))


# ---------------------------------------------------------------------------------------------------
# pickles by hand (protocol 2)


def global_op(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def binunicode(text):
    data = text.encode("utf-8")
    return b"X" + struct.pack("<I", len(data)) + data


PROTO2 = b"\x80\x02"
STOP = b"."


def main():
    expected = collections.OrderedDict()

    # --- good: mlp_named.pt ---------------------------------------------------------------------
    torch.manual_seed(0)
    net = Net()
    state = net.state_dict()
    torch.save(state, path("mlp_named.pt"))
    expected["mlp_named.pt"] = describe(state.items())

    # --- good: mlp_protocol4.pt (FRAME, SHORT_BINUNICODE, MEMOIZE, STACK_GLOBAL) -----------------
    torch.save(state, path("mlp_protocol4.pt"), pickle_protocol=4)
    expected["mlp_protocol4.pt"] = describe(state.items())

    # --- good: mlp_sequential.pt (top folder 'archive') -------------------------------------------
    torch.manual_seed(1)
    seq = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2))
    buffer = io.BytesIO()
    torch.save(seq.state_dict(), buffer)
    write_bytes("mlp_sequential.pt", buffer.getvalue())
    expected["mlp_sequential.pt"] = describe(seq.state_dict().items())

    # --- good: dtypes.pt ---------------------------------------------------------------------------
    base32 = torch.arange(6, dtype=torch.float32).reshape(2, 3) * 0.5 - 1.0
    base64 = torch.arange(20, dtype=torch.float64).reshape(4, 5) / 3.0
    dtypes = collections.OrderedDict()
    dtypes["f64"] = torch.tensor(
        [0.1, 1.0 / 3.0, -0.0, 1e-40, 1e39, -1e39, 3.4028235677973366e38, 1.0000000596046448,
         1.0000001788139343, float("nan"), float("inf"), -float("inf"), 2.0 ** -149, 2.0 ** -150],
        dtype=torch.float64)
    dtypes["f16"] = torch.tensor([0x0000, 0x8000, 0x0001, 0x03FF, 0x0400, 0x3C00, 0xBC00, 0x7BFF,
                                  0x7C00, 0xFC00, 0x7E00, 0x7C01, 0x3555],
                                 dtype=torch.int32).to(torch.int16).view(torch.float16)
    dtypes["bf16"] = torch.tensor([0x0000, 0x8000, 0x0001, 0x3F80, 0xC2F7, 0x7F7F, 0x7F80, 0xFF80,
                                   0x7FC0, 0x7F81],
                                  dtype=torch.int32).to(torch.int16).view(torch.bfloat16)
    dtypes["i64"] = torch.tensor([0, -1, 16777217, 2 ** 53 + 1, 2 ** 60 + 2 ** 36 + 1, 2 ** 60 + 2 ** 36,
                                  -(2 ** 60 + 2 ** 36 + 1), -(2 ** 63), 2 ** 63 - 1], dtype=torch.int64)
    dtypes["i32"] = torch.tensor([0, -7, 16777217, 2 ** 31 - 1, -(2 ** 31)], dtype=torch.int32)
    dtypes["i16"] = torch.tensor([-32768, 32767, -2], dtype=torch.int16)
    dtypes["i8"] = torch.tensor([-128, 127, -1], dtype=torch.int8)
    dtypes["u8"] = torch.tensor([0, 255, 7], dtype=torch.uint8)
    dtypes["bool"] = torch.tensor([True, False, True])
    dtypes["transposed"] = base32.t()                # stride (1, 3): gathered
    dtypes["sliced"] = base64[1:, ::2]               # offset 5, stride (5, 2), float64
    dtypes["expanded"] = torch.tensor([1.5]).expand(2, 3)  # stride (0, 0)
    dtypes["scalar"] = torch.tensor(2.5)
    dtypes["empty"] = torch.zeros(0, 3)
    dtypes["parameter"] = nn.Parameter(torch.tensor([[1.0, 2.0]]))  # _rebuild_parameter
    torch.save(dtypes, path("dtypes.pt"))
    expected["dtypes.pt"] = describe(dtypes.items())

    # --- good: wrapped_state_dict.pt ----------------------------------------------------------------
    torch.manual_seed(2)
    wrapped_net = Net()
    optimizer = torch.optim.SGD(wrapped_net.parameters(), lr=0.1, momentum=0.9)
    wrapped_net(torch.ones(1, 4)).sum().backward()
    optimizer.step()
    torch.save({"epoch": 3, "model_state_dict": wrapped_net.state_dict(),
                "optimizer_state_dict": optimizer.state_dict(), "loss": 0.25},
               path("wrapped_state_dict.pt"))
    expected["wrapped_state_dict.pt"] = describe(wrapped_net.state_dict().items())

    # --- good: safetensors --------------------------------------------------------------------------
    write_safetensors("mlp_named.safetensors", list(state.items()), metadata={"format": "pt"})
    expected["mlp_named.safetensors"] = describe(state.items())

    st_dtypes = [(k, dtypes[k]) for k in ["f64", "f16", "bf16", "i64", "i32", "i16", "i8", "u8", "bool"]]
    st_dtypes.append(("f32", base32))
    st_dtypes.append(("scalar", torch.tensor(-2.5)))
    st_dtypes.append(("empty", torch.zeros(0, 3)))
    write_safetensors("dtypes.safetensors", st_dtypes)
    expected["dtypes.safetensors"] = describe(st_dtypes)

    # --- malformed: .pt -----------------------------------------------------------------------------
    good = open(path("mlp_named.pt"), "rb").read()
    write_bytes("empty.pt", b"")
    write_bytes("not_a_zip.pt", b"this is a text file, not a PyTorch checkpoint\n")
    write_bytes("truncated.pt", good[: len(good) // 2])
    write_bytes("legacy_format.pt", legacy_head(state))

    for name in ["missing_storage.pt", "short_storage.pt", "bad_opcode.pt", "big_endian.pt"]:
        torch.save(state, path(name))
        top, entries = read_torch_zip(name)
        if name == "missing_storage.pt":
            entries = [(n, d) for n, d in entries if n != "data/0"]
        elif name == "short_storage.pt":
            entries = [(n, d[: len(d) // 2] if n == "data/0" else d) for n, d in entries]
        elif name == "bad_opcode.pt":
            # byte 2, the first opcode after PROTO, becomes NEWOBJ (0x81): it would build an arbitrary object
            entries = [(n, d[:2] + b"\x81" + d[3:] if n == "data.pkl" else d) for n, d in entries]
        else:
            entries.append(("byteorder", b"big"))
        write_torch_zip(name, top, entries)

    evil = PROTO2 + global_op("posix", "system") + b"q\x00" + binunicode("echo pwned") + b"\x85R" + STOP
    write_torch_zip("evil_global.pt", "evil_global", [("data.pkl", evil), ("version", b"3\n")])

    bad_memo = PROTO2 + b"}q\x00h\x05" + STOP  # BINGET 5 was never stored
    write_torch_zip("bad_memo.pt", "bad_memo", [("data.pkl", bad_memo), ("version", b"3\n")])

    torch.save(net, path("whole_module.pt"))
    torch.save({"epoch": 3}, path("not_state_dict.pt"))

    quantized = torch.quantization.quantize_dynamic(
        nn.Sequential(nn.Linear(4, 3)), {nn.Linear}, dtype=torch.qint8)
    torch.save(quantized.state_dict(), path("quantized.pt"))

    # --- malformed: safetensors -----------------------------------------------------------------------
    four = struct.pack("<4f", 1.0, 2.0, 3.0, 4.0)
    write_bytes("bad_header.safetensors",
                safetensors_bytes_raw(b'{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}', four))
    write_bytes("bad_header_length.safetensors", struct.pack("<Q", 1 << 40) + b'{"w":{}}' + four)
    write_bytes("offsets_out_of_range.safetensors", safetensors_bytes(
        {"w": {"dtype": "F32", "shape": [100], "data_offsets": [0, 400]}}, four))
    write_bytes("overlapping.safetensors", safetensors_bytes(
        {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
         "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}, four))
    write_bytes("size_mismatch.safetensors", safetensors_bytes(
        {"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}, four))
    write_bytes("unsupported_dtype.safetensors", safetensors_bytes(
        {"w": {"dtype": "C64", "shape": [2], "data_offsets": [0, 16]}}, four))

    write_expected(expected)


def write_expected(expected):
    """One tensor per line, so a diff shows which tensor changed."""
    comment = ("written by make_checkpoints.py: every good file's tensors in file order, values as the "
               "exact float32 bits (hex) of PyTorch's tensor.float()")
    lines = ["{", '  "comment": ' + json.dumps(comment) + ",", '  "files": {']
    files = list(expected.items())
    for i, (name, tensors) in enumerate(files):
        lines.append("    " + json.dumps(name) + ": [")
        for j, tensor in enumerate(tensors):
            lines.append("      " + json.dumps(tensor, separators=(", ", ": ")) + ("," if j + 1 < len(tensors) else ""))
        lines.append("    ]" + ("," if i + 1 < len(files) else ""))
    lines += ["  }", "}"]
    with open(path("expected.json"), "w") as f:
        f.write("\n".join(lines) + "\n")


def legacy_head(obj):
    """The start of a legacy (PyTorch < 1.6) torch.save file: its magic-number, protocol-version and
    sys_info pickles. The rest names storages by object id, which would make the file differ per run."""
    buffer = io.BytesIO()
    torch.save(obj, buffer, _use_new_zipfile_serialization=False)
    buffer.seek(0)
    for _ in range(3):
        pickle.load(buffer)
    return buffer.getvalue()[: buffer.tell()]


def safetensors_bytes_raw(header_text, data):
    """A header that is not valid JSON, padded like a real one."""
    header_text += b" " * ((8 - len(header_text) % 8) % 8)
    return struct.pack("<Q", len(header_text)) + header_text + data


if __name__ == "__main__":
    main()
