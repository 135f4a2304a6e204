"""Train `uji_mamba`: Mamba H8 L1 + CRF on unwindowed UJIIndoorLoc fingerprints (window 1).

520 WAPs (100 = not detected) -> encoder 8 -> one Mamba block -> hidden2loc 13 -> CRF over the
single step (the paper runs its sequence models on UJIIndoorLoc without windowing: the scans are
irregularly sampled). Classes, split and normalisation exactly as uji_mlp: labels
"B{BUILDINGID}F{FLOOR}" (13), a fixed 75 % of trainingData.csv.gz for training (25 % validation,
early stopping on macro-F1), the whole validationData.csv.gz as the test set.

Writes examples/models/uji_mamba.{pt,tinyloc.json,golden.json,metrics.json}.

    /usr/bin/python3 examples/training/train_uji_seq.py [--data DIR] [--out DIR]
"""

import sys
from collections import OrderedDict
from pathlib import Path

import numpy as np
import torch

sys.dont_write_bytecode = True  # keep __pycache__ out of the repository
sys.path.insert(0, str(Path(__file__).resolve().parent))
import tinyloc_common as tc  # noqa: E402
import tinyloc_seq as ts  # noqa: E402
import train_uji_mlp as uji  # noqa: E402  (FEATURES, SPEC, the split, load())

NAME = "uji_mamba"
SEED = 20140102
GOLDEN_SEED = 52002
LR = 3e-3
BATCH = 64
MAX_EPOCHS = 40
PATIENCE = 8


def main():
    args, out = tc.training_args(__doc__, lambda p: p.add_argument("--verbose", action="store_true", help="print every epoch"))

    tc.set_determinism(SEED, threads=1)
    all_waps, all_bf = uji.load("trainingData.csv.gz")
    test_waps, test_bf = uji.load("validationData.csv.gz")
    classes = sorted(set(all_bf))
    labels = ["B%dF%d" % c for c in classes]
    index = {c: i for i, c in enumerate(classes)}
    if len(classes) != 13 or not set(test_bf) <= set(classes):
        raise SystemExit("error: expected the 13 building x floor classes of UJIIndoorLoc")
    y_all = np.array([index[c] for c in all_bf])
    y_test = np.array([index[c] for c in test_bf])
    perm = np.random.default_rng(uji.SPLIT_SEED).permutation(len(y_all))
    n_train = int(round(uji.TRAIN_FRACTION * len(y_all)))
    train_idx, val_idx = np.sort(perm[:n_train]), np.sort(perm[n_train:])

    spec, feats = uji.SPEC, uji.FEATURES

    def prepare(waps):
        return spec.normalise_torch(waps)[:, None, :]           # [N, 1, 520]

    x_tr, x_va, x_te = prepare(all_waps[train_idx]), prepare(all_waps[val_idx]), prepare(test_waps)
    s_tr, s_va, s_te = y_all[train_idx][:, None], y_all[val_idx][:, None], y_test[:, None]

    model = ts.Mamba(len(feats), len(labels), d_model=8, n_layers=1)
    best, epochs, seconds = ts.fit(model, x_tr, s_tr, x_va, s_va, len(labels), SEED, lr=LR, batch=BATCH,
                                   max_epochs=MAX_EPOCHS, patience=PATIENCE,
                                   log=print if args.verbose else None)
    model.load_state_dict(best)
    model = ts.export(model.eval(), out, NAME,
                      "Mamba H8 L1 + CRF on one UJIIndoorLoc scan (window 1): 520 Wi-Fi RSSI "
                      "(100 = not detected) -> 13 building x floor classes; output = final Viterbi scores",
                      spec, feats, 1, labels, GOLDEN_SEED, np.concatenate([all_waps, test_waps]))

    test = ts.evaluate(model, x_te, s_te, len(labels))
    pred, _ = ts.predict_last(model, x_te)
    test["building_accuracy"] = tc.rounded(tc.accuracy([classes[i][0] for i in y_test],
                                                       [classes[i][0] for i in pred]))
    test["file"] = "validationData.csv.gz"
    missing = all_waps[train_idx] == spec.missing_value
    metrics = OrderedDict([
        ("model", NAME),
        ("dataset", uji.DATASET),
        ("torch", torch.__version__),
        ("seed", SEED),
        ("split", "trainingData.csv.gz: fixed 75/25 train/validation (row permutation, seed %d, as uji_mlp); "
                  "test = validationData.csv.gz (whole file, held out); window 1 (no windowing)" % uji.SPLIT_SEED),
        ("samples", OrderedDict([("train", len(train_idx)), ("validation", len(val_idx)), ("test", len(y_test)),
                                 ("unit", "single scans (window 1)")])),
        ("classes", labels),
        ("parameters", ts.param_summary(model)),
        ("epochs", epochs),
        ("training_seconds", seconds),
        ("data", OrderedDict([
            ("rssi_range", [spec.rssi_min, spec.rssi_max]),
            ("missing_value", spec.missing_value),
            ("missing_fraction_train", tc.rounded(float(missing.mean()), 4)),
            ("missing_fraction_test", tc.rounded(float((test_waps == spec.missing_value).mean()), 4)),
        ])),
        ("validation", ts.evaluate(model, x_va, s_va, len(labels))),
        ("test", test),
    ])
    tc.write_json(out / (NAME + ".metrics.json"), metrics)
    print("%-20s params %6d  epochs %3d/%3d  cpu %6.1f s  val acc %.4f F1 %.4f  test acc %.4f F1 %.4f"
          % (NAME, metrics["parameters"]["total"], epochs["best"], epochs["run"], seconds["cpu"],
             metrics["validation"]["accuracy"], metrics["validation"]["macro_f1"],
             test["accuracy"], test["macro_f1"]))


if __name__ == "__main__":
    main()
