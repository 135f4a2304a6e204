"""Check every model in examples/models and tests/testdata/models from its files alone.

For each NAME.tinyloc.json: the manifest has exactly the version-1 fields in order; the
checkpoint (.pt or .safetensors) loads and holds the tensors the manifest implies; the golden
inputs are synthetic (random part never equal to a real data row, when the dataset is on the data
path). No dataset is needed for the test models.

  * mlp: a generic MLP built from manifest + state dict reproduces NAME.golden.json bit for bit.
  * cnn1d, mamba, mdcsa (sequence families): the tinyloc_seq module rebuilt from manifest +
    checkpoint (strict state-dict load) reproduces outputs, emissions and tags bit for bit; a
    numpy Viterbi reproduces tags and final scores bit for bit; and an independent float64 numpy
    forward pass written step by step from docs/models.md agrees with the emissions/logits to
    ~1e-5 (relative), so the modules and the spec the compiler implements cannot drift apart.

    /usr/bin/python3 examples/training/verify_models.py [FOLDER ...]
"""

import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # keep __pycache__ out of the repository
sys.path.insert(0, str(Path(__file__).resolve().parent))
import tinyloc_common as tc  # noqa: E402
import tinyloc_seq as ts  # noqa: E402

KEYS = ["tinyloc", "name", "description", "checkpoint", "family", "architecture", "input", "output",
        "quantization"]
KOLAKOWSKI = ("ble-rss-kolakowski-2021", ["calibration_df.csv.gz", "test_robot_df.csv.gz"])
UJI = ("ujiindoorloc", ["trainingData.csv.gz", "validationData.csv.gz"])
REAL_DATA = {
    "kolakowski_mlp": KOLAKOWSKI,
    "uji_mlp": UJI,
    # windowed models: every time step of a golden window is checked against the real rows
    "kolakowski_mamba": KOLAKOWSKI,
    "kolakowski_mdcsa_l1": KOLAKOWSKI,
    "kolakowski_mdcsa_l3": KOLAKOWSKI,
    "kolakowski_cnn1d": KOLAKOWSKI,
    "uji_mamba": UJI,
    "ibeacon_mamba": ("ble-ibeacon-uci", ["iBeacon_RSSI_Labeled.csv.gz"]),
}
SEQ_FAMILIES = ("cnn1d", "mamba", "mdcsa")


def load_state_dict(path):
    if path.suffix == ".safetensors":
        return tc.load_safetensors(path)
    return torch.load(str(path), map_location="cpu")


def forward(state, layers, activation, x):
    act = tc.ACTIVATIONS[activation]
    h = x
    for i, p in enumerate(layers):
        h = F.linear(h, state[p + ".weight"], state.get(p + ".bias"))
        if i < len(layers) - 1:
            h = act(h)
    return h


def real_rows(name, spec, features):
    if name not in REAL_DATA:
        return None
    dataset, files = REAL_DATA[name]
    rows = []
    for f in files:
        path = tc.data_root() / dataset / f
        if not path.is_file():
            return None
        header, data = tc.read_csv_gz(path)
        a = tc.columns_as_float(header, data, features)
        rows.append(np.where(np.isnan(a), spec.rssi_min, a))
    return np.concatenate(rows)


def verify(manifest_path):
    man = tc.read_json(manifest_path)
    assert list(man.keys()) == KEYS, "manifest keys/order: %s" % list(man.keys())
    if man["family"] in SEQ_FAMILIES:
        return verify_seq(manifest_path, man)
    assert man["tinyloc"] == 1 and man["family"] == "mlp"
    name = man["name"]
    assert manifest_path.name == name + ".tinyloc.json"
    inp = man["input"]
    assert list(inp.keys()) == ["features", "window", "rssi_range", "missing_value", "normalisation"]
    spec = tc.RssiSpec(inp["rssi_range"][0], inp["rssi_range"][1], inp["missing_value"])
    layers = man["architecture"]["layers"]
    activation = man["architecture"]["activation"]
    state = load_state_dict(manifest_path.parent / man["checkpoint"])
    assert all(t.dtype == torch.float32 for t in state.values())
    assert state[layers[0] + ".weight"].shape[1] == len(inp["features"])
    n_out = state[layers[-1] + ".weight"].shape[0]
    out = man["output"]
    assert n_out == len(out["names"] if out["kind"] == "regression" else out["labels"])
    expected_ranges = ["input.norm"] + [n for p in layers[:-1] for n in (p, "%s.%s" % (p, activation))] + [layers[-1]]
    ranges = man["quantization"]["activation_ranges"]
    assert list(ranges.keys()) == expected_ranges, list(ranges.keys())
    assert all(lo <= 0.0 <= hi for lo, hi in ranges.values())

    gold = tc.read_json(manifest_path.parent / (name + ".golden.json"))
    assert gold["model"] == name and len(gold["inputs"]) == 34
    x = spec.normalise_torch(np.asarray(gold["inputs"], dtype=np.float32))
    with torch.no_grad():
        y = forward(state, layers, activation, x).numpy()
    want = np.asarray(gold["outputs"], dtype=np.float64).astype(np.float32)
    assert np.array_equal(y.view(np.uint32), want.view(np.uint32)), "golden outputs differ"
    assert all(float(np.float32(v)) == v for row in gold["outputs"] for v in row)

    real = real_rows(name, spec, inp["features"])
    if real is not None:
        tc.check_not_real_rows(gold["inputs"], real)
    zeros = sum(int((state[p + ".weight"] == 0).sum()) for p in layers)
    total = sum(state[p + ".weight"].numel() for p in layers)
    print("ok %-18s %-12s %2d layers, %6d weights (%d zero), golden %d x %d%s"
          % (name, manifest_path.parent.name, len(layers), total, zeros, len(gold["inputs"]),
             len(gold["inputs"][0]), "" if real is None else ", not real rows"))


# ----------------------------------------------------------------------------------------------
# Sequence families: an independent float64 numpy forward pass, step by step from docs/models.md
# ----------------------------------------------------------------------------------------------

def _np(state):
    return {k: v.detach().numpy().astype(np.float64) for k, v in state.items()}


def _silu(v):
    return v / (1.0 + np.exp(-v))


def _softmax_rows(s):
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s)
    return p / p.sum(axis=1, keepdims=True)


def _layer_norm(v, w, b, eps=1e-5):
    mu = v.mean(axis=1, keepdims=True)
    var = ((v - mu) ** 2).mean(axis=1, keepdims=True)      # biased variance
    return (v - mu) / np.sqrt(var + eps) * w + b


def _conv_time(x, w, b, stride=1, left_pad=0):
    """x [T, Cin]; w [Cout, Cin, k]: y[t] = b + sum_j w[:, :, j] x[t*stride + j] (x zero-padded left)."""
    k = w.shape[2]
    xp = np.concatenate([np.zeros((left_pad, x.shape[1])), x]) if left_pad else x
    n = (xp.shape[0] - k) // stride + 1
    return np.stack([b + sum(w[:, :, j] @ xp[t * stride + j] for j in range(k)) for t in range(n)])


def ref_cnn1d(p, man, x):
    h = x                                                    # [T, F]
    pool = man["architecture"]["pool"]
    for name in man["architecture"]["conv_layers"]:
        h = np.maximum(_conv_time(h, p[name + ".weight"], p[name + ".bias"]), 0.0)
        n = h.shape[0] // pool
        h = h[:n * pool].reshape(n, pool, -1).max(axis=1)
    flat = h.T.reshape(-1)                                   # channel-major over [C, T]
    return (p["fc.weight"] @ flat + p["fc.bias"])[None]


def ref_mamba(p, man, x):
    arch = man["architecture"]
    h_dim, n_state, k = arch["d_model"], arch["d_state"], arch["d_conv"]
    di, r = arch["expand"] * h_dim, -(-h_dim // 16)
    u = x @ p["encoder.weight"].T + p["encoder.bias"]
    t_len = u.shape[0]
    for i in range(arch["n_layers"]):
        q = "layers.%d." % i
        n = u / np.sqrt((u * u).mean(axis=1, keepdims=True) + 1e-5) * p[q + "norm.weight"]   # 1
        xz = n @ p[q + "mixer.in_proj.weight"].T                                               # 2
        xx, z = xz[:, :di], xz[:, di:]
        w, b = p[q + "mixer.conv1d.weight"], p[q + "mixer.conv1d.bias"]                        # 3
        xc = np.zeros_like(xx)
        for t in range(t_len):
            for j in range(k):
                s = t - k + 1 + j
                if s >= 0:
                    xc[t] += w[:, 0, j] * xx[s]
            xc[t] += b
        xa = _silu(xc)                                                                          # 4
        dbc = xa @ p[q + "mixer.x_proj.weight"].T                                               # 5
        dt, bm, cm = dbc[:, :r], dbc[:, r:r + n_state], dbc[:, r + n_state:]
        v = dt @ p[q + "mixer.dt_proj.weight"].T + p[q + "mixer.dt_proj.bias"]                  # 6
        delta = np.where(v > 20, v, np.log1p(np.exp(np.minimum(v, 20))))
        a = -np.exp(p[q + "mixer.A_log"])                                                      # 7
        h = np.zeros((di, n_state))                                                             # 8
        y = np.zeros((t_len, di))
        for t in range(t_len):
            h = np.exp(delta[t][:, None] * a) * h + delta[t][:, None] * bm[t][None, :] * xa[t][:, None]
            y[t] = h @ cm[t] + p[q + "mixer.D"] * xa[t]
        y = y * _silu(z)                                                                        # 9
        u = u + y @ p[q + "mixer.out_proj.weight"].T
    return u @ p["hidden2loc.weight"].T


def ref_mdcsa(p, man, x):
    arch = man["architecture"]
    hd, kernels, merge = arch["hidden"], arch["kernels"], arch["merge"]
    t_len = x.shape[0]
    e = (x @ p["rssi_encoder.weight"].T + p["rssi_encoder.bias"]) * np.sqrt(hd) + p["rssi_pe.pe"][0, :t_len]
    outs = []
    for k in kernels:
        q = "mdsca.dcsa%d." % k
        qq = np.tanh(_conv_time(e, p[q + "causal_q1.weight"], p[q + "causal_q1.bias"], left_pad=k - 1))
        kk = np.tanh(_conv_time(e, p[q + "causal_k1.weight"], p[q + "causal_k1.bias"], left_pad=k - 1))
        a = _softmax_rows(qq @ kk.T / np.sqrt(hd)) @ e
        x1 = _layer_norm(a + e, p[q + "norm1.weight"], p[q + "norm1.bias"])
        f = x1 @ p[q + "ffn.fc1.weight"].T + p[q + "ffn.fc1.bias"]
        f = np.where(f > 0, f, np.expm1(np.minimum(f, 0)))                                     # ELU
        f = f @ p[q + "ffn.fc2.weight"].T + p[q + "ffn.fc2.bias"]
        g = f @ p[q + "ffn.gate_norm.glu.fc.weight"].T + p[q + "ffn.gate_norm.glu.fc.bias"]
        glu = g[:, :hd] / (1.0 + np.exp(-g[:, hd:]))
        outs.append(_layer_norm(glu + x1, p[q + "ffn.gate_norm.add_norm.norm.weight"],
                                p[q + "ffn.gate_norm.add_norm.norm.bias"]))
    s = np.zeros((len(outs) * t_len, hd))
    for i, d in enumerate(outs):                               # s[L*t + i] = d_{k_i}[t]
        s[i::len(outs)] = d
    s2 = _softmax_rows(s @ s.T / np.sqrt(hd)) @ s
    if merge["padding"]:
        z = np.zeros((merge["padding"], hd))
        s2 = np.concatenate([z, s2, z])
    c = _conv_time(s2, p["mdsca.conv1d.weight"], p["mdsca.conv1d.bias"], stride=merge["stride"])
    c = _layer_norm(c, p["mdsca.norm.weight"], p["mdsca.norm.bias"])
    return c @ p["hidden2loc.weight"].T + p["hidden2loc.bias"]


REFERENCE = {"cnn1d": ref_cnn1d, "mamba": ref_mamba, "mdcsa": ref_mdcsa}


def verify_seq(manifest_path, man):
    name = man["name"]
    assert man["tinyloc"] == 1
    assert manifest_path.name == name + ".tinyloc.json"
    inp = man["input"]
    assert list(inp.keys()) == ["features", "window", "rssi_range", "missing_value", "normalisation"]
    assert inp["normalisation"] == "minmax"
    spec = tc.RssiSpec(inp["rssi_range"][0], inp["rssi_range"][1], inp["missing_value"])
    n_features, window = len(inp["features"]), inp["window"]
    out = man["output"]
    assert out["kind"] == "classification"
    assert list(man["quantization"].items()) == [("scheme", "dynamic")]
    state = load_state_dict(manifest_path.parent / man["checkpoint"])
    assert all(t.dtype == torch.float32 for t in state.values())
    model = ts.build_from_manifest(man, state)
    expected_keys = ["kind", "labels"] + (["decode"] if model.has_crf else [])
    assert list(out.keys()) == expected_keys, list(out.keys())

    gold = tc.read_json(manifest_path.parent / (name + ".golden.json"))
    assert gold["model"] == name and len(gold["inputs"]) == 34
    assert all(len(r) == window * n_features for r in gold["inputs"])
    ts.check_seq_golden(gold, model, spec, window, n_features)

    # independent float64 reference, straight from models.md
    p = _np(state)
    x = ts.windows_from_raw(spec, gold["inputs"], window, n_features).numpy().astype(np.float64)
    worst = 0.0
    c = len(out["labels"])
    for i in range(len(x)):
        ref = REFERENCE[man["family"]](p, man, x[i])
        got = (np.asarray(gold["emissions"][i]) if model.has_crf else np.asarray(gold["outputs"][i])).reshape(ref.shape)
        err = float(np.max(np.abs(ref - got)) / (1.0 + np.max(np.abs(ref))))
        worst = max(worst, err)
        if model.has_crf:   # final Viterbi score from the float64 emissions
            score = p["crf.start_transitions"] + ref[0]
            for t in range(1, len(ref)):
                score = (score[:, None] + p["crf.transitions"]).max(axis=0) + ref[t]
            score = score + p["crf.end_transitions"]
            got_score = np.asarray(gold["outputs"][i])
            worst = max(worst, float(np.max(np.abs(score - got_score)) / (1.0 + np.max(np.abs(score)))))
    assert worst < 2e-5, "%s: the float64 models.md reference differs by %g (relative)" % (name, worst)
    margin = ""
    if model.has_crf:   # golden tags must not sit on a near-tie another float implementation could flip
        crf = [p["crf.start_transitions"], p["crf.end_transitions"], p["crf.transitions"]]
        m = min(ts.viterbi_margin(*crf, np.asarray(e).reshape(-1, c), tg)
                for e, tg in zip(gold["emissions"], gold["tags"]))
        assert m > 1e-5, "%s: a golden Viterbi decision is a near-tie (relative margin %g)" % (name, m)
        margin = ", Viterbi margin %.1e" % m
    assert len(gold["outputs"][0]) == c

    real = real_rows(name, spec, inp["features"])
    if real is not None:
        steps = [r[t * n_features:(t + 1) * n_features] for r in gold["inputs"] for t in range(window)]
        tc.check_not_real_rows(steps, real)
    rows = "%d emission rows" % len(gold["tags"][0]) if model.has_crf else "logits"
    print("ok %-20s %-12s %-6s %6d params (%d live), window %2d x %3d, %s, golden %d, models.md ref %.1e%s%s"
          % (name, manifest_path.parent.name, man["family"], ts.count_params(model),
             ts.param_summary(model)["live"], window, n_features, rows, len(gold["inputs"]), worst, margin,
             "" if real is None else ", not real rows"))


def main():
    folders = [Path(a) for a in sys.argv[1:]] or [tc.MODELS_DIR, tc.REPO_ROOT / "tests" / "testdata" / "models"]
    manifests = sorted(m for f in folders for m in f.glob("*.tinyloc.json"))
    if not manifests:
        raise SystemExit("error: no *.tinyloc.json found")
    for m in manifests:
        verify(m)


if __name__ == "__main__":
    main()
