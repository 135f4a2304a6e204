"""Train the model grid of the compression study (Suwannaphong et al. 2025) into examples/models/paper/.

Baselines (the CRF negative log-likelihood, ts.fit) for every model below, then a distilled copy
(paper Eq. 4-5, paper_common.fit_distil, alpha 0.1) of every model marked `student`, taught by the
baseline with the best validation macro-F1 among the larger models of its family on the same task
(read back from the checkpoints just written). A distilled model starts from the same seed (the same
initial weights and batch order) as its baseline, so the two differ by the loss alone.

  UJIIndoorLoc, 58 areas (paper_common.uji_area), window 1:
    Mamba H64L1 (teacher only), H32L1, H8L2, H8L1, H4L1, H2L1;  MDCSA H32L1 (teacher only), H16L1, H8L1
  Kolakowski rooms (train_kolakowski_seq.py's 20-step windows):
    Mamba H32L1 (teacher only), H8L1;  MDCSA H32L1 (teacher only), H16L1
  iBeacon zones (train_ibeacon_seq.py's scans), window 1:
    Mamba H32L1 (teacher only), H8L1

MDCSA on window 1: the reference merge (Conv1d kernel 3, stride 3, padding 0) yields no row from one
step (PyTorch raises; the compiler: error TL2001, the conv's steps are shorter than its kernel); the
UJI/iBeacon MDCSA models use merge padding 1 (manifest architecture.merge.padding = 1), which gives one
emission row from the kernel's middle tap. Kolakowski MDCSA keeps the reference padding 0 (6 rows from 20 steps).

Writes NAME.pt, NAME.tinyloc.json, NAME.metrics.json per model (no golden vectors). Deterministic: one
thread, fixed seeds; a rerun writes byte-identical .pt and manifests (only timings in metrics change).

    /usr/bin/python3 examples/training/paper_train.py [--task uji|kolakowski|ibeacon] [--only NAME] [--verbose]
"""

import sys
import time
from collections import OrderedDict
from pathlib import Path

import numpy as np
import torch

sys.dont_write_bytecode = True  # keep __pycache__ out of the repository
sys.path.insert(0, str(Path(__file__).resolve().parent))
import tinyloc_common as tc  # noqa: E402
import tinyloc_seq as ts  # noqa: E402
import paper_common as pc  # noqa: E402


def mamba(h, layers):
    return lambda f, c, window: ts.Mamba(f, c, d_model=h, n_layers=layers)


def mdcsa(h):
    # window 1: merge padding 1 (see the module doc); longer windows: the reference padding 0
    return lambda f, c, window: ts.Mdcsa(f, c, hidden=h, kernels=[1], merge_padding=1 if window == 1 else 0)


class Spec:
    def __init__(self, task, family, config, factory, seed, lr, batch, max_epochs, patience, student):
        self.task, self.family, self.config, self.factory = task, family, config, factory
        self.seed, self.lr, self.batch, self.max_epochs, self.patience = seed, lr, batch, max_epochs, patience
        self.student = student
        self.name = "%s_%s_%s" % (task, family, config.lower())
        self.kd_name = self.name + "_kd"


# UJIIndoorLoc: lr 3e-3, batch 64 (uji_mamba's), at most 30 epochs, patience 8 (validation macro-F1 plateaus
# after ~10-15 epochs). Kolakowski and iBeacon: the recipes of train_kolakowski_seq.py / train_ibeacon_seq.py
# (the H8L1 / H16L1 baselines use those scripts' seeds, so they reproduce the committed example checkpoints).
U = dict(lr=3e-3, batch=64, max_epochs=30, patience=8)
K_MAMBA = dict(lr=3e-3, batch=32, max_epochs=300, patience=60)
K_MDCSA = dict(lr=2e-3, batch=32, max_epochs=300, patience=60)
I_MAMBA = dict(lr=3e-3, batch=32, max_epochs=300, patience=50)

SPECS = [
    Spec("uji", "mamba", "H64L1", mamba(64, 1), 14064, student=False, **U),
    Spec("uji", "mamba", "H32L1", mamba(32, 1), 14032, student=True, **U),
    Spec("uji", "mamba", "H8L2", mamba(8, 2), 14082, student=True, **U),
    Spec("uji", "mamba", "H8L1", mamba(8, 1), 14081, student=True, **U),
    Spec("uji", "mamba", "H4L1", mamba(4, 1), 14041, student=True, **U),
    Spec("uji", "mamba", "H2L1", mamba(2, 1), 14021, student=True, **U),
    Spec("uji", "mdcsa", "H32L1", mdcsa(32), 14332, student=False, **U),
    Spec("uji", "mdcsa", "H16L1", mdcsa(16), 14316, student=True, **U),
    Spec("uji", "mdcsa", "H8L1", mdcsa(8), 14308, student=True, **U),
    Spec("kolakowski", "mamba", "H32L1", mamba(32, 1), 7132, student=False, **K_MAMBA),
    Spec("kolakowski", "mamba", "H8L1", mamba(8, 1), 7101, student=True, **K_MAMBA),
    Spec("kolakowski", "mdcsa", "H32L1", mdcsa(32), 7332, student=False, **K_MDCSA),
    Spec("kolakowski", "mdcsa", "H16L1", mdcsa(16), 7102, student=True, **K_MDCSA),
    Spec("ibeacon", "mamba", "H32L1", mamba(32, 1), 20160432, student=False, **I_MAMBA),
    Spec("ibeacon", "mamba", "H8L1", mamba(8, 1), 20160418, student=True, **I_MAMBA),
]

DESCRIPTIONS = {
    "uji": "one UJIIndoorLoc scan (window 1): 520 Wi-Fi RSSI (100 = not detected) -> %d areas "
           "(B{building}F{floor}_c{i}_{j}, a 72-unit grid, paper_common.uji_area)",
    "kolakowski": "20-step window of 6 BLE anchor RSSI -> %d rooms (Kolakowski 2021 flat)",
    "ibeacon": "one iBeacon scan (window 1): 13 BLE beacons (-200 = not detected) -> %d library-floor zones",
}


def describe(spec, task, teacher=None):
    fam = "Mamba" if spec.family == "mamba" else "MDCSA"
    what = DESCRIPTIONS[spec.task] % len(task.labels)
    kd = "" if teacher is None else ", distilled from %s (alpha %.1f)" % (teacher, pc.ALPHA)
    return "%s %s + CRF%s: %s; output = final Viterbi scores" % (fam, spec.config, kd, what)


def metrics_doc(name, spec, task, model, epochs, seconds, distillation=None):
    doc = OrderedDict([
        ("model", name),
        ("dataset", task.dataset),
        ("torch", torch.__version__),
        ("seed", spec.seed),
        ("split", task.split),
        ("samples", OrderedDict([("train", int(len(task.s_tr))), ("validation", int(len(task.s_va))),
                                 ("test", int(len(task.s_te))), ("unit", task.unit)])),
        ("classes", list(task.labels)),
        ("parameters", ts.param_summary(model)),
        ("training", OrderedDict([("lr", spec.lr), ("batch", spec.batch), ("loss", "crf_nll" if distillation is None
                                                                          else "distillation")])),
        ("epochs", epochs),
        ("training_seconds", seconds),
        ("data", OrderedDict([("rssi_range", [task.spec.rssi_min, task.spec.rssi_max]),
                              ("missing_value", task.spec.missing_value)] + list(task.facts.items()))),
    ])
    if distillation is not None:
        doc["distillation"] = distillation
    doc["validation"] = ts.evaluate(model, task.x_va, task.s_va, len(task.labels))
    doc["test"] = ts.evaluate(model, task.x_te, task.s_te, len(task.labels))
    doc["test"]["file"] = task.test_file
    return doc


def report_line(name, m):
    print("%-26s params %6d  epochs %3d/%3d  cpu %6.1f s  val F1 %.4f  test acc %.4f F1 %.4f"
          % (name, m["parameters"]["total"], m["epochs"]["best"], m["epochs"]["run"], m["training_seconds"]["cpu"],
             m["validation"]["macro_f1"], m["test"]["accuracy"], m["test"]["macro_f1"]), flush=True)


def train_baseline(spec, task, out, log):
    tc.set_determinism(spec.seed, threads=1)
    model = spec.factory(len(task.features), len(task.labels), task.window)
    best, epochs, seconds = ts.fit(model, task.x_tr, task.s_tr, task.x_va, task.s_va, len(task.labels), spec.seed,
                                   lr=spec.lr, batch=spec.batch, max_epochs=spec.max_epochs, patience=spec.patience,
                                   log=log)
    model.load_state_dict(best)
    model = pc.export_model(model.eval(), out, spec.name, describe(spec, task), task)
    m = metrics_doc(spec.name, spec, task, model, epochs, seconds)
    tc.write_json(out / (spec.name + ".metrics.json"), m)
    report_line(spec.name, m)


def choose_teacher(spec, out):
    """The baseline with the best validation macro-F1 among the larger models (parameters) of the same
    family on the same task; ties go to the larger model. Returns (name, candidates table)."""
    mine = tc.read_json(out / (spec.name + ".metrics.json"))["parameters"]["total"]
    cands = []
    for other in SPECS:
        if other.task != spec.task or other.family != spec.family or other is spec:
            continue
        path = out / (other.name + ".metrics.json")
        if not path.is_file():
            print("warning: %s not trained yet: not a teacher candidate for %s" % (other.name, spec.name))
            continue
        m = tc.read_json(path)
        if m["parameters"]["total"] > mine:
            cands.append((m["validation"]["macro_f1"], m["parameters"]["total"], other.name))
    if not cands:
        raise SystemExit("error: %s has no larger model of its family to learn from" % spec.name)
    cands.sort(reverse=True)
    table = [OrderedDict([("model", n), ("parameters", p), ("validation_macro_f1", f)]) for f, p, n in cands]
    return cands[0][2], table


def train_distilled(spec, task, out, log):
    teacher_name, cands = choose_teacher(spec, out)
    teacher = pc.load_model(out / (teacher_name + ".tinyloc.json"))
    tc.set_determinism(spec.seed, threads=1)
    model = spec.factory(len(task.features), len(task.labels), task.window)
    best, epochs, seconds = pc.fit_distil(model, teacher, task.x_tr, task.s_tr, task.x_va, task.s_va,
                                          len(task.labels), spec.seed, lr=spec.lr, batch=spec.batch,
                                          max_epochs=spec.max_epochs, patience=spec.patience, log=log)
    model.load_state_dict(best)
    model = pc.export_model(model.eval(), out, spec.kd_name, describe(spec, task, teacher_name), task)
    kd = OrderedDict([
        ("teacher", teacher_name),
        ("teacher_rule", "best validation macro-F1 among the larger baselines of the same family and task"),
        ("candidates", cands),
        ("alpha", pc.ALPHA),
        ("loss", "alpha * CRF NLL (per window, batch mean) + (1 - alpha) * sum over emission rows of "
                 "-sum_c softmax(E_teacher)[c] * log_softmax(E_student)[c] (temperature 1, batch mean)"),
        ("init", "the baseline's seed: same initial weights and batch order"),
    ])
    m = metrics_doc(spec.kd_name, spec, task, model, epochs, seconds, kd)
    tc.write_json(out / (spec.kd_name + ".metrics.json"), m)
    report_line(spec.kd_name, m)


def main(argv=None):
    import argparse
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", help="data path (default $TINYLOC_DATA or <repo>/../shared/datasets)")
    p.add_argument("--out", default=str(pc.PAPER_DIR), help="output folder (default examples/models/paper)")
    p.add_argument("--task", choices=list(pc.TASKS), action="append", help="train only this task (repeatable)")
    p.add_argument("--only", action="append", help="train only this model (NAME or NAME_kd; repeatable)")
    p.add_argument("--verbose", action="store_true", help="print every epoch")
    args = p.parse_args(argv)
    if args.data:
        import os
        os.environ[tc.DATA_ENV] = args.data
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    log = print if args.verbose else None
    cpu0, wall0 = time.process_time(), time.time()
    for key, make_task in pc.TASKS.items():
        if args.task and key not in args.task:
            continue
        specs = [s for s in SPECS if s.task == key]
        if args.only and not any(n in (s.name, s.kd_name) for s in specs for n in args.only):
            continue
        t0 = time.time()
        task = make_task()
        print("%s: %d classes, train %d / validation %d / test %d (%s), loaded in %.1f s"
              % (key, len(task.labels), len(task.s_tr), len(task.s_va), len(task.s_te), task.unit, time.time() - t0),
              flush=True)
        for s in specs:
            if not args.only or s.name in args.only:
                train_baseline(s, task, out, log)
        for s in specs:
            if s.student and (not args.only or s.kd_name in args.only):
                train_distilled(s, task, out, log)
    print("paper_train: %.1f s CPU, %.1f s wall" % (time.process_time() - cpu0, time.time() - wall0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
