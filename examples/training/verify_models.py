"""Check every model in examples/models and tests/testdata/models from its files alone.

For each NAME.tinyloc.json: the manifest has exactly the version-1 fields in order; the
checkpoint (.pt or .safetensors) loads and holds the Linear tensors the manifest names; a
generic MLP built from manifest + state dict reproduces NAME.golden.json bit for bit
(float32); the golden inputs are synthetic (random part never equal to a real data row, when
the dataset is on the data path). No dataset is needed for the test models.

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

KEYS = ["tinyloc", "name", "description", "checkpoint", "family", "architecture", "input", "output",
        "quantization"]
REAL_DATA = {
    "kolakowski_mlp": ("ble-rss-kolakowski-2021", ["calibration_df.csv.gz", "test_robot_df.csv.gz"]),
    "uji_mlp": ("ujiindoorloc", ["trainingData.csv.gz", "validationData.csv.gz"]),
}


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


def main():
    folders = [Path(a) for a in sys.argv[1:]] or [tc.MODELS_DIR, tc.REPO_ROOT / "tests" / "testdata" / "models"]
    manifests = sorted(m for f in folders for m in f.glob("*.tinyloc.json"))
    if not manifests:
        raise SystemExit("error: no *.tinyloc.json found")
    for m in manifests:
        verify(m)


if __name__ == "__main__":
    main()
