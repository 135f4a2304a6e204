"""Train `uji_mlp`: a UJIIndoorLoc building x floor classifier (13 classes).

520 WAPs (WAP001..WAP520, 100 = not detected) -> Linear 64 -> ReLU -> Linear 32 -> ReLU -> Linear 13,
as an nn.Sequential (state-dict names 0.*, 2.*, 4.*). Labels "B{BUILDINGID}F{FLOOR}", sorted by
(building, floor). Trained on a fixed 75 % of trainingData.csv.gz (25 % validation, for early
stopping on macro-F1), tested on the whole validationData.csv.gz (the paper's test set).

Writes examples/models/uji_mlp.{pt,tinyloc.json,golden.json,metrics.json}.

    /usr/bin/python3 examples/training/train_uji_mlp.py [--data DIR]
"""

import sys
import time
from collections import OrderedDict
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.dont_write_bytecode = True  # keep __pycache__ out of the repository
sys.path.insert(0, str(Path(__file__).resolve().parent))
import tinyloc_common as tc  # noqa: E402

NAME = "uji_mlp"
DATASET = "ujiindoorloc"
FEATURES = ["WAP%03d" % i for i in range(1, 521)]
LAYERS = ["0", "2", "4"]
ACTIVATION = "relu"
SPEC = tc.RssiSpec(-104, 0, 100)

SEED = 20140101
SPLIT_SEED = 75
GOLDEN_SEED = 52001
TRAIN_FRACTION = 0.75
BATCH = 64
LR = 1e-3
WEIGHT_DECAY = 1e-5
MAX_EPOCHS = 60
PATIENCE = 12


def build_model(n_classes=13):
    return nn.Sequential(
        nn.Linear(len(FEATURES), 64), nn.ReLU(),
        nn.Linear(64, 32), nn.ReLU(),
        nn.Linear(32, n_classes))


def load(filename):
    header, rows = tc.read_csv_gz(tc.dataset_file(DATASET, filename))
    waps = tc.columns_as_float(header, rows, FEATURES)
    bf = tc.columns_as_float(header, rows, ["BUILDINGID", "FLOOR"]).astype(np.int64)
    return waps, [tuple(r) for r in bf]


def predict(model, x):
    with torch.no_grad():
        return model(x).argmax(dim=1).numpy()


def main():
    _, out = tc.training_args(__doc__)

    tc.set_determinism(SEED)
    train_path = tc.dataset_file(DATASET, "trainingData.csv.gz")
    test_path = tc.dataset_file(DATASET, "validationData.csv.gz")
    all_waps, all_bf = load(train_path.name)
    test_waps, test_bf = load(test_path.name)

    classes = sorted(set(all_bf))
    labels = ["B%dF%d" % c for c in classes]
    index = {c: i for i, c in enumerate(classes)}
    if len(classes) != 13 or not set(test_bf) <= set(classes):
        raise SystemExit("error: expected the 13 building x floor classes of UJIIndoorLoc")
    y_all = np.array([index[c] for c in all_bf])
    y_test = np.array([index[c] for c in test_bf])

    perm = np.random.default_rng(SPLIT_SEED).permutation(len(y_all))
    n_train = int(round(TRAIN_FRACTION * len(y_all)))
    train_idx, val_idx = np.sort(perm[:n_train]), np.sort(perm[n_train:])

    x_train = SPEC.normalise_torch(all_waps[train_idx])
    y_train = torch.from_numpy(y_all[train_idx])
    x_val, y_val = SPEC.normalise_torch(all_waps[val_idx]), y_all[val_idx]
    x_test = SPEC.normalise_torch(test_waps)

    model = build_model(len(classes))
    opt = torch.optim.Adam(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(SEED)
    best = (-1.0, -1, None)
    t0 = time.process_time()
    wall0 = time.time()
    epochs_run = 0
    for epoch in range(MAX_EPOCHS):
        model.train()
        order = torch.randperm(len(x_train), generator=gen)
        for i in range(0, len(order), BATCH):
            b = order[i:i + BATCH]
            opt.zero_grad()
            loss = loss_fn(model(x_train[b]), y_train[b])
            loss.backward()
            opt.step()
        model.eval()
        f1 = tc.macro_f1(y_val, predict(model, x_val), len(classes))
        epochs_run = epoch + 1
        if f1 > best[0]:
            best = (f1, epoch + 1, tc.float32_state_dict(model))
        elif epoch + 1 - best[1] >= PATIENCE:
            break
    train_cpu = time.process_time() - t0
    train_wall = time.time() - wall0
    model.load_state_dict(best[2])

    ckpt = out / (NAME + ".pt")
    tc.save_pt(model, ckpt)
    model = tc.load_pt(build_model(len(classes)), ckpt).eval()

    ranges = tc.activation_ranges(model, LAYERS, ACTIVATION, x_train)
    man = tc.manifest(
        NAME,
        "UJIIndoorLoc building x floor classifier: 520 Wi-Fi RSSI (100 = not detected) -> 13 classes",
        ckpt.name, LAYERS, ACTIVATION, SPEC, FEATURES, tc.classification_output(labels), ranges)
    tc.write_json(out / (NAME + ".tinyloc.json"), man)

    gin = tc.golden_inputs(SPEC, len(FEATURES), GOLDEN_SEED)
    tc.check_not_real_rows(gin, np.concatenate([all_waps, test_waps]))
    tc.write_json(out / (NAME + ".golden.json"), tc.golden(NAME, model, SPEC, gin))
    tc.check_golden(tc.read_json(out / (NAME + ".golden.json")), tc.load_pt(build_model(), ckpt).eval(), SPEC)

    pred_val = predict(model, x_val)
    pred_test = predict(model, x_test)
    missing = all_waps[train_idx] == SPEC.missing_value
    detected = all_waps[train_idx][~missing]
    metrics = OrderedDict([
        ("model", NAME),
        ("dataset", DATASET),
        ("torch", torch.__version__),
        ("seed", SEED),
        ("split", "trainingData.csv.gz: fixed 75/25 train/validation (row permutation, seed %d); "
                  "test = validationData.csv.gz (whole file, held out)" % SPLIT_SEED),
        ("samples", OrderedDict([("train", len(train_idx)), ("validation", len(val_idx)),
                                 ("test", len(y_test))])),
        ("classes", labels),
        ("epochs", OrderedDict([("max", MAX_EPOCHS), ("run", epochs_run), ("best", best[1])])),
        ("training_seconds", OrderedDict([("cpu", tc.rounded(train_cpu, 1)), ("wall", tc.rounded(train_wall, 1))])),
        ("data", OrderedDict([
            ("rssi_observed_train", [float(detected.min()), float(detected.max())]),
            ("rssi_range", [SPEC.rssi_min, SPEC.rssi_max]),
            ("missing_fraction_train", tc.rounded(float(missing.mean()), 4)),
            ("missing_fraction_test", tc.rounded(float((test_waps == SPEC.missing_value).mean()), 4)),
        ])),
        ("validation", OrderedDict([("accuracy", tc.rounded(tc.accuracy(y_val, pred_val))),
                                    ("macro_f1", tc.rounded(tc.macro_f1(y_val, pred_val, len(classes))))])),
        ("test", OrderedDict([("file", "validationData.csv.gz"),
                              ("accuracy", tc.rounded(tc.accuracy(y_test, pred_test))),
                              ("macro_f1", tc.rounded(tc.macro_f1(y_test, pred_test, len(classes)))),
                              ("building_accuracy", tc.rounded(tc.accuracy(
                                  [classes[i][0] for i in y_test], [classes[i][0] for i in pred_test])))])),
    ])
    tc.write_json(out / (NAME + ".metrics.json"), metrics)
    print(tc.dumps(metrics), end="")


if __name__ == "__main__":
    main()
