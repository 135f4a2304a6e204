"""ONNX exports of TinyLoc networks, each with a manifest and golden vectors, for the ONNX importer.

    /usr/bin/python3 examples/training/export_onnx.py [OUT_DIR] [--data DIR]   # ~30 s CPU
    /usr/bin/python3 examples/training/export_onnx.py --bench OUT_DIR          # the bench's files only, ~2 s

For every model below this writes three files into OUT_DIR (default examples/models/onnx):

  NAME.onnx          torch.onnx.export of the float32 network in eval mode: one input "input" of a
                     static shape with batch 1, one output "output", do_constant_folding, no
                     dynamic axes. The min-max RSSI normalisation is NOT in the network: it takes
                     normalised inputs, and the manifest tells the compiler how to normalise.
  NAME.tinyloc.json  manifest: family "onnx", checkpoint NAME.onnx, architecture {}, the source
                     model's input and output blocks, quantization {"scheme": "dynamic"}.
  NAME.golden.json   {model, torch, inputs, outputs}: 34 synthetic raw inputs (tc.golden_inputs:
                     32 seeded random ones, checked to be no real test row or window; one all
                     missing; one all at rssi_max; windows flattened time-major, x[t*F + f], in dBm; float32
                     values) and the float32 outputs of the exported module on the normalised
                     inputs, each input run alone (batch 1), as the ONNX graph runs it.

  model                  source                                         input       opset
  uji_mlp_onnx           examples/models/uji_mlp, rebuilt from its .pt  [1, 520]    13
  kolakowski_mlp_onnx    examples/models/kolakowski_mlp                 [1, 6]      17
  kolakowski_cnn1d_onnx  examples/models/kolakowski_cnn1d               [1, 20, 6]  13
                         (tinyloc_seq.Cnn1d, time-major input)
  kolakowski_bn_mlp      trained here on kolakowski_mlp's data, split   [1, 6]      15
                         and x/y targets: Linear/BatchNorm1d/ReLU/Dropout
  kolakowski_cnn_cf      trained here on kolakowski_cnn1d's windows,    [1, 6, 20]  18 asked; 17, the
                         split and rooms: a channel-first 1-D CNN                   highest torch 1.13
                         ending in Softmax (outputs are probabilities)              exports

When an opset is newer than this PyTorch can export, the highest one it can is used (and printed).
Each .onnx file is read back with a small protobuf reader (no onnx package needed) to check its
opset, input and output, and its operator types are printed. In eval mode torch.onnx.export folds
a BatchNorm that follows a Conv into the Conv's weights (kolakowski_cnn_cf has no BatchNormalization
node; kolakowski_bn_mlp keeps its two), so a float32 evaluation of that graph agrees with the
golden outputs to rounding, not bit for bit. Training is seeded and deterministic
(fixed seeds, deterministic algorithms, 1 thread), so a rerun writes byte-identical files.

The peer bench (tests/bench/README.md) runs `export_onnx.py DIR` and reads DIR/NAME.onnx for each
example MLP (kolakowski_mlp.onnx, uji_mlp.onnx: opset 13, input [1, F], on normalised input). So
whenever OUT_DIR is given and is not the default folder, those files are written too, before
anything that needs a dataset; `--bench` writes only them (no dataset, no training).
"""

import argparse
import math
import os
import sys
import time
from collections import OrderedDict
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.dont_write_bytecode = True  # keep __pycache__ out of the repository
sys.path.insert(0, str(Path(__file__).resolve().parent))
import tinyloc_common as tc  # noqa: E402
import tinyloc_seq as ts  # noqa: E402
import train_kolakowski_mlp as kmlp  # noqa: E402
import train_kolakowski_seq as kseq  # noqa: E402
import train_uji_mlp as umlp  # noqa: E402
from make_dynamic_golden import build, load_state  # noqa: E402

DEFAULT_OUT = tc.MODELS_DIR / "onnx"
BENCH_OPSET = 13            # the peer bench's exports (unchanged from the earlier export_onnx.py)

# The two models trained here.
BN_MLP_SEED = 8101
BN_MLP_HIDDEN = 32
BN_MLP_DROPOUT = 0.2
BN_MLP_MAX_EPOCHS = 150
BN_MLP_PATIENCE = 40
CNN_CF_SEED = 8102
CNN_CF_LR = 3e-3            # kolakowski_cnn1d's recipe (train_kolakowski_seq.MODELS)
CNN_CF_MAX_EPOCHS = 300
CNN_CF_PATIENCE = 60


# ----------------------------------------------------------------------------------------------
# The networks trained here
# ----------------------------------------------------------------------------------------------

def bn_mlp(n_in, n_out):
    """Linear 32 -> BatchNorm1d -> ReLU -> Dropout -> Linear 32 -> BatchNorm1d -> ReLU -> Dropout -> Linear."""
    h, p = BN_MLP_HIDDEN, BN_MLP_DROPOUT
    return nn.Sequential(nn.Linear(n_in, h), nn.BatchNorm1d(h), nn.ReLU(), nn.Dropout(p),
                         nn.Linear(h, h), nn.BatchNorm1d(h), nn.ReLU(), nn.Dropout(p),
                         nn.Linear(h, n_out))


class CnnChannelFirst(nn.Module):
    """x [B, F, T] -> Conv1d(F, 12, 5, pad 2) -> BatchNorm1d -> ReLU -> AvgPool1d(2) -> Conv1d(12, 16, 3,
    pad 1) -> Tanh -> MaxPool1d(2) -> flatten (channel-major) -> Linear -> Softmax: class probabilities."""

    def __init__(self, n_features, n_classes, window):
        super().__init__()
        assert window % 4 == 0, "two pools of 2"
        self.conv1 = nn.Conv1d(n_features, 12, 5, padding=2)
        self.bn1 = nn.BatchNorm1d(12)
        self.pool1 = nn.AvgPool1d(2)
        self.conv2 = nn.Conv1d(12, 16, 3, padding=1)
        self.pool2 = nn.MaxPool1d(2)
        self.fc = nn.Linear(16 * (window // 4), n_classes)
        self.softmax = nn.Softmax(dim=-1)

    def logits(self, x):
        x = self.pool1(torch.relu(self.bn1(self.conv1(x))))
        x = self.pool2(torch.tanh(self.conv2(x)))
        return self.fc(x.view(x.size(0), -1))

    def forward(self, x):
        return self.softmax(self.logits(x))


class TimeMajorLogits(nn.Module):
    """Adapter for tinyloc_seq.fit / evaluate, which feed windows [B, T, F] and want logits."""

    has_crf = False

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net.logits(x.transpose(1, 2))


# ----------------------------------------------------------------------------------------------
# Data: exactly the preprocessing and splits of the training scripts
# ----------------------------------------------------------------------------------------------

def spec_of(man):
    inp = man["input"]
    return tc.RssiSpec(inp["rssi_range"][0], inp["rssi_range"][1], inp["missing_value"])


def check_range(spec, observed):
    """The training scripts' rssi_range: the training split's observed range rounded outward."""
    want = [int(math.floor(np.nanmin(observed))), int(math.ceil(np.nanmax(observed)))]
    if want != [spec.rssi_min, spec.rssi_max]:
        raise SystemExit("error: the training split's RSSI range %s is not the manifest's %s"
                         % (want, [spec.rssi_min, spec.rssi_max]))


def fill_missing(raw, spec):
    """Empty cell (NaN) = not received = rssi_min, as the Kolakowski scripts do."""
    return np.where(np.isnan(raw), spec.rssi_min, raw)


def kolakowski_rows(spec):
    """train_kolakowski_mlp's data: raw train/validation/test rows (NaN filled) and x/y targets."""
    cal_rssi, cal_xy = kmlp.load("calibration_df.csv.gz")
    test_rssi, test_xy = kmlp.load("test_robot_df.csv.gz")
    train_idx, val_idx = kmlp.block_split(len(cal_rssi), kmlp.SPLIT_SEED)
    check_range(spec, cal_rssi[train_idx])
    return OrderedDict([
        ("train", (fill_missing(cal_rssi[train_idx], spec), cal_xy[train_idx])),
        ("validation", (fill_missing(cal_rssi[val_idx], spec), cal_xy[val_idx])),
        ("test", (fill_missing(test_rssi, spec), test_xy)),
    ])


def kolakowski_windows(spec):
    """train_kolakowski_seq's windows (the same sessions, 120-row blocks, split seed, window and hop):
    OrderedDict split -> (raw windows [N, T, F] with NaN filled, per-step zones [N, T])."""
    cal_rssi, cal_zone, test_rssi, test_zone, train_runs, val_runs, test_runs = kseq.split()
    check_range(spec, cal_rssi[np.concatenate(train_runs)])
    out = OrderedDict()
    for split, (rssi, zones, run_list) in (("train", (cal_rssi, cal_zone, train_runs)),
                                           ("validation", (cal_rssi, cal_zone, val_runs)),
                                           ("test", (test_rssi, test_zone, test_runs))):
        raw, z = kseq.windows(rssi, zones, run_list)
        out[split] = (fill_missing(raw, spec), z)
    return out


def normalised_windows(spec, raw):
    """Raw windows [N, T, F] -> normalised float32 tensor [N, T, F] (time-major)."""
    return spec.normalise_torch(raw.reshape(len(raw), -1)).reshape(raw.shape)


def uji_test(labels):
    """uji_mlp's test set (the whole validationData.csv.gz): raw rows and class indices."""
    waps, bf = umlp.load("validationData.csv.gz")
    index = {label: i for i, label in enumerate(labels)}
    return waps, np.array([index["B%dF%d" % c] for c in bf])


# ----------------------------------------------------------------------------------------------
# Training the two new models
# ----------------------------------------------------------------------------------------------

def train_bn_mlp(spec, rows):
    """kolakowski_mlp's recipe (Adam, its learning rate and batch, MSE on x/y, early stopping on the
    validation mean error) for the BatchNorm MLP, with fewer epochs."""
    # 1 thread, as the sequence scripts: the tensors are tiny and a second thread only adds contention
    # (2 threads took 3-10x longer on the shared 2-core machine). The count is part of the recipe.
    tc.set_determinism(BN_MLP_SEED, threads=1)
    x_train = spec.normalise_torch(rows["train"][0])
    y_train = torch.from_numpy(rows["train"][1].astype(np.float32))
    x_val, xy_val = spec.normalise_torch(rows["validation"][0]), rows["validation"][1]
    model = bn_mlp(x_train.shape[1], y_train.shape[1])
    opt = torch.optim.Adam(model.parameters(), lr=kmlp.LR)
    gen = torch.Generator().manual_seed(BN_MLP_SEED)
    best = (float("inf"), -1, None)
    cpu0 = time.process_time()
    for epoch in range(BN_MLP_MAX_EPOCHS):
        model.train()
        order = torch.randperm(len(x_train), generator=gen)
        for i in range(0, len(order), kmlp.BATCH):
            b = order[i:i + kmlp.BATCH]
            if len(b) < 2:
                continue  # BatchNorm cannot train on a batch of one
            opt.zero_grad()
            F.mse_loss(model(x_train[b]), y_train[b]).backward()
            opt.step()
        model.eval()
        err = float(np.mean(kmlp.mean_error(model, x_val, xy_val)))
        if err < best[0]:
            best = (err, epoch + 1, tc.float32_state_dict(model))
        elif epoch + 1 - best[1] >= BN_MLP_PATIENCE:
            break
    model.load_state_dict(best[2])
    print("kolakowski_bn_mlp: best epoch %d of %d run, validation mean error %.3f m, %.1f s CPU"
          % (best[1], epoch + 1, best[0], time.process_time() - cpu0))
    return model.eval()


def train_cnn_cf(spec, wins, n_classes):
    """kolakowski_cnn1d's recipe (tinyloc_seq.fit: Adam, cross-entropy of the window's last-step room,
    early stopping on validation macro-F1) for the channel-first CNN; trained on its logits."""
    tc.set_determinism(CNN_CF_SEED, threads=1)
    x = {s: normalised_windows(spec, raw) for s, (raw, _) in wins.items()}
    z = {s: zones for s, (_, zones) in wins.items()}
    window, n_features = x["train"].shape[1], x["train"].shape[2]
    adapter = TimeMajorLogits(CnnChannelFirst(n_features, n_classes, window))
    best, epochs, seconds = ts.fit(adapter, x["train"], z["train"], x["validation"], z["validation"], n_classes,
                                   CNN_CF_SEED, lr=CNN_CF_LR, max_epochs=CNN_CF_MAX_EPOCHS,
                                   patience=CNN_CF_PATIENCE)
    adapter.load_state_dict(best)
    adapter.eval()
    print("kolakowski_cnn_cf: best epoch %d of %d run, validation accuracy %.4f, %.1f s CPU"
          % (epochs["best"], epochs["run"], ts.evaluate(adapter, x["validation"], z["validation"],
                                                         n_classes)["accuracy"], seconds["cpu"]))
    return adapter.net.eval()


# ----------------------------------------------------------------------------------------------
# Running a module the way its ONNX graph runs (batch 1, its own input layout)
# ----------------------------------------------------------------------------------------------

def to_input(spec, raw_inputs, layout, window, n_features):
    """Raw inputs [N, T*F] (time-major) -> the normalised network input: 'flat' [N, F], 'time-major'
    [N, T, F] or 'channel-first' [N, F, T]."""
    x = spec.normalise_torch(np.asarray(raw_inputs, dtype=np.float32))
    if layout == "flat":
        return x
    x = x.reshape(len(x), window, n_features)
    return x if layout == "time-major" else x.transpose(1, 2).contiguous()


def run_batch1(module, x):
    """The module on each input alone ([1, ...]), as the ONNX graph (static batch 1) runs: [N, C]."""
    with torch.no_grad():
        y = torch.cat([module(x[i:i + 1]) for i in range(len(x))])
    assert y.dtype == torch.float32
    return y


def raw_value(v):
    """A raw reading as the float32 the compiler reads: an int when integral, else the float32's repr."""
    f = np.float32(v)
    return int(f) if f == np.rint(f) else float(f)


def golden_doc(name, module, spec, raw_inputs, layout, window, n_features):
    """{model, torch, inputs, outputs}, the key set of the example golden files; checked to round-trip."""
    x = to_input(spec, raw_inputs, layout, window, n_features)
    y = run_batch1(module, x)
    with torch.no_grad():
        batched = module(x)
    if not torch.equal(y, batched):   # a different GEMM blocking may round differently; report it
        print("  note: %s batch-of-%d outputs differ from batch-1 by up to %.2e (golden = batch 1)"
              % (name, len(x), float((y - batched).abs().max())))
    doc = OrderedDict([("model", name), ("torch", torch.__version__), ("inputs", raw_inputs),
                       ("outputs", [[float(v) for v in row] for row in y.numpy()])])
    return doc


def check_golden_file(path, module, spec, layout, window, n_features):
    doc = tc.read_json(path)
    assert list(doc.keys()) == ["model", "torch", "inputs", "outputs"]
    assert all(float(np.float32(v)) == v for row in doc["inputs"] for v in row), "inputs not float32"
    y = run_batch1(module, to_input(spec, doc["inputs"], layout, window, n_features)).numpy()
    want = np.asarray(doc["outputs"], dtype=np.float64).astype(np.float32)
    if y.shape != want.shape or not np.array_equal(y.view(np.uint32), want.view(np.uint32)):
        raise AssertionError("%s: the golden outputs do not reproduce" % path.name)


# ----------------------------------------------------------------------------------------------
# Export and a minimal ONNX (protobuf) reader
# ----------------------------------------------------------------------------------------------

def export(module, shape, path, opset, keep_batchnorm=False):
    """torch.onnx.export of the eval-mode float32 module on a static [1, ...] input; returns the opset
    used: `opset`, or the highest below it that this PyTorch exports. keep_batchnorm: export in
    TrainingMode.PRESERVE (the module is in eval mode either way), so that a BatchNorm1d after a Conv1d stays a
    BatchNormalization node instead of being folded into the Conv by the exporter: the compiler's own folding
    is then what the model tests."""
    module.eval()
    example = torch.zeros(*shape, dtype=torch.float32)
    for version in range(opset, 6, -1):
        try:
            with torch.no_grad():
                torch.onnx.export(module, example, str(path), input_names=["input"], output_names=["output"],
                                  opset_version=version, do_constant_folding=True,
                                  training=torch.onnx.TrainingMode.PRESERVE if keep_batchnorm else torch.onnx.TrainingMode.EVAL)
        except ValueError as e:
            if "Unsupported ONNX opset version" not in str(e):
                raise
            continue
        if version != opset:
            print("  note: torch %s cannot export opset %d; %s uses opset %d, its highest"
                  % (torch.__version__, opset, path.name, version))
        return version
    raise SystemExit("error: torch %s exports no opset <= %d" % (torch.__version__, opset))


def _fields(buf):
    """(field number, wire type, value) of one protobuf message; value is an int or bytes."""
    i, n = 0, len(buf)

    def varint():
        nonlocal i
        shift = result = 0
        while True:
            b = buf[i]
            i += 1
            result |= (b & 0x7F) << shift
            if b < 0x80:
                return result
            shift += 7

    while i < n:
        key = varint()
        field, wire = key >> 3, key & 7
        if wire == 0:
            yield field, wire, varint()
        elif wire == 1:
            yield field, wire, buf[i:i + 8]
            i += 8
        elif wire == 2:
            size = varint()
            yield field, wire, buf[i:i + size]
            i += size
        elif wire == 5:
            yield field, wire, buf[i:i + 4]
            i += 4
        else:
            raise ValueError("unsupported protobuf wire type %d" % wire)


def _sub(buf, field):
    return [v for f, w, v in _fields(buf) if f == field and w == 2]


def _value_info(buf):
    """ValueInfoProto -> (name, dims); dims are ints, or strings for symbolic dimensions."""
    name = _sub(buf, 1)[0].decode()
    dims = []
    for tensor in (t for ty in _sub(buf, 2) for t in _sub(ty, 1)):           # TypeProto.tensor_type
        for shape in _sub(tensor, 2):
            for dim in _sub(shape, 1):
                d = dict((f, v) for f, _, v in _fields(dim))
                dims.append(d[1] if 1 in d else d.get(2, b"?").decode())
    return name, dims


def onnx_summary(path):
    """ir version, opset (default domain), graph inputs and outputs (name, dims) without the
    initializers, operator types in node order and the number of initializers of an .onnx file."""
    model = Path(path).read_bytes()
    ir = next(v for f, w, v in _fields(model) if f == 1 and w == 0)
    opsets = {}
    for op in _sub(model, 8):
        d = dict((f, v) for f, _, v in _fields(op))
        opsets[d.get(1, b"").decode()] = d.get(2)
    graph = _sub(model, 7)[0]
    inits = set()
    for t in _sub(graph, 5):
        inits.update(v.decode() for f, w, v in _fields(t) if f == 8 and w == 2)
    ops = []
    for node in _sub(graph, 1):
        ops.extend(v.decode() for f, w, v in _fields(node) if f == 4 and w == 2)
    inputs = [_value_info(v) for v in _sub(graph, 11)]
    return OrderedDict([("ir_version", ir), ("opset", opsets.get("")),
                        ("inputs", [i for i in inputs if i[0] not in inits]),
                        ("outputs", [_value_info(v) for v in _sub(graph, 12)]),
                        ("ops", ops), ("initializers", len(inits))])


def check_onnx(path, shape, n_out, opset):
    s = onnx_summary(path)
    assert s["opset"] == opset, (path.name, s["opset"], opset)
    assert s["inputs"] == [("input", list(shape))], (path.name, s["inputs"])
    assert s["outputs"] == [("output", [1, n_out])], (path.name, s["outputs"])
    return s


# ----------------------------------------------------------------------------------------------
# Writing one model
# ----------------------------------------------------------------------------------------------

def onnx_manifest(name, description, source):
    return OrderedDict([
        ("tinyloc", 1),
        ("name", name),
        ("description", description),
        ("checkpoint", name + ".onnx"),
        ("family", "onnx"),
        ("architecture", OrderedDict()),
        ("input", source["input"]),
        ("output", source["output"]),
        ("quantization", OrderedDict([("scheme", "dynamic")])),
    ])


def write_model(out_dir, name, description, module, source, layout, opset, raw_test, golden_seed, keep_batchnorm=False):
    """NAME.onnx, NAME.tinyloc.json and NAME.golden.json; returns the ONNX summary."""
    spec = spec_of(source)
    n_features, window = len(source["input"]["features"]), source["input"]["window"]
    out = source["output"]
    n_out = len(out["labels"] if out["kind"] == "classification" else out["names"])
    shape = {"flat": [1, n_features * window], "time-major": [1, window, n_features],
             "channel-first": [1, n_features, window]}[layout]
    used = export(module, shape, out_dir / (name + ".onnx"), opset, keep_batchnorm)
    summary = check_onnx(out_dir / (name + ".onnx"), shape, n_out, used)
    tc.write_json(out_dir / (name + ".tinyloc.json"), onnx_manifest(name, description, source))
    golden_path = out_dir / (name + ".golden.json")
    # Synthetic inputs, as every golden file here: the datasets stay out of the repository (checked: no input is a
    # real test row or window).
    raw_inputs = tc.golden_inputs(spec, window * n_features, golden_seed)
    tc.check_not_real_rows(raw_inputs, [np.asarray(r, dtype=np.float32).reshape(-1) for r in raw_test])
    tc.write_json(golden_path, golden_doc(name, module, spec, raw_inputs, layout, window, n_features))
    check_golden_file(golden_path, module, spec, layout, window, n_features)
    print("wrote %s.{onnx,tinyloc.json,golden.json}: opset %d, input %s, ops %s"
          % (name, used, shape, " ".join(summary["ops"])))
    return summary


def example(name):
    """Manifest and rebuilt module of an example model, checked against its own golden file."""
    man = tc.read_json(tc.MODELS_DIR / (name + ".tinyloc.json"))
    gold = tc.read_json(tc.MODELS_DIR / (name + ".golden.json"))
    state = load_state(tc.MODELS_DIR / man["checkpoint"])
    spec = spec_of(man)
    if man["family"] == "mlp":
        module = build(man, state)
        tc.check_golden(gold, module, spec)
    else:
        module = ts.build_from_manifest(man, state)
        ts.check_seq_golden(gold, module, spec, man["input"]["window"], len(man["input"]["features"]))
    return man, module.eval()


def write_bench_files(out_dir):
    """The peer bench's exports (tests/bench): OUT_DIR/NAME.onnx for every example MLP, opset 13."""
    for path in sorted(tc.MODELS_DIR.glob("*.tinyloc.json")):
        man = tc.read_json(path)
        if man["family"] != "mlp":
            continue
        module = build(man, load_state(tc.MODELS_DIR / man["checkpoint"]))
        shape = [1, len(man["input"]["features"]) * man["input"].get("window", 1)]
        out = out_dir / (man["name"] + ".onnx")
        used = export(module, shape, out, BENCH_OPSET)
        n_out = len(man["output"].get("labels") or man["output"].get("names"))
        check_onnx(out, shape, n_out, used)
        print("wrote", out, "(peer bench)")


# ----------------------------------------------------------------------------------------------

def mlp_test_report(name, module, spec, rows):
    """Mean Euclidean error on the test run, and the room accuracy of the predicted x/y (the rooms
    of train_kolakowski_seq.zone applied to prediction and truth)."""
    raw, xy = rows["test"]
    pred = run_batch1(module, spec.normalise_torch(raw)).numpy()
    err = tc.euclidean_errors(xy, pred)
    rooms = tc.accuracy([kseq.zone(a, b) for a, b in xy], [kseq.zone(a, b) for a, b in pred])
    print("%s test (%d rows): mean error %.3f m, median %.3f m, p90 %.3f m; room accuracy of x/y %.4f"
          % (name, len(xy), np.mean(err), np.median(err), np.percentile(err, 90), rooms))
    return OrderedDict([("mean_error_m", float(np.mean(err))), ("room_accuracy", rooms)])


def window_test_accuracy(name, module, spec, wins, layout):
    raw, zones = wins["test"]
    x = normalised_windows(spec, raw)
    if layout == "channel-first":
        x = x.transpose(1, 2).contiguous()
    pred = run_batch1(module, x).argmax(dim=1).numpy()
    acc = tc.accuracy(zones[:, -1], pred)
    print("%s test accuracy (%d windows): %.4f" % (name, len(zones), acc))
    return acc


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", help="output folder (default %s)" % DEFAULT_OUT)
    parser.add_argument("--data", help="data path (default $TINYLOC_DATA or <repo>/../shared/datasets)")
    parser.add_argument("--bench", action="store_true",
                        help="write only the peer bench's OUT_DIR/NAME.onnx for each example MLP (no data needed)")
    args = parser.parse_args(argv[1:])
    if args.bench and not args.out_dir:
        parser.error("--bench needs OUT_DIR")
    if args.data:
        os.environ[tc.DATA_ENV] = args.data
    out_dir = Path(args.out_dir).resolve() if args.out_dir else DEFAULT_OUT
    out_dir.mkdir(parents=True, exist_ok=True)
    if args.bench or out_dir != DEFAULT_OUT.resolve():
        write_bench_files(out_dir)
        if args.bench:
            return 0

    # 1-3: the example models, rebuilt from their checkpoints
    uji_man, uji = example("uji_mlp")
    uji_raw, uji_y = uji_test(uji_man["output"]["labels"])
    write_model(out_dir, "uji_mlp_onnx",
                "UJIIndoorLoc building x floor MLP (uji_mlp: 520 Wi-Fi RSSI, 100 = not detected -> 64 -> 32 -> "
                "13 logits), ONNX export of the float32 network on normalised input",
                uji, uji_man, "flat", 13, uji_raw, 9101)

    kmlp_man, kolakowski_mlp = example("kolakowski_mlp")
    rows = kolakowski_rows(spec_of(kmlp_man))
    write_model(out_dir, "kolakowski_mlp_onnx",
                "BLE tutorial MLP (kolakowski_mlp: 6 anchor RSSI -> 16 -> 32 -> 64 -> x, y in metres), ONNX export "
                "of the float32 network on normalised input",
                kolakowski_mlp, kmlp_man, "flat", 17, rows["test"][0], 9102)

    cnn_man, cnn1d = example("kolakowski_cnn1d")
    wins = kolakowski_windows(spec_of(cnn_man))
    counts = tc.read_json(tc.MODELS_DIR / "kolakowski_cnn1d.metrics.json")["samples"]
    got = [len(wins[s][1]) for s in ("train", "validation", "test")]
    assert got == [counts["train"], counts["validation"], counts["test"]], ("window counts", got)
    write_model(out_dir, "kolakowski_cnn1d_onnx",
                "1-D CNN (kolakowski_cnn1d: 20-step window of 6 BLE RSSI, input [1, 20, 6] time-major -> conv 16 k3 "
                "-> pool 2 -> conv 32 k3 -> pool 2 -> fc -> 5 room logits), ONNX export of the float32 network",
                cnn1d, cnn_man, "time-major", 13, wins["test"][0], 9103)

    # 4-5: trained here
    labels = cnn_man["output"]["labels"]
    bn = train_bn_mlp(spec_of(kmlp_man), rows)
    write_model(out_dir, "kolakowski_bn_mlp",
                "BatchNorm MLP: 6 anchor RSSI -> Linear 32, BatchNorm, ReLU, Dropout -> Linear 32, BatchNorm, ReLU, "
                "Dropout -> x, y in metres (kolakowski_mlp's data), ONNX export of the float32 network",
                bn, kmlp_man, "flat", 15, rows["test"][0], 9104)
    cf = train_cnn_cf(spec_of(cnn_man), wins, len(labels))
    write_model(out_dir, "kolakowski_cnn_cf",
                "Channel-first 1-D CNN: input [1, 6, 20] (features x steps) -> conv 12 k5, BatchNorm, ReLU, avg pool 2 "
                "-> conv 16 k3, tanh, max pool 2 -> fc -> softmax over 5 rooms, ONNX export of the float32 network",
                cf, cnn_man, "channel-first", 18, wins["test"][0], 9105, keep_batchnorm=True)

    print("test results of the exported modules (float32 PyTorch):")
    pred = run_batch1(uji, spec_of(uji_man).normalise_torch(uji_raw)).argmax(dim=1).numpy()
    print("uji_mlp_onnx test accuracy (%d scans): %.4f" % (len(uji_y), tc.accuracy(uji_y, pred)))
    mlp_test_report("kolakowski_mlp_onnx", kolakowski_mlp, spec_of(kmlp_man), rows)
    window_test_accuracy("kolakowski_cnn1d_onnx", cnn1d, spec_of(cnn_man), wins, "time-major")
    mlp_test_report("kolakowski_bn_mlp", bn, spec_of(kmlp_man), rows)
    window_test_accuracy("kolakowski_cnn_cf", cf, spec_of(cnn_man), wins, "channel-first")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
