"""Golden vectors for the `dynamic` scheme: PyTorch's own quantize_dynamic, traced layer by layer.

For every model with a NAME.golden.json (examples/models and tests/testdata/models) this writes
NAME.dynamic.json beside it: the same synthetic inputs, the outputs of
torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, qint8) on the qnnpack engine (8-bit
activations; this build has no fbgemm), and per input and layer the activation scale and zero point
PyTorch chose and the int32 accumulators sum_k (x_q[k] - zp) * w_q[o, k] that its kernel computes.
The compiler's `dynamic` scheme must reproduce the scales, zero points and accumulators exactly.

    /usr/bin/python3 examples/training/make_dynamic_golden.py
"""

import sys
from collections import OrderedDict
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
import tinyloc_common as tc  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
ACT = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "silu": nn.SiLU}


def load_state(path):
    if path.suffix == ".safetensors":
        return tc.load_safetensors(path)
    return torch.load(path, map_location="cpu")


def build(man, state):
    layers = man["architecture"]["layers"]
    mods = []
    for i, p in enumerate(layers):
        w = state[p + ".weight"]
        lin = nn.Linear(w.shape[1], w.shape[0], bias=(p + ".bias") in state)
        with torch.no_grad():
            lin.weight.copy_(w)
            if lin.bias is not None:
                lin.bias.copy_(state[p + ".bias"])
        mods.append(lin)
        if i < len(layers) - 1:
            mods.append(ACT[man["architecture"]["activation"]]())
    return nn.Sequential(*mods).eval()


def checksum(q):
    flat = q.reshape(-1).to(torch.int64)
    weights = torch.arange(flat.numel(), dtype=torch.int64) % 97 + 1
    return int((flat * weights).sum())


def trace(qmodel, x):
    """Per Linear: (scale, zero point, accumulators) as the qnnpack dynamic kernel computes them."""
    rows = []
    h = x
    for m in qmodel:
        if isinstance(m, torch.ao.nn.quantized.dynamic.Linear):
            s, zp = torch._choose_qparams_per_tensor(h, False)
            xq = torch.quantize_per_tensor(h, s, zp, torch.quint8).int_repr().to(torch.int64)
            wq = m.weight().int_repr().to(torch.int64)
            acc = (xq - zp) @ wq.T
            rows.append(OrderedDict([("x_scale", float(np.float32(s))), ("x_zp", int(zp)),
                                     ("acc", [int(a) for a in acc.reshape(-1)])]))
        h = m(h)
    return rows, h


def main():
    torch.backends.quantized.engine = "qnnpack"
    for golden_path in sorted(list((REPO / "examples" / "models").glob("*.golden.json")) +
                              list((REPO / "tests" / "testdata" / "models").glob("*.golden.json"))):
        name = golden_path.name[: -len(".golden.json")]
        man = tc.read_json(golden_path.parent / (name + ".tinyloc.json"))
        if man["family"] != "mlp":
            continue  # sequence families (cnn1d, mamba, mdcsa): no dynamic traces yet
        gold = tc.read_json(golden_path)
        inp = man["input"]
        spec = tc.RssiSpec(inp["rssi_range"][0], inp["rssi_range"][1], inp["missing_value"])
        model = build(man, load_state(golden_path.parent / man["checkpoint"]))
        qmodel = torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
        layers = []
        for p, m in zip(man["architecture"]["layers"], [m for m in qmodel if not isinstance(m, tuple(ACT.values()))]):
            layers.append(OrderedDict([("name", p), ("w_scale", float(np.float32(m.weight().q_scale()))),
                                       ("w_q_checksum", checksum(m.weight().int_repr()))]))
        outputs, traces = [], []
        with torch.no_grad():
            for raw in gold["inputs"]:
                x = spec.normalise_torch(np.asarray([raw], dtype=np.float32))
                rows, y = trace(qmodel, x)
                if not torch.equal(y, qmodel(x)):
                    raise AssertionError(name + ": the layer-by-layer trace disagrees with the quantized model")
                traces.append(rows)
                outputs.append([float(np.float32(v)) for v in y.reshape(-1)])
        doc = OrderedDict([("model", name), ("torch", torch.__version__), ("engine", "qnnpack"),
                           ("reduce_range", False), ("inputs", gold["inputs"]), ("outputs", outputs),
                           ("layers", layers), ("trace", traces)])
        out = golden_path.parent / (name + ".dynamic.json")
        tc.write_json(out, doc)
        print("wrote", out.relative_to(REPO))


if __name__ == "__main__":
    main()
