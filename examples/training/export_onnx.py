"""Export the example MLPs to ONNX (float32), for measuring a peer compiler beside TinyLoc.

For every example model (examples/models/NAME.tinyloc.json) this rebuilds the network from its
checkpoint (the Linear layers and activation of the manifest, as make_dynamic_golden.py does) and
writes OUT_DIR/NAME.onnx: one input "input" of shape [1, features] and one output "output". The
min-max RSSI normalisation is not part of the export: the network takes normalised inputs, and
whoever runs the peer's code feeds it normalised values (tests/bench does).

    /usr/bin/python3 examples/training/export_onnx.py OUT_DIR

The .onnx files are build products: keep them outside the repository (they are not committed).
"""

import sys
from pathlib import Path

import torch

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
import tinyloc_common as tc  # noqa: E402
from make_dynamic_golden import build, load_state  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: export_onnx.py OUT_DIR\n")
        return 2
    out_dir = Path(argv[1]).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    models = REPO / "examples" / "models"
    for manifest_path in sorted(models.glob("*.tinyloc.json")):
        man = tc.read_json(manifest_path)
        if man["family"] != "mlp":
            continue  # the ONNX export covers the MLPs only
        name = man["name"]
        model = build(man, load_state(models / man["checkpoint"]))
        width = len(man["input"]["features"]) * man["input"].get("window", 1)
        example = torch.zeros(1, width, dtype=torch.float32)
        out = out_dir / (name + ".onnx")
        with torch.no_grad():
            torch.onnx.export(model, example, str(out), input_names=["input"], output_names=["output"],
                              opset_version=13, do_constant_folding=True)
        print("wrote", out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
