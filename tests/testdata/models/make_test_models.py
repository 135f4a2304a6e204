"""Make the tiny synthetic MLP test models in this folder (no dataset needed).

For each model: the checkpoint (.pt, or .safetensors for tiny_silu_reg), NAME.tinyloc.json
(activation ranges over 512 synthetic random inputs) and NAME.golden.json (32 synthetic inputs
+ 2 edge vectors, float32 PyTorch outputs). Random weights with fixed seeds, then 300 Adam steps
on random synthetic inputs against a random teacher (so outputs spread over a useful range);
tiny_sparse_reg is zeroed after that. Deterministic: running it again rewrites identical files.

    /usr/bin/python3 tests/testdata/models/make_test_models.py
"""

import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[2]
sys.dont_write_bytecode = True  # keep __pycache__ out of the repository
sys.path.insert(0, str(REPO_ROOT / "examples" / "training"))
import tinyloc_common as tc  # noqa: E402

RANGE_INPUTS = 512
FIT_STEPS = 300
FIT_BATCH = 64


class TinyReluReg(nn.Module):
    """fc1..fc3: 5 -> 8 -> 8 -> 2, ReLU."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(5, 8)
        self.fc2 = nn.Linear(8, 8)
        self.fc3 = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))


class TinySigmoidCls(nn.Module):
    """hidden, out: 4 -> 6 -> 3 classes, sigmoid."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(4, 6)
        self.out = nn.Linear(6, 3)

    def forward(self, x):
        return self.out(torch.sigmoid(self.hidden(x)))


def tanh_cls():
    return nn.Sequential(nn.Linear(7, 12), nn.Tanh(), nn.Linear(12, 4))


def silu_reg():
    return nn.Sequential(nn.Linear(6, 10), nn.SiLU(), nn.Linear(10, 10), nn.SiLU(), nn.Linear(10, 2))


def fit_briefly(model, spec, n_features, output, seed):
    """A few Adam steps on random synthetic inputs against a fixed random teacher:
    regression targets = 3 * tanh(x A), classes = argmax(x B)."""
    rng = np.random.default_rng(seed)
    x = spec.normalise_torch(tc.synthetic_inputs(spec, n_features, seed, FIT_STEPS * FIT_BATCH // 8))
    if output["kind"] == "regression":
        a = torch.from_numpy(rng.normal(size=(n_features, len(output["names"]))).astype(np.float32))
        y = 3.0 * torch.tanh(x @ a)
        loss_fn = nn.MSELoss()
    else:
        b = torch.from_numpy(rng.normal(size=(n_features, len(output["labels"]))).astype(np.float32))
        y = (x @ b).argmax(dim=1)
        loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    gen = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(FIT_STEPS):
        idx = torch.randint(len(x), (FIT_BATCH,), generator=gen)
        opt.zero_grad()
        loss_fn(model(x[idx]), y[idx]).backward()
        opt.step()
    return model.eval()


def sparsify(model, seed, fraction=0.5):
    """Set about `fraction` of every weight matrix to exactly zero (biases untouched), keeping
    at least one non-zero weight per output row."""
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Linear):
                w = m.weight.numpy()
                mask = rng.random(w.shape) < fraction
                for r in range(w.shape[0]):
                    if mask[r].all():
                        mask[r, rng.integers(w.shape[1])] = False
                w[mask] = 0.0
    return model


def features(prefix, n):
    return ["%s_%d" % (prefix, i) for i in range(1, n + 1)]


MODELS = [
    # name, seed, factory, layers, activation, spec, features, output, format, description
    ("tiny_relu_reg", 101, TinyReluReg, ["fc1", "fc2", "fc3"], "relu",
     tc.RssiSpec(-100, -30, -127), features("ap", 5), tc.regression_output(["x", "y"]), "pt",
     "synthetic test model: named layers fc1..fc3, 5 -> 8 -> 8 -> 2 regression, relu"),
    ("tiny_tanh_cls", 202, tanh_cls, ["0", "2"], "tanh",
     tc.RssiSpec(-95, -35, None), features("beacon", 7),
     tc.classification_output(["room_a", "room_b", "room_c", "room_d"]), "pt",
     "synthetic test model: nn.Sequential, 7 -> 12 -> 4 classes, tanh"),
    ("tiny_sigmoid_cls", 303, TinySigmoidCls, ["hidden", "out"], "sigmoid",
     tc.RssiSpec(-90, -40, -127), features("ap", 4),
     tc.classification_output(["zone_1", "zone_2", "zone_3"]), "pt",
     "synthetic test model: named layers hidden, out, 4 -> 6 -> 3 classes, sigmoid"),
    ("tiny_silu_reg", 404, silu_reg, ["0", "2", "4"], "silu",
     tc.RssiSpec(-100, -30, None), features("ap", 6), tc.regression_output(["x", "y"]), "safetensors",
     "synthetic test model: nn.Sequential, 6 -> 10 -> 10 -> 2 regression, silu, safetensors"),
    ("tiny_sparse_reg", 505, TinyReluReg, ["fc1", "fc2", "fc3"], "relu",
     tc.RssiSpec(-100, -30, -127), features("ap", 5), tc.regression_output(["x", "y"]), "pt",
     "synthetic test model: like tiny_relu_reg with about half of the weights exactly zero"),
]


def save(model, path, fmt):
    if fmt == "pt":
        tc.save_pt(model, path)
    else:
        tc.save_safetensors(tc.float32_state_dict(model), path)


def load(factory, path, fmt):
    model = factory()
    if fmt == "pt":
        return tc.load_pt(model, path).eval()
    model.load_state_dict(tc.load_safetensors(path))
    return model.eval()


def make(name, seed, factory, layers, activation, spec, feats, output, fmt, description, out_dir):
    tc.set_determinism(seed)
    trained = fit_briefly(factory(), spec, len(feats), output, seed + 3)
    if name == "tiny_sparse_reg":
        sparsify(trained, seed + 4)
    ckpt = out_dir / ("%s.%s" % (name, fmt))
    save(trained, ckpt, fmt)
    model = load(factory, ckpt, fmt)
    want = tc.float32_state_dict(trained)
    for k, v in tc.float32_state_dict(model).items():
        assert torch.equal(v, want[k]), "checkpoint round trip changed " + k

    calib = spec.normalise_torch(tc.synthetic_inputs(spec, len(feats), seed + 1, RANGE_INPUTS))
    ranges = tc.activation_ranges(model, layers, activation, calib)
    tc.write_json(out_dir / (name + ".tinyloc.json"),
                  tc.manifest(name, description, ckpt.name, layers, activation, spec, feats, output, ranges))

    gin = tc.golden_inputs(spec, len(feats), seed + 2)
    golden_path = out_dir / (name + ".golden.json")
    tc.write_json(golden_path, tc.golden(name, model, spec, gin))
    tc.check_golden(tc.read_json(golden_path), load(factory, ckpt, fmt), spec)
    return ckpt


def main():
    out_dir = HERE
    for entry in MODELS:
        ckpt = make(*entry, out_dir=out_dir)
        print("wrote %s (+ .tinyloc.json, .golden.json)" % ckpt.relative_to(REPO_ROOT))


if __name__ == "__main__":
    main()
