"""Train `kolakowski_mlp`: the BLE tutorial's x/y regression MLP on Kolakowski's BLE RSS data.

6 RSSI (rssi_1..rssi_6) -> Linear 16 -> ReLU -> Linear 32 -> ReLU -> Linear 64 -> ReLU -> Linear 2
(x, y in metres). Trained on calibration_df.csv.gz (a fixed 85/15 split into train/validation,
by contiguous ~20 s blocks of the robot's trajectory so validation is not a copy of its
neighbours), tested on the held-out robot run test_robot_df.csv.gz.

Writes examples/models/kolakowski_mlp.{pt,tinyloc.json,golden.json,metrics.json}.

    /usr/bin/python3 examples/training/train_kolakowski_mlp.py [--data DIR]
"""

import math
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

NAME = "kolakowski_mlp"
DATASET = "ble-rss-kolakowski-2021"
FEATURES = ["rssi_%d" % i for i in range(1, 7)]
TARGETS = ["x", "y"]
LAYERS = ["fc1", "fc2", "fc3", "fc4"]
ACTIVATION = "relu"

SEED = 20210901
SPLIT_SEED = 85
GOLDEN_SEED = 6001
BLOCK_ROWS = 60           # ~20 s of the robot's trajectory at ~3 samples/s
# How the runtime (runtime/) rebuilds the rows from a stream of readings: rows 1/3 s apart, an empty
# cell is not received (no forward fill), one row per window.
STREAM = OrderedDict([("period_ms", 333.333), ("max_fill_ms", 0), ("hop", 1), ("session_gap_ms", 2000)])
VALIDATION_FRACTION = 0.15
BATCH = 32
LR = 1e-3
MAX_EPOCHS = 400
PATIENCE = 60


class KolakowskiMLP(nn.Module):
    def __init__(self, n_in=6, n_out=2):
        super().__init__()
        self.fc1 = nn.Linear(n_in, 16)
        self.fc2 = nn.Linear(16, 32)
        self.fc3 = nn.Linear(32, 64)
        self.fc4 = nn.Linear(64, n_out)

    def forward(self, x):
        x = torch.relu(self.fc1(x))
        x = torch.relu(self.fc2(x))
        x = torch.relu(self.fc3(x))
        return self.fc4(x)


def load(filename):
    header, rows = tc.read_csv_gz(tc.dataset_file(DATASET, filename))
    rssi = tc.columns_as_float(header, rows, FEATURES)  # NaN = not received
    xy = tc.columns_as_float(header, rows, TARGETS)
    return rssi, xy


def block_split(n, seed):
    """Fixed 85/15 split by contiguous blocks of BLOCK_ROWS rows."""
    n_blocks = math.ceil(n / BLOCK_ROWS)
    perm = np.random.default_rng(seed).permutation(n_blocks)
    val_blocks = set(int(b) for b in perm[:round(VALIDATION_FRACTION * n_blocks)])
    is_val = np.array([(i // BLOCK_ROWS) in val_blocks for i in range(n)])
    return np.flatnonzero(~is_val), np.flatnonzero(is_val)


def mean_error(model, x, xy):
    with torch.no_grad():
        pred = model(x).numpy()
    return tc.euclidean_errors(xy, pred)


def main():
    _, out = tc.training_args(__doc__)
    tc.set_determinism(SEED)
    cal_rssi, cal_xy = load("calibration_df.csv.gz")
    test_rssi, test_xy = load("test_robot_df.csv.gz")
    train_idx, val_idx = block_split(len(cal_rssi), SPLIT_SEED)

    # RSSI range from the training split, rounded outward to whole dBm.
    observed = cal_rssi[train_idx]
    spec = tc.RssiSpec(int(math.floor(np.nanmin(observed))), int(math.ceil(np.nanmax(observed))), None)

    def prepare(rssi):
        # Empty cell = not received = rssi_min (anything lower would be clamped to it anyway).
        return spec.normalise_torch(np.where(np.isnan(rssi), spec.rssi_min, rssi))

    x_train, y_train = prepare(cal_rssi[train_idx]), torch.from_numpy(cal_xy[train_idx].astype(np.float32))
    x_val, xy_val = prepare(cal_rssi[val_idx]), cal_xy[val_idx]
    x_test = prepare(test_rssi)

    model = KolakowskiMLP()
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = nn.MSELoss()
    gen = torch.Generator().manual_seed(SEED)
    best = (float("inf"), -1, None)
    t0 = time.process_time()
    wall0 = time.time()
    epochs_run = 0
    for epoch in range(MAX_EPOCHS):
        model.train()
        perm = torch.randperm(len(x_train), generator=gen)
        for i in range(0, len(perm), BATCH):
            b = perm[i:i + BATCH]
            opt.zero_grad()
            loss = loss_fn(model(x_train[b]), y_train[b])
            loss.backward()
            opt.step()
        model.eval()
        err = float(np.mean(mean_error(model, x_val, xy_val)))
        epochs_run = epoch + 1
        if err < best[0]:
            best = (err, epoch + 1, tc.float32_state_dict(model))
        elif epoch + 1 - best[1] >= PATIENCE:
            break
    train_cpu = time.process_time() - t0
    train_wall = time.time() - wall0
    model.load_state_dict(best[2])
    model.eval()

    # Checkpoint, then everything else from the reloaded checkpoint.
    ckpt = out / (NAME + ".pt")
    tc.save_pt(model, ckpt)
    model = tc.load_pt(KolakowskiMLP(), ckpt).eval()

    ranges = tc.activation_ranges(model, LAYERS, ACTIVATION, x_train)
    man = tc.manifest(
        NAME,
        "BLE tutorial MLP: 6 anchor RSSI -> x, y in metres (Kolakowski 2021 flat); "
        "pass rssi_min or anything lower for not received",
        ckpt.name, LAYERS, ACTIVATION, spec, FEATURES, tc.regression_output(TARGETS, "m"), ranges, stream=STREAM)
    tc.write_json(out / (NAME + ".tinyloc.json"), man)

    gin = tc.golden_inputs(spec, len(FEATURES), GOLDEN_SEED)
    real = np.concatenate([np.where(np.isnan(a), spec.rssi_min, a) for a in (cal_rssi, test_rssi)])
    tc.check_not_real_rows(gin, real)
    gold = tc.golden(NAME, model, spec, gin)
    tc.write_json(out / (NAME + ".golden.json"), gold)
    tc.check_golden(tc.read_json(out / (NAME + ".golden.json")), tc.load_pt(KolakowskiMLP(), ckpt).eval(), spec)

    val_err = mean_error(model, x_val, xy_val)
    test_err = mean_error(model, x_test, test_xy)
    miss_train = float(np.isnan(cal_rssi[train_idx]).mean())
    metrics = OrderedDict([
        ("model", NAME),
        ("dataset", DATASET),
        ("torch", torch.__version__),
        ("seed", SEED),
        ("split", "calibration_df.csv.gz: fixed 85/15 train/validation by contiguous %d-row blocks "
                  "(seed %d); test = test_robot_df.csv.gz (held out)" % (BLOCK_ROWS, SPLIT_SEED)),
        ("samples", OrderedDict([("train", len(train_idx)), ("validation", len(val_idx)),
                                 ("test", len(test_xy))])),
        ("epochs", OrderedDict([("max", MAX_EPOCHS), ("run", epochs_run), ("best", best[1])])),
        ("training_seconds", OrderedDict([("cpu", tc.rounded(train_cpu, 1)), ("wall", tc.rounded(train_wall, 1))])),
        ("data", OrderedDict([
            ("rssi_observed_train", [float(np.nanmin(observed)), float(np.nanmax(observed))]),
            ("rssi_range", [spec.rssi_min, spec.rssi_max]),
            ("missing_fraction_train", tc.rounded(miss_train, 4)),
            ("missing_fraction_test", tc.rounded(float(np.isnan(test_rssi).mean()), 4)),
        ])),
        ("validation", OrderedDict([("mean_error_m", tc.rounded(np.mean(val_err))),
                                    ("median_error_m", tc.rounded(np.median(val_err)))])),
        ("test", OrderedDict([("file", "test_robot_df.csv.gz"),
                              ("mean_error_m", tc.rounded(np.mean(test_err))),
                              ("median_error_m", tc.rounded(np.median(test_err))),
                              ("p90_error_m", tc.rounded(np.percentile(test_err, 90)))])),
    ])
    tc.write_json(out / (NAME + ".metrics.json"), metrics)
    print(tc.dumps(metrics), end="")


if __name__ == "__main__":
    main()
