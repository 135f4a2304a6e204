"""Golden vectors for the `dynamic` scheme: PyTorch's own quantize_dynamic, traced layer by layer.

For every MLP with a NAME.golden.json (examples/models and tests/testdata/models) and for the four
tiny sequence test models (tests/testdata/models: tiny_cnn1d, tiny_mamba_h8l1, tiny_mdcsa_h16l1,
tiny_mdcsa_h16l3) this writes NAME.dynamic.json beside it: the same synthetic inputs (MLPs: all of
them; sequence models: the first 8 windows), the outputs of
torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, qint8) on the qnnpack engine (8-bit
activations; this build has no fbgemm), and per input and layer the activation scale and zero point
PyTorch chose and the int32 accumulators sum_k (x_q[k] - zp) * w_q[o, k] that its kernel computes.
The compiler's `dynamic` scheme must reproduce the scales, zero points and accumulators exactly.

Sequence models: `layers` lists every nn.Linear the forward pass calls, in call order, named by its
state-dict prefix (MDCSA: the live branch modules only; the dead ffn.context is never called).
Each call's input is the whole [T, In] tensor the Linear receives (one scale and zero point per
call, over the whole window), recorded with forward pre-hooks on the quantized modules; `acc` is
the flattened [T, Out] accumulator matrix, acc[t*Out + o]. cnn1d's only Linear is `fc`, whose input
is the channel-major flattened conv output (one row). Outputs: the final Viterbi score vector for
CRF models (decode 'last'), logits for cnn1d. Every trace is checked against the quantized
module's own output: float32(acc) * (x_scale * w_scale) + bias, in float32, must agree within
1e-5 relative (in this build it agrees bit for bit; the script prints the count).

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
import tinyloc_seq as ts  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
ACT = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "silu": nn.SiLU}
SEQ_MODELS = ["tiny_cnn1d", "tiny_mamba_h8l1", "tiny_mdcsa_h16l1", "tiny_mdcsa_h16l3"]  # tests/testdata/models
SEQ_INPUTS = 8          # golden windows traced per sequence model (the traces are [T, Out] per layer)
SEQ_REL_TOL = 1e-5      # acc * x_scale * w_scale + bias vs the quantized module's output, relative


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


def seq_trace(qmodel, x):
    """One window x [1, T, F] through the quantized sequence model: (layer names in call order,
    rows {x_scale, x_zp, acc} per call, output [C], worst relative deviation of the accumulator
    reconstruction from each module's own output, number of calls it reproduces bit for bit)."""
    qlinear = torch.ao.nn.quantized.dynamic.Linear
    calls = []
    handles = []
    for name, m in qmodel.named_modules():
        if isinstance(m, qlinear):
            def pre(mod, args, name=name):
                calls.append([name, mod, args[0].detach().clone(), None])

            def post(mod, args, out):
                assert calls[-1][1] is mod and calls[-1][3] is None
                calls[-1][3] = out.detach().clone()
            handles.append(m.register_forward_pre_hook(pre))
            handles.append(m.register_forward_hook(post))
    try:
        out, _, _ = ts.run_model(qmodel, x)
    finally:
        for h in handles:
            h.remove()
    names, rows, worst, exact = [], [], 0.0, 0
    for name, m, h, y in calls:
        h2 = h.reshape(-1, h.shape[-1])                       # the whole [T, In] input of this call
        s, zp = torch._choose_qparams_per_tensor(h2, False)
        xq = torch.quantize_per_tensor(h2, s, zp, torch.quint8).int_repr().numpy().astype(np.int64)
        wq = m.weight().int_repr().numpy().astype(np.int64)
        acc = (xq - zp) @ wq.T                                # [T, Out], int64
        assert np.abs(acc).max() < 2 ** 31
        # float32, the kernel's order: float(acc) * (x_scale * w_scale) + bias
        ref = acc.astype(np.float32) * np.float32(np.float32(s) * np.float32(m.weight().q_scale()))
        b = m.bias()
        if b is not None:
            ref = ref + b.detach().numpy()
        got = y.reshape(-1, y.shape[-1]).numpy()
        assert got.shape == ref.shape and got.dtype == ref.dtype == np.float32
        r64 = ref.astype(np.float64)
        dev = float(np.max(np.abs(got.astype(np.float64) - r64) / (1.0 + np.abs(r64))))
        if dev > SEQ_REL_TOL:
            raise AssertionError("%s: acc * x_scale * w_scale + bias differs from the module output by %g"
                                 % (name, dev))
        worst = max(worst, dev)
        exact += int(np.array_equal(got.view(np.uint32), ref.view(np.uint32)))
        names.append(name)
        rows.append(OrderedDict([("x_scale", float(np.float32(s))), ("x_zp", int(zp)),
                                 ("acc", [int(a) for a in acc.reshape(-1)])]))
    return names, rows, out.reshape(-1), worst, exact


def seq_dynamic(golden_path, name):
    man = tc.read_json(golden_path.parent / (name + ".tinyloc.json"))
    gold = tc.read_json(golden_path)
    inp = man["input"]
    spec = tc.RssiSpec(inp["rssi_range"][0], inp["rssi_range"][1], inp["missing_value"])
    n_features, window = len(inp["features"]), inp["window"]
    model = ts.build_from_manifest(man, load_state(golden_path.parent / man["checkpoint"]))
    qmodel = torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8).eval()
    mods = dict(qmodel.named_modules())
    raw_inputs = gold["inputs"][:SEQ_INPUTS]
    order, outputs, traces, worst, exact = None, [], [], 0.0, 0
    with torch.no_grad():
        for raw in raw_inputs:
            x = ts.windows_from_raw(spec, [raw], window, n_features)
            names, rows, y, dev, n_exact = seq_trace(qmodel, x)
            if order is None:
                order = names
            elif names != order:
                raise AssertionError(name + ": the Linear call order changed between inputs")
            if len(set(names)) != len(names):
                raise AssertionError(name + ": a Linear is called more than once per window")
            ref, _, _ = ts.run_model(qmodel, x)
            if not torch.equal(ref.reshape(-1), y):
                raise AssertionError(name + ": the hooked run disagrees with the quantized model")
            worst = max(worst, dev)
            exact += n_exact
            traces.append(rows)
            outputs.append([float(np.float32(v)) for v in y])
    dead = set(ts.Mdcsa.dead_tensor_names(model)) if isinstance(model, ts.Mdcsa) else set()
    assert not any(n + ".weight" in dead for n in order), order
    layers = [OrderedDict([("name", n), ("w_scale", float(np.float32(mods[n].weight().q_scale()))),
                           ("w_q_checksum", checksum(mods[n].weight().int_repr()))]) for n in order]
    doc = OrderedDict([("model", name), ("torch", torch.__version__), ("engine", "qnnpack"),
                       ("reduce_range", False), ("inputs", raw_inputs), ("outputs", outputs),
                       ("layers", layers), ("trace", traces)])
    out = golden_path.parent / (name + ".dynamic.json")
    tc.write_json(out, doc)
    print("wrote %s: %d layers (%s), %d inputs; acc * x_scale * w_scale + bias reproduces the module output "
          "in %d of %d calls bit for bit (worst relative %.1e)"
          % (out.relative_to(REPO), len(order), ", ".join(order), len(raw_inputs), exact,
             len(order) * len(raw_inputs), worst))


def main():
    torch.set_num_threads(1)
    torch.backends.quantized.engine = "qnnpack"
    for golden_path in sorted(list((REPO / "examples" / "models").glob("*.golden.json")) +
                              list((REPO / "tests" / "testdata" / "models").glob("*.golden.json"))):
        name = golden_path.name[: -len(".golden.json")]
        man = tc.read_json(golden_path.parent / (name + ".tinyloc.json"))
        if man["family"] != "mlp":
            if name in SEQ_MODELS and golden_path.parent == REPO / "tests" / "testdata" / "models":
                seq_dynamic(golden_path, name)
            continue  # the example sequence models (examples/models): no dynamic traces
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
