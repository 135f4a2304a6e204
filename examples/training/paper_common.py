"""Shared pieces of the compression study (Suwannaphong et al. 2025) reproduced in examples/RESULTS.md.

  * the UJIIndoorLoc ~59-area class definition (`uji_area`, `uji_area_labels`), used by training and by
    evaluation alike;
  * the data of the three tasks as the training scripts prepare it (UJIIndoorLoc areas, window 1; the
    Kolakowski rooms, 20-step windows, exactly train_kolakowski_seq.py's; the iBeacon zones, window 1,
    exactly train_ibeacon_seq.py's);
  * knowledge distillation (`fit_distil`): ts.fit's loop with the loss of the paper's Eq. 4-5;
  * export without golden vectors (`export_model`): ts.seq_manifest + tc.save_pt + the strict rebuild check;
  * the derived CSVs `tinyloc evaluate` reads (written to a temporary folder at run time, never into the
    repository).

Nothing here writes data rows into the repository.
"""

import csv
import gzip
import math
import sys
from collections import OrderedDict
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # keep __pycache__ out of the repository
sys.path.insert(0, str(Path(__file__).resolve().parent))
import tinyloc_common as tc  # noqa: E402
import tinyloc_seq as ts  # noqa: E402

PAPER_DIR = tc.REPO_ROOT / "examples" / "models" / "paper"
RESULTS_MD = tc.REPO_ROOT / "examples" / "RESULTS.md"

# ----------------------------------------------------------------------------------------------
# UJIIndoorLoc: ~59 areas = a fixed square grid over (LONGITUDE, LATITUDE) within each BUILDINGID x FLOOR
# ----------------------------------------------------------------------------------------------

UJI_DATASET = "ujiindoorloc"
UJI_FEATURES = ["WAP%03d" % i for i in range(1, 521)]
UJI_SPEC = tc.RssiSpec(-104, 0, 100)        # as uji_mlp / uji_mamba
UJI_CELL = 72.0                              # cell side, in the files' coordinate unit (EPSG:3857 metres)
UJI_ORIGIN = (-7800.0, 4864600.0)            # grid origin (LONGITUDE, LATITUDE), the same for every building/floor
UJI_SPLIT_SEED = 75                          # the 75/25 split of uji_mlp / uji_mamba
UJI_TRAIN_FRACTION = 0.75


def uji_area(building, floor, longitude, latitude):
    """The area class of one UJIIndoorLoc row: 'B{building}F{floor}_c{i}_{j}' with
    i = floor((LONGITUDE + 7800) / 72), j = floor((LATITUDE - 4864600) / 72) (float64)."""
    i = int(math.floor((float(longitude) - UJI_ORIGIN[0]) / UJI_CELL))
    j = int(math.floor((float(latitude) - UJI_ORIGIN[1]) / UJI_CELL))
    return "B%dF%d_c%d_%d" % (int(building), int(floor), i, j)


def _area_key(label):
    bf, cell = label.split("_c")
    b, f = bf[1:].split("F")
    i, j = cell.split("_")
    return int(b), int(f), int(i), int(j)


def uji_area_labels(train_areas, test_areas):
    """The classes: areas present in BOTH files, sorted by (building, floor, i, j)."""
    return sorted(set(train_areas) & set(test_areas), key=_area_key)


def load_uji(filename):
    """(waps [N, 520] float64 raw, areas list of str) of one UJIIndoorLoc file."""
    header, rows = tc.read_csv_gz(tc.dataset_file(UJI_DATASET, filename))
    waps = tc.columns_as_float(header, rows, UJI_FEATURES)
    pos = tc.columns_as_float(header, rows, ["BUILDINGID", "FLOOR", "LONGITUDE", "LATITUDE"])
    areas = [uji_area(b, f, lon, lat) for b, f, lon, lat in pos]
    return waps, areas


class Task:
    """One dataset prepared for training: tensors [N, T, F] (normalised) and per-step labels [N, T]."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


def uji_task():
    tr_waps, tr_areas = load_uji("trainingData.csv.gz")
    te_waps, te_areas = load_uji("validationData.csv.gz")
    labels = uji_area_labels(tr_areas, te_areas)
    index = {a: k for k, a in enumerate(labels)}
    keep_tr = np.array([a in index for a in tr_areas])
    keep_te = np.array([a in index for a in te_areas])
    only_train = sorted(set(tr_areas) - set(labels), key=_area_key)
    only_test = sorted(set(te_areas) - set(labels), key=_area_key)
    waps = tr_waps[keep_tr]
    y = np.array([index[a] for a, k in zip(tr_areas, keep_tr) if k], dtype=np.int64)
    y_te = np.array([index[a] for a, k in zip(te_areas, keep_te) if k], dtype=np.int64)
    perm = np.random.default_rng(UJI_SPLIT_SEED).permutation(len(y))
    n_train = int(round(UJI_TRAIN_FRACTION * len(y)))
    tr_idx, va_idx = np.sort(perm[:n_train]), np.sort(perm[n_train:])

    def prep(w):
        return UJI_SPEC.normalise_torch(w)[:, None, :]

    return Task(
        key="uji", dataset=UJI_DATASET, features=UJI_FEATURES, spec=UJI_SPEC, window=1, labels=labels,
        x_tr=prep(waps[tr_idx]), s_tr=y[tr_idx][:, None], x_va=prep(waps[va_idx]), s_va=y[va_idx][:, None],
        x_te=prep(te_waps[keep_te]), s_te=y_te[:, None],
        raw_tr=waps[tr_idx], raw_te=te_waps[keep_te], raw_all=np.concatenate([tr_waps, te_waps]),
        stream=None,
        facts=OrderedDict([
            ("classes", len(labels)),
            ("areas_train_file", len(set(tr_areas))),
            ("areas_test_file", len(set(te_areas))),
            ("areas_only_in_train_file", only_train),
            ("areas_only_in_test_file", only_test),
            ("rows_dropped_train_file", int((~keep_tr).sum())),
            ("rows_dropped_test_file", int((~keep_te).sum())),
            ("rows_train_file", len(tr_areas)),
            ("rows_test_file", len(te_areas)),
        ]),
        split="trainingData.csv.gz rows whose area is in both files: fixed 75/25 train/validation "
              "(row permutation, seed %d); test = validationData.csv.gz (rows whose area is in both files); "
              "window 1 (single scans)" % UJI_SPLIT_SEED,
        unit="single scans (window 1)", test_file="validationData.csv.gz")


def kolakowski_task():
    import train_kolakowski_seq as kol
    cal_rssi, cal_zone, test_rssi, test_zone, train_runs, val_runs, test_runs = kol.split()
    observed = cal_rssi[np.concatenate(train_runs)]
    spec = tc.RssiSpec(int(math.floor(np.nanmin(observed))), int(math.ceil(np.nanmax(observed))), None)

    def fill(raw):
        return np.where(np.isnan(raw), spec.rssi_min, raw)

    def prep(raw):
        return spec.normalise_torch(fill(raw).reshape(len(raw), -1)).reshape(raw.shape)

    raw_tr, z_tr = kol.windows(cal_rssi, cal_zone, train_runs)
    raw_va, z_va = kol.windows(cal_rssi, cal_zone, val_runs)
    raw_te, z_te = kol.windows(test_rssi, test_zone, test_runs)
    return Task(
        key="kolakowski", dataset=kol.DATASET, features=kol.FEATURES, spec=spec, window=kol.WINDOW,
        labels=kol.ZONES, x_tr=prep(raw_tr), s_tr=z_tr, x_va=prep(raw_va), s_va=z_va, x_te=prep(raw_te), s_te=z_te,
        raw_tr=fill(raw_tr), raw_te=fill(raw_te), raw_all=np.concatenate([fill(cal_rssi), fill(test_rssi)]),
        stream=kol.STREAM, zone=kol.zone,
        facts=OrderedDict([("classes", len(kol.ZONES)), ("windows_train", len(z_tr)), ("windows_validation", len(z_va)),
                           ("windows_test", len(z_te))]),
        split="calibration_df.csv.gz: sessions cut at gaps > %g s; fixed ~80/20 train/validation by contiguous "
              "%d-row blocks (seed %d); test = test_robot_df.csv.gz. Windows of %d rows, hop %d "
              "(train_kolakowski_seq.py's windows)" % (kol.GAP_SECONDS, kol.BLOCK_ROWS, kol.SPLIT_SEED, kol.WINDOW,
                                                      kol.HOP),
        unit="windows of %d steps" % kol.WINDOW, test_file="test_robot_df.csv.gz")


def ibeacon_task():
    import train_ibeacon_seq as ib
    rssi, locations, stamps = ib.load()
    y = np.array([ib.zone(loc) for loc in locations], dtype=np.int64)
    part = ib.split(locations, stamps)
    detected_train = rssi[part == 0][rssi[part == 0] > -198]
    spec = tc.RssiSpec(int(detected_train.min()) - 1, int(detected_train.max()), ib.MISSING)

    def prep(mask):
        return spec.normalise_torch(rssi[mask])[:, None, :], y[mask][:, None]

    (x_tr, s_tr), (x_va, s_va), (x_te, s_te) = (prep(part == k) for k in (0, 1, 2))
    return Task(
        key="ibeacon", dataset=ib.DATASET, features=ib.FEATURES, spec=spec, window=1, labels=ib.ZONES,
        x_tr=x_tr, s_tr=s_tr, x_va=x_va, s_va=s_va, x_te=x_te, s_te=s_te,
        raw_tr=rssi[part == 0], raw_te=rssi[part == 2], raw_all=np.where(rssi > -198, rssi, ib.MISSING),
        stream=None,
        facts=OrderedDict([("classes", len(ib.ZONES)), ("scans_train", len(s_tr)), ("scans_validation", len(s_va)),
                           ("scans_test", len(s_te))]),
        split="by time within each location: newest 20 % (>= 1) test, next newest 15 % validation, rest train "
              "(train_ibeacon_seq.py's split); window 1",
        unit="single scans (window 1)", test_file="iBeacon_RSSI_Labeled.csv.gz (newest 20 % of each location)")


TASKS = OrderedDict([("uji", uji_task), ("kolakowski", kolakowski_task), ("ibeacon", ibeacon_task)])

# ----------------------------------------------------------------------------------------------
# Knowledge distillation (paper Eq. 4-5)
# ----------------------------------------------------------------------------------------------

ALPHA = 0.1


def teacher_probabilities(teacher, x, batch=512):
    """softmax over classes of the teacher's CRF emissions, per emission row: [N, T', C] (eval mode, no grad)."""
    teacher.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(x), batch):
            out.append(torch.softmax(teacher.emissions(x[i:i + batch]), dim=-1))
    return torch.cat(out)


def distil_loss(model, xb, tags, p_teacher, alpha=ALPHA):
    """L = alpha * L_S + (1 - alpha) * L_D for one batch, both per window and averaged over the batch:
    L_S = the CRF negative log-likelihood of the label sequence (ts.Crf.nll);
    L_D = sum over emission rows of the cross-entropy H(p_T, p_S) = -sum_c p_T[c] log softmax(E_S)[c]
    between the teacher's and the student's per-row class distributions (softmax of the emissions,
    temperature 1, soft teacher targets)."""
    em = model.emissions(xb)
    l_s = model.crf.nll(em, tags)
    l_d = -(p_teacher * F.log_softmax(em, dim=-1)).sum(dim=-1).sum(dim=-1).mean()
    return alpha * l_s + (1.0 - alpha) * l_d


def fit_distil(model, teacher, x_train, steps_train, x_val, steps_val, n_classes, seed, lr=3e-3, batch=32,
               max_epochs=200, patience=40, weight_decay=0.0, alpha=ALPHA, log=None):
    """ts.fit (Adam, the same shuffling generator, early stopping on validation macro-F1 of the last decoded tag,
    first best kept) with the distillation loss instead of the CRF NLL alone. The teacher's probabilities are
    computed once over the training windows (it is fixed and has no dropout), before ts.fit's clock starts."""
    assert model.has_crf and teacher.has_crf
    window = x_train.shape[1]
    assert model.out_steps(window) == teacher.out_steps(window), "teacher and student emit different row counts"
    tags_train = torch.from_numpy(ts.row_labels(steps_train, model.out_steps(window)).astype(np.int64))
    p_teacher = teacher_probabilities(teacher, x_train)
    return ts.fit(model, x_train, steps_train, x_val, steps_val, n_classes, seed, lr=lr, batch=batch,
                  max_epochs=max_epochs, patience=patience, weight_decay=weight_decay, log=log,
                  batch_loss=lambda b: distil_loss(model, x_train[b], tags_train[b], p_teacher[b], alpha))


# ----------------------------------------------------------------------------------------------
# Export (no golden vectors) and reading back
# ----------------------------------------------------------------------------------------------

def export_model(model, out_dir, name, description, task):
    """NAME.pt (torch.save of the state dict) and NAME.tinyloc.json (ts.seq_manifest: family mamba/mdcsa,
    labels = the task's classes); rebuild from manifest + checkpoint (strict) and require identical tensors.
    Returns the rebuilt model."""
    out_dir = Path(out_dir)
    ckpt = out_dir / (name + ".pt")
    tc.save_pt(model, ckpt)
    man = ts.seq_manifest(name, description, ckpt.name, model, task.spec, task.features, task.window, task.labels,
                          task.stream)
    tc.write_json(out_dir / (name + ".tinyloc.json"), man)
    return load_model(out_dir / (name + ".tinyloc.json"), expect=model)


def load_model(manifest_path, expect=None):
    man = tc.read_json(manifest_path)
    state = torch.load(str(Path(manifest_path).parent / man["checkpoint"]), map_location="cpu")
    model = ts.build_from_manifest(man, state)
    if expect is not None:
        want, got = tc.float32_state_dict(expect), tc.float32_state_dict(model)
        assert list(want) == list(got) and all(torch.equal(want[k], got[k]) for k in want)
    return model


# ----------------------------------------------------------------------------------------------
# The "paper" size of a checkpoint (serialised bytes), float and quantised
# ----------------------------------------------------------------------------------------------

def _saved_bytes(obj):
    import io
    buf = io.BytesIO()
    torch.save(obj, buf)
    return len(buf.getvalue())


def static_int8_state_dict(model):
    """The state dict with every nn.Linear weight stored as int8 (symmetric, per output channel, range
    [-127, 127], the compiler's static weights) plus a float32 scale per output channel
    ('<layer>.weight_scale'); every other tensor float32."""
    linear = {name + ".weight" for name, m in model.named_modules() if isinstance(m, torch.nn.Linear)}
    out = OrderedDict()
    for k, v in model.state_dict().items():
        if k in linear:
            s = v.abs().amax(dim=1).clamp(min=1e-12) / 127.0
            out[k] = torch.round(v / s[:, None]).clamp(-127, 127).to(torch.int8)
            out[k[:-len("weight")] + "weight_scale"] = s.to(torch.float32)
        else:
            out[k] = v
    return out


def checkpoint_sizes(model, pt_path):
    """Bytes of the serialised checkpoints: float (the .pt file), static int8 weights
    (static_int8_state_dict), and PyTorch's quantize_dynamic (qint8 nn.Linear, qnnpack)."""
    torch.backends.quantized.engine = "qnnpack"
    qd = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    return OrderedDict([
        ("float", Path(pt_path).stat().st_size),
        ("static", _saved_bytes(static_int8_state_dict(model))),
        ("dynamic", _saved_bytes(qd.state_dict())),
    ])


# ----------------------------------------------------------------------------------------------
# Derived CSVs for `tinyloc evaluate` (temporary folder only)
# ----------------------------------------------------------------------------------------------

def _fmt(v):
    f = float(v)
    return str(int(f)) if f == int(f) else repr(f)


def write_csv_gz(path, header, rows):
    with gzip.open(path, "wt", newline="", compresslevel=1) as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(r)


def write_eval_csvs(task, tmp):
    """(test_csv, calibration_csv, label_option, extra_options) for `tinyloc evaluate` in folder tmp.

    UJIIndoorLoc / iBeacon: one row per scan, the features + a 'label' column holding the class name (UJI:
    the area of uji_area; rows of areas in only one file left out). Kolakowski: the test recording as it is
    (ts, rssi_1..rssi_6, x, y) + a 'room' column (kol.zone), windows made by the runtime from the timestamps.
    Calibration: the raw training inputs (the training split's scans; Kolakowski: its windows flattened
    time-major, not-received = rssi_min), no labels."""
    tmp = Path(tmp)
    test_csv, cal_csv = tmp / (task.key + "_test.csv.gz"), tmp / (task.key + "_calibration.csv.gz")
    if task.key == "kolakowski":
        header, rows = tc.read_csv_gz(tc.dataset_file(task.dataset, "test_robot_df.csv.gz"))
        ix, iy = header.index("x"), header.index("y")
        write_csv_gz(test_csv, header + ["room"],
                     (r + [task.labels[task.zone(float(r[ix]), float(r[iy]))]] for r in rows))
        flat = task.raw_tr.reshape(len(task.raw_tr), -1)
        cal_header = ["%s_t%d" % (f, t) for t in range(task.window) for f in task.features]
        write_csv_gz(cal_csv, cal_header, ([_fmt(v) for v in r] for r in flat))
        return test_csv, cal_csv, ["--label", "room", "--windows", "runtime"]
    y = task.s_te[:, -1]
    write_csv_gz(test_csv, list(task.features) + ["label"],
                 ([_fmt(v) for v in r] + [task.labels[c]] for r, c in zip(task.raw_te, y)))
    write_csv_gz(cal_csv, list(task.features), ([_fmt(v) for v in r] for r in task.raw_tr))
    return test_csv, cal_csv, ["--label", "label", "--windows", "file"]
