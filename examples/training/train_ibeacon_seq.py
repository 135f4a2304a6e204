"""Train `ibeacon_mamba`: Mamba H8 L1 + CRF on single iBeacon scans (window 1) -> 6 floor zones.

Data: ble-ibeacon-uci/iBeacon_RSSI_Labeled.csv.gz (UCI "BLE RSSI Dataset for Indoor Localization
and Navigation"; 13 iBeacons b3001..b3013 on a library floor, 105 grid-cell locations such as
"O02" = column letter O, row 2). -200 = not detected; the few -198/-199 readings are treated the
same way (they clamp to rssi_min, which is exactly where -200 maps).

Zones: the grid cut into 3 column bands x 2 row bands (every zone has 10-28 cells):
  DL_low  columns D-L, rows 1-4     DL_high columns D-L, rows 5-15
  MP_low  columns M-P, rows 1-4     MP_high columns M-P, rows 5-15
  QW_low  columns Q-W, rows 1-4     QW_high columns Q-W, rows 5-15
Split by time within each location: its samples sorted by timestamp (then file order), the
newest 20 % (at least 1) are the test set, the next newest 15 % (rounded) validation, the rest
training. Most locations were recorded on 2-4 different days, so the test scans are often from
a later session than any training scan of the same cell.
rssi_range = [weakest detected reading in training - 1, strongest]: every detected reading
normalises above "not detected" (0).

Writes examples/models/ibeacon_mamba.{pt,tinyloc.json,golden.json,metrics.json}.

    /usr/bin/python3 examples/training/train_ibeacon_seq.py [--data DIR] [--out DIR]
"""

import datetime
import sys
from collections import OrderedDict, defaultdict
from pathlib import Path

import numpy as np
import torch

sys.dont_write_bytecode = True  # keep __pycache__ out of the repository
sys.path.insert(0, str(Path(__file__).resolve().parent))
import tinyloc_common as tc  # noqa: E402
import tinyloc_seq as ts  # noqa: E402

NAME = "ibeacon_mamba"
DATASET = "ble-ibeacon-uci"
FEATURES = ["b%d" % i for i in range(3001, 3014)]
ZONES = ["DL_low", "DL_high", "MP_low", "MP_high", "QW_low", "QW_high"]
MISSING = -200
SEED = 20160418
GOLDEN_SEED = 13001
TEST_FRACTION = 0.2
VALIDATION_FRACTION = 0.15
LR = 3e-3
BATCH = 32
MAX_EPOCHS = 300
PATIENCE = 50


def zone(location):
    col, row = location[0], int(location[1:])
    band = 0 if col <= "L" else (1 if col <= "P" else 2)
    return 2 * band + (0 if row <= 4 else 1)


def load():
    header, rows = tc.read_csv_gz(tc.dataset_file(DATASET, "iBeacon_RSSI_Labeled.csv.gz"))
    rssi = tc.columns_as_float(header, rows, FEATURES)
    locations = [r[header.index("location")] for r in rows]
    stamps = [datetime.datetime.strptime(r[header.index("date")].strip(), "%m-%d-%Y %H:%M:%S") for r in rows]
    return rssi, locations, stamps


def split(locations, stamps):
    """0 = train, 1 = validation, 2 = test, by time within each location."""
    part = np.zeros(len(locations), dtype=np.int64)
    by_loc = defaultdict(list)
    for i, loc in enumerate(locations):
        by_loc[loc].append(i)
    for loc in sorted(by_loc):
        idx = sorted(by_loc[loc], key=lambda i: (stamps[i], i))
        n = len(idx)
        n_test = max(1, int(round(TEST_FRACTION * n)))
        n_val = int(round(VALIDATION_FRACTION * n))
        for i in idx[n - n_test:]:
            part[i] = 2
        for i in idx[n - n_test - n_val:n - n_test]:
            part[i] = 1
    return part


def main():
    args, out = tc.training_args(__doc__, lambda p: p.add_argument("--verbose", action="store_true", help="print every epoch"))

    tc.set_determinism(SEED, threads=1)
    rssi, locations, stamps = load()
    y = np.array([zone(loc) for loc in locations], dtype=np.int64)
    part = split(locations, stamps)
    detected_train = rssi[part == 0][rssi[part == 0] > -198]
    spec = tc.RssiSpec(int(detected_train.min()) - 1, int(detected_train.max()), MISSING)

    def prepare(mask):
        return spec.normalise_torch(rssi[mask])[:, None, :], y[mask][:, None]

    (x_tr, s_tr), (x_va, s_va), (x_te, s_te) = (prepare(part == k) for k in (0, 1, 2))
    for nm, s in (("train", s_tr), ("validation", s_va), ("test", s_te)):
        counts = np.bincount(s[:, 0], minlength=len(ZONES))
        print("%-10s %4d scans, zones %s" % (nm, len(s), counts.tolist()))
        if not counts.all():
            raise SystemExit("error: a zone is missing from the %s split" % nm)

    model = ts.Mamba(len(FEATURES), len(ZONES), d_model=8, n_layers=1)
    best, epochs, seconds = ts.fit(model, x_tr, s_tr, x_va, s_va, len(ZONES), SEED, lr=LR, batch=BATCH,
                                   max_epochs=MAX_EPOCHS, patience=PATIENCE,
                                   log=print if args.verbose else None)
    model.load_state_dict(best)
    model = ts.export(model.eval(), out, NAME,
                      "Mamba H8 L1 + CRF on one iBeacon scan (window 1): 13 BLE beacons (-200 = not "
                      "detected) -> 6 library-floor zones; output = final Viterbi scores",
                      spec, FEATURES, 1, ZONES, GOLDEN_SEED, np.where(rssi > -198, rssi, MISSING))

    test = ts.evaluate(model, x_te, s_te, len(ZONES))
    test["file"] = "iBeacon_RSSI_Labeled.csv.gz (newest 20 % of each location)"
    metrics = OrderedDict([
        ("model", NAME),
        ("dataset", DATASET),
        ("torch", torch.__version__),
        ("seed", SEED),
        ("split", "by time within each location: newest %d %% (>= 1) test, next newest %d %% validation, "
                  "rest train; window 1 (single scans)" % (TEST_FRACTION * 100, VALIDATION_FRACTION * 100)),
        ("zones", OrderedDict([
            ("labels", ZONES),
            ("rule", "column bands D-L, M-P, Q-W x row bands 1-4 (low), 5-15 (high) of the location grid"),
        ])),
        ("samples", OrderedDict([("train", len(s_tr)), ("validation", len(s_va)), ("test", len(s_te)),
                                 ("unit", "single scans (window 1)")])),
        ("parameters", ts.param_summary(model)),
        ("epochs", epochs),
        ("training_seconds", seconds),
        ("data", OrderedDict([
            ("rssi_observed_train", [float(detected_train.min()), float(detected_train.max())]),
            ("rssi_range", [spec.rssi_min, spec.rssi_max]),
            ("missing_value", MISSING),
            ("missing_fraction_train", tc.rounded(float((rssi[part == 0] <= -198).mean()), 4)),
            ("missing_fraction_test", tc.rounded(float((rssi[part == 2] <= -198).mean()), 4)),
        ])),
        ("validation", ts.evaluate(model, x_va, s_va, len(ZONES))),
        ("test", test),
    ])
    tc.write_json(out / (NAME + ".metrics.json"), metrics)
    print("%-20s params %6d  epochs %3d/%3d  cpu %6.1f s  val acc %.4f F1 %.4f  test acc %.4f F1 %.4f"
          % (NAME, metrics["parameters"]["total"], epochs["best"], epochs["run"], seconds["cpu"],
             metrics["validation"]["accuracy"], metrics["validation"]["macro_f1"],
             test["accuracy"], test["macro_f1"]))


if __name__ == "__main__":
    main()
