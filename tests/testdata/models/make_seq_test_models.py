"""Make the tiny synthetic sequence test models in this folder (no dataset needed).

tiny_cnn1d (1-D CNN), tiny_mamba_h8l1 (Mamba + CRF, the House A shape), tiny_mdcsa_h16l1 and
tiny_mdcsa_h16l3 (MDCSA + CRF). For each: NAME.pt (state dict), NAME.tinyloc.json and
NAME.golden.json (32 synthetic raw-RSSI windows + 2 edge windows, flattened time-major; outputs =
final Viterbi scores for the CRF models, logits for the CNN; emissions and decoded tags).
Weights: the modules' fixed-seed random initialisation, every parameter perturbed with N(0, 0.1)
noise (so LayerNorm/RMSNorm gains, D, A_log etc. are not at their init values), then 300 Adam
steps on random synthetic windows against a random per-step teacher (label of step t = argmax of
x_t B, B random), so that emissions depend on the input and spread; finally N(0, 0.5) noise on the
CRF start/end/transitions, so the transitions are non-trivial and the Viterbi decode is really
exercised (the script prints how many windows change tag). Deterministic: running it again
rewrites identical files.

    /usr/bin/python3 tests/testdata/models/make_seq_test_models.py
"""

import sys
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[2]
sys.dont_write_bytecode = True  # keep __pycache__ out of the repository
sys.path.insert(0, str(REPO_ROOT / "examples" / "training"))
import tinyloc_common as tc  # noqa: E402
import tinyloc_seq as ts  # noqa: E402

WINDOW = 20


def features(prefix, n):
    return ["%s_%d" % (prefix, i) for i in range(1, n + 1)]


ROOMS4 = ["room_1", "room_2", "room_3", "room_4"]
MODELS = [
    # name, seed, factory, spec, features, labels, expected parameter count (None: no check), description
    ("tiny_cnn1d", 601,
     lambda: ts.Cnn1d(6, 5, WINDOW, channels=(8, 12), kernels=(3, 3), pool=2),
     tc.RssiSpec(-100, -30, -127), features("ap", 6), ["zone_%d" % i for i in range(1, 6)], None,
     "synthetic test model: 1-D CNN, window 20 x 6 -> conv1 (8, k3) -> pool 2 -> conv2 (12, k3) "
     "-> pool 2 -> fc -> 5 classes"),
    ("tiny_mamba_h8l1", 602,
     lambda: ts.Mamba(8, 4, d_model=8, n_layers=1),
     tc.RssiSpec(-100, -40, -120), features("beacon", 8), ROOMS4, 1432,
     "synthetic test model: Mamba H8 L1 + CRF, House A shape (8 beacons, 4 rooms), window 20"),
    ("tiny_mdcsa_h16l1", 603,
     lambda: ts.Mdcsa(8, 4, hidden=16, kernels=[1]),
     tc.RssiSpec(-100, -40, -120), features("beacon", 8), ROOMS4, 10588,
     "synthetic test model: MDCSA H16 L1 (kernel 1) + CRF, House A shape, window 20 -> 6 emission rows"),
    ("tiny_mdcsa_h16l3", 604,
     lambda: ts.Mdcsa(8, 4, hidden=16, kernels=[1, 4, 7]),
     tc.RssiSpec(-95, -35, None), features("beacon", 8), ROOMS4, 38876,
     "synthetic test model: MDCSA H16 L3 (kernels 1, 4, 7) + CRF, House A shape, window 20"),
]


FIT_STEPS = 300
FIT_BATCH = 32
FIT_WINDOWS = 1024


def fit_briefly(model, spec, n_features, n_classes, seed):
    """300 Adam steps on random synthetic windows against a random per-step teacher."""
    rng = np.random.default_rng(seed)
    raw = tc.synthetic_inputs(spec, WINDOW * n_features, seed, FIT_WINDOWS)
    x = ts.windows_from_raw(spec, raw, WINDOW, n_features)
    b = torch.from_numpy(rng.normal(size=(n_features, n_classes)).astype(np.float32))
    steps = (x @ b).argmax(dim=2).numpy()                  # [N, T] teacher labels
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    gen = torch.Generator().manual_seed(seed)
    if model.has_crf:
        tags = torch.from_numpy(ts.row_labels(steps, model.out_steps(WINDOW)).astype(np.int64))
    else:
        y = torch.from_numpy(steps[:, -1].astype(np.int64))
    model.train()
    for _ in range(FIT_STEPS):
        idx = torch.randint(len(x), (FIT_BATCH,), generator=gen)
        opt.zero_grad()
        if model.has_crf:
            loss = model.crf.nll(model.emissions(x[idx]), tags[idx])
        else:
            loss = torch.nn.functional.cross_entropy(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
    return model.eval()


def make(name, seed, factory, spec, feats, labels, expected, description, out_dir):
    tc.set_determinism(seed, threads=1)
    model = fit_briefly(ts.perturb(factory(), seed + 1, scale=0.1, head_gain=1.0, crf_std=None),
                        spec, len(feats), len(labels), seed + 3)
    ts.perturb(model, seed + 4, scale=0.0, head_gain=1.0, crf_std=0.5).eval()
    if expected is not None:
        n = ts.count_params(model)
        assert n == expected, "%s: %d parameters, expected %d" % (name, n, expected)
    ckpt = out_dir / (name + ".pt")
    tc.save_pt(model, ckpt)
    man = ts.seq_manifest(name, description, ckpt.name, model, spec, feats, WINDOW, labels)
    tc.write_json(out_dir / (name + ".tinyloc.json"), man)
    reloaded = ts.build_from_manifest(tc.read_json(out_dir / (name + ".tinyloc.json")),
                                      torch.load(str(ckpt), map_location="cpu"))
    gin = tc.golden_inputs(spec, WINDOW * len(feats), seed + 2)
    golden_path = out_dir / (name + ".golden.json")
    doc = ts.seq_golden(name, reloaded, spec, gin, WINDOW, len(feats))
    tc.write_json(golden_path, doc)
    ts.check_seq_golden(tc.read_json(golden_path), reloaded, spec, WINDOW, len(feats))
    out = np.asarray(doc["outputs"])
    summary = "outputs in [%.2f, %.2f]" % (out.min(), out.max())
    if "tags" in doc:
        em = np.asarray(doc["emissions"])
        tags = np.asarray(doc["tags"])
        summary += ", emissions std %.2f, %d distinct last tags, %d windows with a tag change" % (
            em.std(), len(set(tags[:, -1].tolist())), int((tags[:, 1:] != tags[:, :-1]).any(axis=1).sum()))
    return ckpt, ts.count_params(model), summary


def main():
    for entry in MODELS:
        ckpt, n, summary = make(*entry, out_dir=HERE)
        print("wrote %s (+ .tinyloc.json, .golden.json): %d parameters; %s"
              % (ckpt.relative_to(REPO_ROOT), n, summary))


if __name__ == "__main__":
    main()
