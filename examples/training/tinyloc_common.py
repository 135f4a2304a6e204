"""Shared code for the TinyLoc training scripts and the synthetic test-model generator.

One place per idea:
  * where the datasets live (the data path) and the message when one is missing,
  * the RSSI normalisation the compiler implements (bit-for-bit, float32),
  * tracing an MLP through its Linear layers (activation ranges, golden outputs),
  * writing checkpoints (.pt, .safetensors), manifests (NAME.tinyloc.json), golden vectors
    (NAME.golden.json) and metrics (NAME.metrics.json) in one stable JSON style,
  * the metrics themselves (accuracy, macro-F1, Euclidean error), in numpy.

Run everything with /usr/bin/python3 (Debian's python3-torch 1.13).
"""

import csv
import gzip
import json
import math
import os
import random
import struct
import sys
from collections import OrderedDict
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

# <repo>/examples/training/tinyloc_common.py -> <repo>
REPO_ROOT = Path(__file__).resolve().parents[2]
MODELS_DIR = REPO_ROOT / "examples" / "models"
DATA_ENV = "TINYLOC_DATA"

# ----------------------------------------------------------------------------------------------
# Data path
# ----------------------------------------------------------------------------------------------

DATASETS = {
    "ujiindoorloc": {
        "title": "UJIIndoorLoc (Torres-Sospedra et al., IPIN 2014)",
        "source": 'UCI Machine Learning Repository, dataset "UJIIndoorLoc" '
                  "(gzip the CSVs: trainingData.csv.gz, validationData.csv.gz)",
    },
    "ble-rss-kolakowski-2021": {
        "title": "BLE RSS calibration data (Kolakowski, Sensors 21, 6270, 2021)",
        "source": "Zenodo, doi 10.5281/zenodo.5457591 (calibration_df.csv.gz, test_robot_df.csv.gz)",
    },
    "ble-ibeacon-uci": {
        "title": "BLE RSSI Dataset for Indoor Localization and Navigation (Mohammadi, Al-Fuqaha, Guizani, Oh, "
                 "IEEE Internet of Things Journal 5(2), 624-635, 2018)",
        "source": 'UCI Machine Learning Repository, dataset "BLE RSSI Dataset for Indoor Localization and '
                  'Navigation" (gzip iBeacon_RSSI_Labeled.csv: iBeacon_RSSI_Labeled.csv.gz)',
    },
}


def training_args(doc, add_options=None):
    """The command line every training script shares: --data (the data path, exported as $TINYLOC_DATA)
    and --out (created if missing), plus the script's own options from add_options(parser).
    Returns (args, out) with out a Path."""
    import argparse
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--data", help="data path (default $TINYLOC_DATA or <repo>/../shared/datasets)")
    parser.add_argument("--out", default=str(MODELS_DIR), help="output folder")
    if add_options is not None:
        add_options(parser)
    args = parser.parse_args()
    if args.data:
        os.environ[DATA_ENV] = args.data
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    return args, out


def data_root():
    """The data path: $TINYLOC_DATA if set, else <repo>/../shared/datasets."""
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return (REPO_ROOT / ".." / "shared" / "datasets").resolve()


def dataset_file(dataset, filename):
    """Path of one dataset file, or exit(2) naming the dataset and where to download it."""
    path = data_root() / dataset / filename
    if not path.is_file():
        info = DATASETS[dataset]
        sys.stderr.write(
            "error: dataset '%s' not found: missing %s\n"
            "  %s\n"
            "  download it from %s\n"
            "  and put it at %s, or set %s to the folder that holds '%s/'.\n"
            % (dataset, path, info["title"], info["source"], data_root() / dataset, DATA_ENV, dataset))
        sys.exit(2)
    return path


def read_csv_gz(path):
    """(header, rows) of a gzip-compressed CSV; rows are lists of strings."""
    with gzip.open(path, "rt", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [r for r in reader if r]
    return header, rows


def columns_as_float(header, rows, names, empty=np.nan):
    """float64 matrix of the named columns; empty cells become `empty`."""
    idx = [header.index(n) for n in names]
    cells = np.array([[r[k] for k in idx] for r in rows], dtype=object)
    blank = cells == ""
    cells[blank] = "nan"
    out = cells.astype(np.float64)
    out[blank] = empty
    return out


# ----------------------------------------------------------------------------------------------
# Normalisation (exactly what the compiler implements)
# ----------------------------------------------------------------------------------------------

class RssiSpec:
    """rssi_range + missing_value of a manifest and the normalisation they define.

    v = rssi_min if x == missing_value else min(max(x, rssi_min), rssi_max)
    n = (v - rssi_min) * inv,   inv = float32(1 / (rssi_max - rssi_min)), all in float32.
    With missing_value None only the clamp applies.
    """

    def __init__(self, rssi_min, rssi_max, missing_value=None):
        if not rssi_max > rssi_min:
            raise ValueError("rssi_max must be greater than rssi_min")
        self.rssi_min = rssi_min
        self.rssi_max = rssi_max
        self.missing_value = missing_value
        self.lo = np.float32(rssi_min)
        self.hi = np.float32(rssi_max)
        self.inv = np.float32(1.0) / np.float32(np.float32(rssi_max) - np.float32(rssi_min))

    def normalise(self, raw):
        x = np.asarray(raw, dtype=np.float32)
        if np.isnan(x).any():
            raise ValueError("NaN RSSI: map 'not received' to rssi_min (or the missing code) first")
        v = np.minimum(np.maximum(x, self.lo), self.hi)
        if self.missing_value is not None:
            v = np.where(x == np.float32(self.missing_value), self.lo, v)
        n = (v - self.lo) * self.inv
        assert n.dtype == np.float32
        return n

    def normalise_torch(self, raw):
        return torch.from_numpy(np.ascontiguousarray(self.normalise(raw)))

    def not_received_code(self):
        """The raw value golden vectors use for 'not received'."""
        return self.missing_value if self.missing_value is not None else self.rssi_min - 20

    def manifest_input(self, features, window=1, stream=None):
        """The manifest's input object; `stream` adds the runtime's row fields (period_ms, max_fill_ms,
        hop, session_gap_ms) that reproduce how a script cut its recording into rows and windows."""
        return OrderedDict([
            ("features", list(features)),
            ("window", window),
            ("rssi_range", [self.rssi_min, self.rssi_max]),
            ("missing_value", self.missing_value),
            ("normalisation", "minmax"),
        ] + list((stream or OrderedDict()).items()))


# ----------------------------------------------------------------------------------------------
# Determinism
# ----------------------------------------------------------------------------------------------

def set_determinism(seed, threads=2):
    """Fixed seeds, deterministic algorithms and a fixed intra-op thread count (part of the
    recipe: a different count may change float reductions). The sequence scripts pass 1: their
    tensors are tiny, and 2 threads only add contention (2-5x slower on a shared machine)."""
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


# ----------------------------------------------------------------------------------------------
# MLP tracing
# ----------------------------------------------------------------------------------------------

ACTIVATIONS = {
    "relu": torch.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "silu": F.silu,
}


def linear_layers(model, prefixes):
    layers = []
    for p in prefixes:
        m = model.get_submodule(p)
        if not isinstance(m, torch.nn.Linear):
            raise TypeError("%s is not nn.Linear" % p)
        layers.append(m)
    return layers


def trace_mlp(model, prefixes, activation, x):
    """OrderedDict tensor-name -> tensor, named as the manifest's activation_ranges are:
    'input.norm', then for every Linear L but the last its output 'L' and 'L.<activation>',
    then the last prefix. (int8 tanh/sigmoid/silu tables need the range before the activation.)"""
    act = ACTIVATIONS[activation]
    out = OrderedDict()
    out["input.norm"] = x
    h = x
    layers = linear_layers(model, prefixes)
    with torch.no_grad():
        for i, (p, lin) in enumerate(zip(prefixes, layers)):
            h = lin(h)
            if i < len(layers) - 1:
                out[p] = h
                h = act(h)
                out["%s.%s" % (p, activation)] = h
            else:
                out[p] = h
    return out


def activation_ranges(model, prefixes, activation, x):
    """[min, max] of every traced tensor over x (float32, widened to include 0)."""
    traced = trace_mlp(model, prefixes, activation, x)
    final = model(x)
    if not torch.equal(final, list(traced.values())[-1]):
        raise AssertionError("the traced forward pass disagrees with the module's forward")
    ranges = OrderedDict()
    for name, t in traced.items():
        lo = min(float(t.min()), 0.0)
        hi = max(float(t.max()), 0.0)
        ranges[name] = [lo, hi]
    return ranges


# ----------------------------------------------------------------------------------------------
# JSON in one style: 2-space indent, lists of scalars on one line, floats as repr(float(x))
# ----------------------------------------------------------------------------------------------

def _scalar(v):
    if v is None:
        return "null"
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        f = float(v)
        if not math.isfinite(f):
            raise ValueError("non-finite number in JSON output")
        return repr(f)
    if isinstance(v, str):
        return json.dumps(v)
    raise TypeError("cannot write %r to JSON" % (v,))


def _is_container(v):
    return isinstance(v, (dict, list, tuple))


def _dump(v, level):
    pad = "  " * level
    inner = "  " * (level + 1)
    if isinstance(v, dict):
        if not v:
            return "{}"
        items = [inner + json.dumps(str(k)) + ": " + _dump(val, level + 1) for k, val in v.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(v, (list, tuple)):
        if not any(_is_container(e) for e in v):
            return "[" + ", ".join(_scalar(e) for e in v) + "]"
        return "[\n" + ",\n".join(inner + _dump(e, level + 1) for e in v) + "\n" + pad + "]"
    return _scalar(v)


def dumps(obj):
    return _dump(obj, 0) + "\n"


def write_json(path, obj):
    text = dumps(obj)
    json.loads(text)  # well-formed
    Path(path).write_text(text, encoding="utf-8", newline="\n")


def read_json(path):
    return json.loads(Path(path).read_text(encoding="utf-8"), object_pairs_hook=OrderedDict)


# ----------------------------------------------------------------------------------------------
# Manifest, golden vectors, metrics
# ----------------------------------------------------------------------------------------------

def manifest(name, description, checkpoint, prefixes, activation, spec, features, output, ranges, stream=None):
    return OrderedDict([
        ("tinyloc", 1),
        ("name", name),
        ("description", description),
        ("checkpoint", checkpoint),
        ("family", "mlp"),
        ("architecture", OrderedDict([("layers", list(prefixes)), ("activation", activation)])),
        ("input", spec.manifest_input(features, stream=stream)),
        ("output", output),
        ("quantization", OrderedDict([("scheme", "static"), ("activation_ranges", ranges)])),
    ])


def regression_output(names, unit="m"):
    return OrderedDict([("kind", "regression"), ("names", list(names)), ("unit", unit)])


def classification_output(labels):
    return OrderedDict([("kind", "classification"), ("labels", list(labels))])


def synthetic_inputs(spec, n_features, seed, count, missing_fraction=0.25):
    """`count` synthetic raw-RSSI vectors (lists of ints): integers uniform in
    [rssi_min-10, rssi_max+5], about `missing_fraction` of the cells replaced by the
    not-received code. Never real data."""
    rng = np.random.default_rng(seed)
    lo = int(math.floor(spec.rssi_min)) - 10
    hi = int(math.ceil(spec.rssi_max)) + 5
    values = np.rint(rng.uniform(lo, hi, size=(count, n_features))).astype(np.int64)
    missing = rng.random((count, n_features)) < missing_fraction
    values[missing] = spec.not_received_code()
    return [[int(v) for v in row] for row in values]


def golden_inputs(spec, n_features, seed, count=32):
    """`count` synthetic vectors (synthetic_inputs) + 2 edge vectors: all missing; all at rssi_max."""
    rows = synthetic_inputs(spec, n_features, seed, count)
    rows.append([spec.not_received_code()] * n_features)
    rows.append([spec.rssi_max] * n_features)
    return rows


def model_outputs(model, spec, raw_inputs):
    x = spec.normalise_torch(np.asarray(raw_inputs, dtype=np.float32))
    with torch.no_grad():
        y = model(x)
    assert y.dtype == torch.float32
    return y


def golden(name, model, spec, raw_inputs):
    y = model_outputs(model, spec, raw_inputs).numpy()
    return OrderedDict([
        ("model", name),
        ("torch", torch.__version__),
        ("inputs", raw_inputs),
        ("outputs", [[float(v) for v in row] for row in y]),
    ])


def check_golden(doc, model, spec):
    """Recompute the outputs of a golden file and require bit-identical float32 values."""
    y = model_outputs(model, spec, doc["inputs"]).numpy()
    want = np.asarray(doc["outputs"], dtype=np.float64).astype(np.float32)
    if y.shape != want.shape or not np.array_equal(y.view(np.uint32), want.view(np.uint32)):
        raise AssertionError("golden outputs of %s do not reproduce" % doc["model"])


def check_not_real_rows(raw_inputs, real_rows):
    """No random golden input may equal a row of a real dataset. The constant edge vectors
    (all missing, all at rssi_max) are exempt: UJIIndoorLoc has real all-missing rows."""
    real = {tuple(np.float32(v) for v in r) for r in np.asarray(real_rows, dtype=np.float32)}
    for r in raw_inputs:
        if len(set(r)) == 1:
            continue
        if tuple(np.float32(v) for v in r) in real:
            raise AssertionError("a golden input equals a real data row")


# ----------------------------------------------------------------------------------------------
# Checkpoints
# ----------------------------------------------------------------------------------------------

def float32_state_dict(model):
    return OrderedDict((k, v.detach().to(torch.float32).contiguous().clone())
                       for k, v in model.state_dict().items())


def save_pt(model, path):
    """torch.save of the state dict (zip format), the layout the compiler's reader expects."""
    torch.save(model.state_dict(), str(path))


def load_pt(model, path):
    model.load_state_dict(torch.load(str(path), map_location="cpu"))
    return model


def save_safetensors(state_dict, path):
    """A .safetensors file written by hand: u64 LE header length, JSON header (tensors in
    state-dict order; padded with spaces to 8 bytes), then the raw little-endian float32 data."""
    header = OrderedDict()
    blobs = []
    offset = 0
    for name, t in state_dict.items():
        a = t.detach().cpu().contiguous().numpy().astype("<f4", copy=False)
        data = a.tobytes(order="C")
        header[name] = OrderedDict([("dtype", "F32"), ("shape", list(a.shape)),
                                    ("data_offsets", [offset, offset + len(data)])])
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((-len(text)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def load_safetensors(path):
    raw = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"), object_pairs_hook=OrderedDict)
    body = raw[8 + n:]
    out = OrderedDict()
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32"
        b, e = info["data_offsets"]
        a = np.frombuffer(body[b:e], dtype="<f4").reshape(info["shape"]).copy()
        out[name] = torch.from_numpy(a)
    return out


# ----------------------------------------------------------------------------------------------
# Metrics (numpy only)
# ----------------------------------------------------------------------------------------------

def accuracy(y_true, y_pred):
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    return float(np.mean(y_true == y_pred))


def macro_f1(y_true, y_pred, n_classes):
    """Unweighted mean of per-class F1 over all n_classes (F1 = 0 for a class never predicted
    and never present)."""
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    f1s = []
    for c in range(n_classes):
        tp = np.sum((y_pred == c) & (y_true == c))
        fp = np.sum((y_pred == c) & (y_true != c))
        fn = np.sum((y_pred != c) & (y_true == c))
        denom = 2 * tp + fp + fn
        f1s.append(0.0 if denom == 0 else 2.0 * tp / denom)
    return float(np.mean(f1s))


def euclidean_errors(xy_true, xy_pred):
    d = np.asarray(xy_pred, dtype=np.float64) - np.asarray(xy_true, dtype=np.float64)
    return np.sqrt(np.sum(d * d, axis=1))


def rounded(x, digits=6):
    return float(round(float(x), digits))
