"""Train the Kolakowski sequence models: 20-step BLE RSSI windows -> room (zone) classification.

kolakowski_mamba     Mamba H8 L1 + CRF          (per-step emissions, 20 rows)
kolakowski_mdcsa_l1  MDCSA H16, kernel 1 + CRF  (6 emission rows)
kolakowski_mdcsa_l3  MDCSA H16, kernels 1,4,7 + CRF (20 emission rows)
kolakowski_cnn1d     1-D CNN (conv 16 k3, pool 2, conv 32 k3, pool 2, fc) -> logits

Data: calibration_df.csv.gz (a robot's trajectory, ~3 samples/s) for train/validation,
test_robot_df.csv.gz (a separate robot run) for test. Each file is cut into sessions at time gaps
> 2 s; windows of 20 rows, hop 10, never cross a session (or a train/validation block) boundary.
Zones (5 rooms of the flat, from layout.csv; x to the right, y up, metres):
  hall        y < 2.1 and x < 3.965   (entrance/corridor strip along the bottom wall)
  side_room   y < 2.1 and x >= 3.965  (the small room behind the partial wall at x = 3.88..4.05)
  left_room   y >= 2.1 and x < 2.64   (left of the wall at x = 2.58..2.70)
  middle_room y >= 2.1 and 2.64 <= x < 6.32
  right_room  y >= 2.1 and x >= 6.32  (right of the wall at x = 6.27..6.37)
Every step of a window has its zone label (the CRF's tag sequence); the window's answer is the
last decoded tag (or the CNN's argmax), scored against the zone of the window's last step.
Train/validation: the calibration rows are cut into contiguous 120-row blocks (~40 s); a fixed
20 % of the blocks (seeded; the seed is one whose validation windows hold every zone) are
validation. Empty RSSI cell = not received = rssi_min, as in
kolakowski_mlp (missing_value null; rssi_range = observed training range rounded outward).

Writes examples/models/NAME.{pt,tinyloc.json,golden.json,metrics.json} for the four models.

    /usr/bin/python3 examples/training/train_kolakowski_seq.py [--data DIR] [--out DIR] [--only NAME]
"""

import math
import sys
from collections import OrderedDict
from pathlib import Path

import numpy as np
import torch

sys.dont_write_bytecode = True  # keep __pycache__ out of the repository
sys.path.insert(0, str(Path(__file__).resolve().parent))
import tinyloc_common as tc  # noqa: E402
import tinyloc_seq as ts  # noqa: E402

DATASET = "ble-rss-kolakowski-2021"
FEATURES = ["rssi_%d" % i for i in range(1, 7)]
ZONES = ["hall", "side_room", "left_room", "middle_room", "right_room"]
WINDOW = 20
HOP = 10
GAP_SECONDS = 2.0
BLOCK_ROWS = 120          # ~40 s of the trajectory
VALIDATION_FRACTION = 0.2
SPLIT_SEED = 4            # the first seed whose validation blocks hold every zone
# How the runtime (runtime/) rebuilds these windows from a stream of readings: the recordings' rows are
# 1/3 s apart (rows with no reading are absent), an empty cell is not received (no forward fill), and
# windows never span a gap > GAP_SECONDS.
STREAM = OrderedDict([("period_ms", 333.333), ("max_fill_ms", 0), ("hop", HOP), ("session_gap_ms", int(GAP_SECONDS * 1000))])

# name: (factory, seed, golden seed, lr, max epochs, patience, description)
MODELS = OrderedDict([
    ("kolakowski_mamba", (lambda: ts.Mamba(len(FEATURES), len(ZONES), d_model=8, n_layers=1),
                          7101, 7201, 3e-3, 300, 60,
                          "Mamba H8 L1 + CRF: 20-step window of 6 BLE anchor RSSI -> 5 rooms "
                          "(Kolakowski 2021 flat); output = final Viterbi scores, argmax = last tag")),
    ("kolakowski_mdcsa_l1", (lambda: ts.Mdcsa(len(FEATURES), len(ZONES), hidden=16, kernels=[1]),
                             7102, 7202, 2e-3, 300, 60,
                             "MDCSA H16 L1 (kernel 1) + CRF: 20-step window of 6 BLE anchor RSSI -> "
                             "6 emission rows over 5 rooms; output = final Viterbi scores")),
    ("kolakowski_mdcsa_l3", (lambda: ts.Mdcsa(len(FEATURES), len(ZONES), hidden=16, kernels=[1, 4, 7]),
                             7103, 7203, 2e-3, 300, 60,
                             "MDCSA H16 L3 (kernels 1, 4, 7) + CRF: 20-step window of 6 BLE anchor RSSI "
                             "-> 5 rooms; output = final Viterbi scores")),
    ("kolakowski_cnn1d", (lambda: ts.Cnn1d(len(FEATURES), len(ZONES), WINDOW, channels=(16, 32),
                                           kernels=(3, 3), pool=2),
                          7104, 7204, 3e-3, 300, 60,
                          "1-D CNN: 20-step window of 6 BLE anchor RSSI -> conv 16 k3 -> pool 2 -> "
                          "conv 32 k3 -> pool 2 -> fc -> 5 room logits")),
])


def zone(x, y):
    if y < 2.1:
        return 0 if x < 3.965 else 1
    if x < 2.64:
        return 2
    if x < 6.32:
        return 3
    return 4


def load(filename):
    header, rows = tc.read_csv_gz(tc.dataset_file(DATASET, filename))
    rssi = tc.columns_as_float(header, rows, FEATURES)  # NaN = not received
    txy = tc.columns_as_float(header, rows, ["ts", "x", "y"])
    zones = np.array([zone(x, y) for _, x, y in txy], dtype=np.int64)
    return rssi, zones, txy[:, 0]


def runs(ts_ns, part):
    """Contiguous runs of rows with no time gap > GAP_SECONDS and one value of `part`."""
    breaks = np.flatnonzero((np.diff(ts_ns) / 1e9 > GAP_SECONDS) | (np.diff(part) != 0)) + 1
    return np.split(np.arange(len(ts_ns)), breaks)


def windows(rssi, zones, run_list):
    starts = [r[s] for r in run_list for s in range(0, len(r) - WINDOW + 1, HOP)]
    idx = np.array([np.arange(s, s + WINDOW) for s in starts], dtype=np.int64)
    return rssi[idx], zones[idx]           # [N, T, F] raw (NaN = missing), [N, T]


def split():
    """The recordings and their split, as every Kolakowski sequence model here is trained: (calibration rssi,
    zones, test rssi, zones, train runs, validation runs, test runs). Sessions are cut at time gaps; the
    calibration recording goes ~80/20 to train/validation by contiguous BLOCK_ROWS-row blocks (SPLIT_SEED)."""
    cal_rssi, cal_zone, cal_ts = load("calibration_df.csv.gz")
    test_rssi, test_zone, test_ts = load("test_robot_df.csv.gz")
    n_blocks = math.ceil(len(cal_rssi) / BLOCK_ROWS)
    perm = np.random.default_rng(SPLIT_SEED).permutation(n_blocks)
    val_blocks = set(int(b) for b in perm[:round(VALIDATION_FRACTION * n_blocks)])
    is_val = np.array([(i // BLOCK_ROWS) in val_blocks for i in range(len(cal_rssi))], dtype=np.int64)
    cal_runs = runs(cal_ts, is_val)
    train_runs = [r for r in cal_runs if not is_val[r[0]]]
    val_runs = [r for r in cal_runs if is_val[r[0]]]
    test_runs = runs(test_ts, np.zeros(len(test_ts), dtype=np.int64))
    return cal_rssi, cal_zone, test_rssi, test_zone, train_runs, val_runs, test_runs


def main():
    def options(parser):
        parser.add_argument("--only", choices=list(MODELS), help="train one model only")
        parser.add_argument("--verbose", action="store_true", help="print every epoch")

    args, out = tc.training_args(__doc__, options)

    cal_rssi, cal_zone, test_rssi, test_zone, train_runs, val_runs, test_runs = split()

    train_rows = np.concatenate(train_runs)
    observed = cal_rssi[train_rows]
    spec = tc.RssiSpec(int(math.floor(np.nanmin(observed))), int(math.ceil(np.nanmax(observed))), None)

    def prepare(raw):
        filled = np.where(np.isnan(raw), spec.rssi_min, raw)
        return spec.normalise_torch(filled.reshape(len(raw), -1)).reshape(raw.shape)

    raw_tr, z_tr = windows(cal_rssi, cal_zone, train_runs)
    raw_va, z_va = windows(cal_rssi, cal_zone, val_runs)
    raw_te, z_te = windows(test_rssi, test_zone, test_runs)
    x_tr, x_va, x_te = prepare(raw_tr), prepare(raw_va), prepare(raw_te)
    for nm, z in (("train", z_tr), ("validation", z_va), ("test", z_te)):
        counts = np.bincount(z[:, -1], minlength=len(ZONES))
        print("%-10s %4d windows, last-step zones %s" % (nm, len(z), counts.tolist()))
    if not all(np.bincount(z[:, -1], minlength=len(ZONES)).all() for z in (z_tr, z_va, z_te)):
        raise SystemExit("error: a zone is missing from the train, validation or test windows")
    real = np.concatenate([np.where(np.isnan(a), spec.rssi_min, a) for a in (cal_rssi, test_rssi)])

    for name, (factory, seed, golden_seed, lr, max_epochs, patience, description) in MODELS.items():
        if args.only and name != args.only:
            continue
        tc.set_determinism(seed, threads=1)
        model = factory()
        best, epochs, seconds = ts.fit(model, x_tr, z_tr, x_va, z_va, len(ZONES), seed, lr=lr,
                                       max_epochs=max_epochs, patience=patience,
                                       log=print if args.verbose else None)
        model.load_state_dict(best)
        model = ts.export(model.eval(), out, name, description, spec, FEATURES, WINDOW, ZONES, golden_seed, real,
                          stream=STREAM)
        metrics = OrderedDict([
            ("model", name),
            ("dataset", DATASET),
            ("torch", torch.__version__),
            ("seed", seed),
            ("split", "calibration_df.csv.gz: sessions cut at gaps > %g s; fixed ~80/20 train/validation "
                      "by contiguous %d-row blocks (seed %d); test = test_robot_df.csv.gz (held out). "
                      "Windows of %d rows, hop %d, inside one session and one block"
                      % (GAP_SECONDS, BLOCK_ROWS, SPLIT_SEED, WINDOW, HOP)),
            ("zones", OrderedDict([
                ("labels", ZONES),
                ("rule", "hall: y<2.1, x<3.965; side_room: y<2.1, x>=3.965; left_room: y>=2.1, x<2.64; "
                         "middle_room: y>=2.1, 2.64<=x<6.32; right_room: y>=2.1, x>=6.32 (metres, layout.csv)"),
                ("window_label", "zone of the window's last step"),
            ])),
            ("samples", OrderedDict([("train", len(z_tr)), ("validation", len(z_va)), ("test", len(z_te)),
                                     ("unit", "windows of %d steps" % WINDOW)])),
            ("parameters", ts.param_summary(model)),
            ("epochs", epochs),
            ("training_seconds", seconds),
            ("data", OrderedDict([
                ("rssi_observed_train", [float(np.nanmin(observed)), float(np.nanmax(observed))]),
                ("rssi_range", [spec.rssi_min, spec.rssi_max]),
                ("missing_fraction_train", tc.rounded(float(np.isnan(observed).mean()), 4)),
                ("missing_fraction_test", tc.rounded(float(np.isnan(test_rssi).mean()), 4)),
            ])),
            ("validation", ts.evaluate(model, x_va, z_va, len(ZONES))),
            ("test", ts.evaluate(model, x_te, z_te, len(ZONES))),
        ])
        metrics["test"]["file"] = "test_robot_df.csv.gz"
        tc.write_json(out / (name + ".metrics.json"), metrics)
        print("%-20s params %6d  epochs %3d/%3d  cpu %6.1f s  val acc %.4f F1 %.4f  test acc %.4f F1 %.4f"
              % (name, metrics["parameters"]["total"], epochs["best"], epochs["run"], seconds["cpu"],
                 metrics["validation"]["accuracy"], metrics["validation"]["macro_f1"],
                 metrics["test"]["accuracy"], metrics["test"]["macro_f1"]))


if __name__ == "__main__":
    main()
