"""The sequence model families of docs/models.md in PyTorch: CRF, 1-D CNN, Mamba + CRF, MDCSA + CRF.

Written from the op lists and state-dict names of models.md (the spec the compiler implements):

  * `Crf`     pytorch-crf layout (start_transitions [C], end_transitions [C], transitions [C, C],
              [i, j] = from i to j); negative log-likelihood for training; Viterbi decode returning
              the tag path and the final score vector (after + end_transitions), float32, ties to
              the lowest index (torch.max).
  * `Cnn1d`   conv1, conv2, ... (Conv1d k, stride 1, no padding) -> ReLU -> MaxPool1d(p), flatten
              channel-major, fc -> logits (argmax; no CRF).
  * `Mamba`   encoder, layers.{i}.{norm, mixer.*} (selective scan, sequential in float32),
              hidden2loc (no bias), crf.
  * `Mdcsa`   rssi_encoder, rssi_pe.pe (buffer), mdsca.dcsa{k}.* per kernel k (dead norm2,
              causal_q2/k2, ffn.context included), mdsca.conv1d, mdsca.norm, hidden2loc, crf.

Every model takes a window x[B, T, F] of min-max normalised RSSI (time-major); the raw input the
compiler takes is that window flattened time-major, x[t*F + f], in dBm. CRF models expose
`emissions(x) -> [B, T', C]`; Cnn1d's `forward(x) -> [B, C]` logits.

Also here: the parameter formulas of models.md and `check_param_counts()` (every paper row),
manifests and golden vectors for the sequence families, rebuilding a model from manifest +
checkpoint, a numpy Viterbi (bit-exact float32 reference), and the small training loop the
example scripts share.

    /usr/bin/python3 examples/training/tinyloc_seq.py --check     # parameter-count table
"""

import math
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

PE_LENGTH = 160          # rows of the MDCSA positional table (rssi_pe.pe [1, 160, H])
PE_BASE = 1000.0         # the table's frequency base (the usual transformer table uses 10000)
LN_EPS = 1e-5
RMS_EPS = 1e-5


# ----------------------------------------------------------------------------------------------
# CRF
# ----------------------------------------------------------------------------------------------

class Crf(nn.Module):
    """Linear-chain CRF in the pytorch-crf layout; emissions [B, T, C], no mask (full windows)."""

    def __init__(self, n_tags):
        super().__init__()
        self.n_tags = n_tags
        self.start_transitions = nn.Parameter(torch.empty(n_tags).uniform_(-0.1, 0.1))
        self.end_transitions = nn.Parameter(torch.empty(n_tags).uniform_(-0.1, 0.1))
        self.transitions = nn.Parameter(torch.empty(n_tags, n_tags).uniform_(-0.1, 0.1))

    def nll(self, emissions, tags):
        """Mean negative log-likelihood of the tag sequences tags [B, T] (int64)."""
        b, t, c = emissions.shape
        assert tags.shape == (b, t) and c == self.n_tags
        first = tags[:, 0]
        gold = self.start_transitions[first] + emissions[:, 0].gather(1, first[:, None]).squeeze(1)
        for i in range(1, t):
            gold = gold + self.transitions[tags[:, i - 1], tags[:, i]] \
                + emissions[:, i].gather(1, tags[:, i:i + 1]).squeeze(1)
        gold = gold + self.end_transitions[tags[:, -1]]
        alpha = self.start_transitions + emissions[:, 0]
        for i in range(1, t):
            alpha = torch.logsumexp(alpha[:, :, None] + self.transitions[None] + emissions[:, i, None, :], dim=1)
        log_z = torch.logsumexp(alpha + self.end_transitions, dim=1)
        return (log_z - gold).mean()

    def viterbi(self, emissions):
        """(tags [B, T] int64, score [B, C] float32) for emissions [B, T, C].

        score = start + E[0]; for t >= 1: score'[j] = max_i(score[i] + trans[i, j]) + E[t, j];
        finally score += end. The last tag is argmax(score); ties go to the lowest index."""
        assert emissions.dim() == 3 and emissions.dtype == torch.float32
        with torch.no_grad():
            score = self.start_transitions + emissions[:, 0]
            back = []
            for i in range(1, emissions.shape[1]):
                best, idx = (score[:, :, None] + self.transitions[None]).max(dim=1)
                score = best + emissions[:, i]
                back.append(idx)
            score = score + self.end_transitions
            last = score.argmax(dim=1)
            path = [last]
            for idx in reversed(back):
                last = idx.gather(1, last[:, None]).squeeze(1)
                path.append(last)
            path.reverse()
            return torch.stack(path, dim=1), score


def viterbi_numpy(start, end, trans, emissions):
    """One window, numpy float32, the op order of models.md: (tags list, score [C] float32).
    Bit-identical to Crf.viterbi (every op is a single IEEE float32 add or an exact max)."""
    start, end, trans, e = (np.asarray(a, dtype=np.float32) for a in (start, end, trans, emissions))
    score = start + e[0]
    back = []
    for t in range(1, e.shape[0]):
        m = score[:, None] + trans
        idx = np.argmax(m, axis=0)          # first maximum = lowest index
        score = m[idx, np.arange(m.shape[1])] + e[t]
        back.append(idx)
    score = score + end
    tags = [int(np.argmax(score))]
    for idx in reversed(back):
        tags.append(int(idx[tags[-1]]))
    tags.reverse()
    return tags, score.astype(np.float32)


def viterbi_margin(start, end, trans, emissions, tags):
    """Smallest relative decision margin (best - runner-up) / (1 + |best|), in float64, over the
    back-pointers on the decoded path and the final argmax: how far the golden tags are from a
    near-tie that float rounding in another implementation could flip."""
    start, end, trans, e = (np.asarray(a, dtype=np.float64) for a in (start, end, trans, emissions))
    worst = float("inf")
    score = start + e[0]
    for t in range(1, e.shape[0]):
        m = score[:, None] + trans
        col = np.sort(m[:, tags[t]])[::-1]
        if len(col) > 1:
            worst = min(worst, (col[0] - col[1]) / (1.0 + abs(col[0])))
        score = m.max(axis=0) + e[t]
    score = np.sort(score + end)[::-1]
    if len(score) > 1:
        worst = min(worst, (score[0] - score[1]) / (1.0 + abs(score[0])))
    return worst


# ----------------------------------------------------------------------------------------------
# 1-D CNN
# ----------------------------------------------------------------------------------------------

class Cnn1d(nn.Module):
    """conv1..convN (Conv1d k, stride 1, padding 0) -> ReLU -> MaxPool1d(pool) each; flatten
    [C_last, T_last] channel-major; fc -> logits. Input x[B, T, F] (time-major)."""

    has_crf = False

    def __init__(self, n_features, n_classes, window, channels=(16, 16), kernels=(3, 3), pool=2):
        super().__init__()
        assert len(channels) == len(kernels)
        self.pool_size = pool
        self.conv_names = []
        c_in, t = n_features, window
        for i, (c, k) in enumerate(zip(channels, kernels), start=1):
            name = "conv%d" % i
            self.add_module(name, nn.Conv1d(c_in, c, k))
            self.conv_names.append(name)
            t = (t - k + 1) // pool
            if t < 1:
                raise ValueError("window %d too short for the conv/pool stack" % window)
            c_in = c
        self.flat = c_in * t
        self.pool = nn.MaxPool1d(pool)
        self.fc = nn.Linear(self.flat, n_classes)

    def forward(self, x):
        h = x.transpose(1, 2)                       # [B, F, T]
        for name in self.conv_names:
            h = self.pool(torch.relu(getattr(self, name)(h)))
        return self.fc(h.reshape(h.shape[0], -1))   # channel-major flatten


# ----------------------------------------------------------------------------------------------
# Mamba + CRF
# ----------------------------------------------------------------------------------------------

class RmsNorm(nn.Module):
    def __init__(self, dim, eps=RMS_EPS):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, u):
        return u / torch.sqrt(u.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class MambaMixer(nn.Module):
    def __init__(self, d_model, d_state=16, d_conv=4, expand=2, dt_min=0.001, dt_max=0.1, dt_floor=1e-4):
        super().__init__()
        di = expand * d_model
        self.d_inner, self.d_state, self.d_conv = di, d_state, d_conv
        self.dt_rank = math.ceil(d_model / 16)
        self.in_proj = nn.Linear(d_model, 2 * di, bias=False)
        self.conv1d = nn.Conv1d(di, di, d_conv, groups=di, padding=d_conv - 1, bias=True)
        self.x_proj = nn.Linear(di, self.dt_rank + 2 * d_state, bias=False)
        self.dt_proj = nn.Linear(self.dt_rank, di, bias=True)
        # dt initialisation of the usual minimal Mamba code: weight U(-r^-0.5, r^-0.5); bias =
        # inverse softplus of dt ~ log-uniform in [dt_min, dt_max] (floored at dt_floor).
        std = self.dt_rank ** -0.5
        with torch.no_grad():
            self.dt_proj.weight.uniform_(-std, std)
            dt = torch.exp(torch.rand(di) * (math.log(dt_max) - math.log(dt_min)) + math.log(dt_min))
            dt = dt.clamp(min=dt_floor)
            self.dt_proj.bias.copy_(dt + torch.log(-torch.expm1(-dt)))
        self.A_log = nn.Parameter(torch.log(torch.arange(1, d_state + 1, dtype=torch.float32)).repeat(di, 1))
        self.D = nn.Parameter(torch.ones(di))
        self.out_proj = nn.Linear(di, d_model, bias=False)

    def forward(self, n):
        b, t, _ = n.shape
        di, ns, r = self.d_inner, self.d_state, self.dt_rank
        xz = self.in_proj(n)
        x, z = xz[..., :di], xz[..., di:]
        xc = self.conv1d(x.transpose(1, 2))[..., :t].transpose(1, 2)   # causal depthwise
        xa = F.silu(xc)
        dbc = self.x_proj(xa)
        dt, bm, cm = dbc[..., :r], dbc[..., r:r + ns], dbc[..., r + ns:]
        delta = F.softplus(self.dt_proj(dt))                            # [B, T, Di]
        a = -torch.exp(self.A_log)                                      # [Di, N]
        h = torch.zeros(b, di, ns, dtype=n.dtype)
        ys = []
        for i in range(t):
            d = delta[:, i, :, None]                                    # [B, Di, 1]
            h = torch.exp(d * a) * h + d * bm[:, i, None, :] * xa[:, i, :, None]
            ys.append((h * cm[:, i, None, :]).sum(-1) + self.D * xa[:, i])
        y = torch.stack(ys, dim=1) * F.silu(z)
        return self.out_proj(y)


class MambaBlock(nn.Module):
    def __init__(self, d_model, **kw):
        super().__init__()
        self.norm = RmsNorm(d_model)
        self.mixer = MambaMixer(d_model, **kw)

    def forward(self, u):
        return u + self.mixer(self.norm(u))


class Mamba(nn.Module):
    """encoder (F -> H) -> L blocks -> hidden2loc (H -> C, no bias) -> emissions; crf."""

    has_crf = True

    def __init__(self, n_features, n_classes, d_model=8, n_layers=1, d_state=16, d_conv=4, expand=2):
        super().__init__()
        self.d_model, self.n_layers = d_model, n_layers
        self.d_state, self.d_conv, self.expand = d_state, d_conv, expand
        self.encoder = nn.Linear(n_features, d_model)
        self.layers = nn.ModuleList([MambaBlock(d_model, d_state=d_state, d_conv=d_conv, expand=expand)
                                     for _ in range(n_layers)])
        self.hidden2loc = nn.Linear(d_model, n_classes, bias=False)
        self.crf = Crf(n_classes)

    def out_steps(self, window):
        return window

    def emissions(self, x):
        e = self.encoder(x)
        for layer in self.layers:
            e = layer(e)
        return self.hidden2loc(e)

    def architecture(self):
        return OrderedDict([("d_model", self.d_model), ("n_layers", self.n_layers), ("d_state", self.d_state),
                            ("d_conv", self.d_conv), ("expand", self.expand), ("crf", True)])


# ----------------------------------------------------------------------------------------------
# MDCSA + CRF
# ----------------------------------------------------------------------------------------------

def positional_table(length, hidden, base=PE_BASE):
    """pe[p, 2i] = sin(p * base^(-2i/H)), pe[p, 2i+1] = cos(...), computed in float64 -> float32."""
    pos = np.arange(length, dtype=np.float64)[:, None]
    freq = base ** (-np.arange(0, hidden, 2, dtype=np.float64) / hidden)
    pe = np.zeros((length, hidden), dtype=np.float64)
    pe[:, 0::2] = np.sin(pos * freq)
    pe[:, 1::2] = np.cos(pos * freq)
    return torch.from_numpy(pe.astype(np.float32))[None]


class PositionalTable(nn.Module):
    def __init__(self, hidden, length=PE_LENGTH):
        super().__init__()
        self.register_buffer("pe", positional_table(length, hidden))


class Glu(nn.Module):
    def __init__(self, d_in, d_out):
        super().__init__()
        self.fc = nn.Linear(d_in, 2 * d_out)

    def forward(self, x):
        g = self.fc(x)
        h = g.shape[-1] // 2
        return g[..., :h] * torch.sigmoid(g[..., h:])


class AddNorm(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.norm = nn.LayerNorm(dim, eps=LN_EPS)

    def forward(self, x, residual):
        return self.norm(x + residual)


class GateAddNorm(nn.Module):
    def __init__(self, d_in, d_out):
        super().__init__()
        self.glu = Glu(d_in, d_out)
        self.add_norm = AddNorm(d_out)

    def forward(self, x, residual):
        return self.add_norm(self.glu(x), residual)


class Grn(nn.Module):
    """Gated residual network: fc1 (H -> 4H), ELU, fc2 (4H -> 4H), GLU (4H -> H), + residual,
    LayerNorm. `context` (H -> 4H, no bias) is the accelerometer context input: dead here."""

    def __init__(self, hidden, inner):
        super().__init__()
        self.fc1 = nn.Linear(hidden, inner)
        self.fc2 = nn.Linear(inner, inner)
        self.context = nn.Linear(hidden, inner, bias=False)   # dead (no context input)
        self.gate_norm = GateAddNorm(inner, hidden)

    def forward(self, x):
        f = self.fc2(F.elu(self.fc1(x)))
        return self.gate_norm(f, x)


class Dcsa(nn.Module):
    """One dual convolutional self-attention branch with causal kernel k. norm2, causal_q2,
    causal_k2 and ffn.context belong to the accelerometer stream: present, unused."""

    def __init__(self, hidden, kernel):
        super().__init__()
        self.hidden, self.kernel = hidden, kernel
        self.norm1 = nn.LayerNorm(hidden, eps=LN_EPS)
        self.norm2 = nn.LayerNorm(hidden, eps=LN_EPS)                 # dead
        self.causal_q1 = nn.Conv1d(hidden, hidden, kernel)
        self.causal_k1 = nn.Conv1d(hidden, hidden, kernel)
        self.causal_q2 = nn.Conv1d(hidden, hidden, kernel)           # dead
        self.causal_k2 = nn.Conv1d(hidden, hidden, kernel)           # dead
        self.ffn = Grn(hidden, 4 * hidden)

    def causal(self, conv, e):
        h = F.pad(e.transpose(1, 2), (self.kernel - 1, 0))          # left zero-pad k-1
        return conv(h).transpose(1, 2)

    def forward(self, e):
        q = torch.tanh(self.causal(self.causal_q1, e))
        k = torch.tanh(self.causal(self.causal_k1, e))
        s = torch.matmul(q, k.transpose(1, 2)) / math.sqrt(self.hidden)
        a = torch.matmul(torch.softmax(s, dim=-1), e)
        x1 = self.norm1(a + e)
        return self.ffn(x1)


class MultiDcsa(nn.Module):
    def __init__(self, hidden, kernels, merge_kernel=3, merge_stride=3, merge_padding=0):
        super().__init__()
        self.hidden, self.kernels = hidden, list(kernels)
        for k in self.kernels:
            self.add_module("dcsa%d" % k, Dcsa(hidden, k))
        self.conv1d = nn.Conv1d(hidden, hidden, merge_kernel, stride=merge_stride, padding=merge_padding)
        self.norm = nn.LayerNorm(hidden, eps=LN_EPS)

    def forward(self, e):
        outs = [getattr(self, "dcsa%d" % k)(e) for k in self.kernels]
        if len(outs) == 1:
            s = outs[0]
        else:                                                         # s[L*t + i] = d_{k_i}[t]
            b, t, h = outs[0].shape
            s = torch.stack(outs, dim=2).reshape(b, t * len(outs), h)
        att = torch.softmax(torch.matmul(s, s.transpose(1, 2)) / math.sqrt(self.hidden), dim=-1)
        s2 = torch.matmul(att, s)
        c = self.conv1d(s2.transpose(1, 2)).transpose(1, 2)
        return self.norm(c)


class Mdcsa(nn.Module):
    """rssi_encoder (scaled by sqrt(H)) + rssi_pe -> branches -> merge -> hidden2loc; crf."""

    has_crf = True

    def __init__(self, n_features, n_classes, hidden=16, kernels=(1,), merge_kernel=3, merge_stride=3,
                 merge_padding=0):
        super().__init__()
        assert hidden % 2 == 0
        self.hidden, self.kernels = hidden, list(kernels)
        self.merge = (merge_kernel, merge_stride, merge_padding)
        self.rssi_encoder = nn.Linear(n_features, hidden)
        self.rssi_pe = PositionalTable(hidden)
        self.mdsca = MultiDcsa(hidden, kernels, merge_kernel, merge_stride, merge_padding)
        self.hidden2loc = nn.Linear(hidden, n_classes)
        self.crf = Crf(n_classes)

    def out_steps(self, window):
        k, s, p = self.merge
        return (len(self.kernels) * window + 2 * p - k) // s + 1

    def emissions(self, x):
        t = x.shape[1]
        e = self.rssi_encoder(x) * math.sqrt(self.hidden) + self.rssi_pe.pe[:, :t]
        return self.hidden2loc(self.mdsca(e))

    def architecture(self):
        k, s, p = self.merge
        return OrderedDict([("hidden", self.hidden), ("kernels", list(self.kernels)),
                            ("merge", OrderedDict([("kernel", k), ("stride", s), ("padding", p)])),
                            ("crf", True)])

    def dead_tensor_names(self):
        names = []
        for k in self.kernels:
            p = "mdsca.dcsa%d." % k
            names += [p + "norm2.weight", p + "norm2.bias"]
            for c in ("causal_q2", "causal_k2"):
                names += [p + c + ".weight", p + c + ".bias"]
            names.append(p + "ffn.context.weight")
        return names


# ----------------------------------------------------------------------------------------------
# Parameter counts (models.md formulas) and the paper rows
# ----------------------------------------------------------------------------------------------

def mamba_params_formula(f, c, h, layers):
    r = math.ceil(h / 16)
    return (f + 1) * h + layers * (6 * h * h + 4 * r * h + 111 * h) + h * c + c * c + 2 * c


def mdcsa_params_formula(f, c, h, kernels, live_only=False):
    if list(kernels) == [1]:
        if live_only:
            return 33 * h * h + (f + c + 20) * h + c * c + 3 * c
        return 39 * h * h + (f + c + 24) * h + c * c + 3 * c
    if list(kernels) == [1, 4, 7] and not live_only:
        return 147 * h * h + (f + c + 64) * h + c * c + 3 * c
    raise ValueError("no models.md formula for kernels %s" % (kernels,))


def count_params(model, exclude=()):
    """Sum of numel over the state dict (dead tensors included), buffers excluded."""
    buffers = {name for name, _ in model.named_buffers()}
    return sum(v.numel() for k, v in model.state_dict().items() if k not in buffers and k not in exclude)


# (dataset, F, C, H, L, printed count in the paper)
PAPER_MAMBA = [
    ("House A", 8, 4, 32, 1, 10392), ("House A", 8, 4, 8, 1, 1432),
    ("House B", 11, 11, 16, 2, 7263), ("House B", 11, 11, 8, 1, 1631),
    ("House C", 11, 9, 8, 1, 1571), ("House D", 11, 10, 16, 1, 3848),
    ("UJIIndoorLoc", 520, 59, 32, 1, 32111), ("UJIIndoorLoc", 520, 59, 8, 1, 9543),
    ("UJIIndoorLoc", 520, 59, 4, 1, 6475), ("UJIIndoorLoc", 520, 59, 2, 1, 5020),
]
# (dataset, F, C, H, kernels, printed count)
PAPER_MDCSA = [
    ("House A", 8, 4, 16, [1], 10588), ("House A", 8, 4, 8, [1], 2812),
    ("House B", 11, 11, 16, [1], 10874), ("House B", 11, 11, 8, [1], 3018),
    ("House C", 11, 9, 8, [1], 2956),
    ("UJIIndoorLoc", 520, 59, 16, [1], 23290), ("UJIIndoorLoc", 520, 59, 8, [1], 10978),
]
KNOWN_PAPER_OFFSETS = {("UJIIndoorLoc", 2): 7}   # models.md: the paper prints 5,020; no config gives it


def check_param_counts(verbose=True):
    """Instantiate every paper configuration of models.md, count its state dict and require the
    formula and the printed count (except the one documented misprint). Returns the table rows."""
    rows = []
    for ds, f, c, h, layers, printed in PAPER_MAMBA:
        m = Mamba(f, c, h, layers)
        n = count_params(m)
        formula = mamba_params_formula(f, c, h, layers)
        assert n == formula, ("mamba", ds, h, layers, n, formula)
        offset = KNOWN_PAPER_OFFSETS.get((ds, h), 0)
        assert n + offset == printed, ("mamba paper row", ds, h, layers, n, printed)
        rows.append(("mamba", ds, f, c, "H%dL%d" % (h, layers), n, n, printed))
    for ds, f, c, h, kernels, printed in PAPER_MDCSA:
        m = Mdcsa(f, c, h, kernels)
        n = count_params(m)
        live = count_params(m, exclude=set(m.dead_tensor_names()))
        assert n == mdcsa_params_formula(f, c, h, kernels) == printed, ("mdcsa", ds, h, n, printed)
        assert live == mdcsa_params_formula(f, c, h, kernels, live_only=True), ("mdcsa live", ds, h, live)
        rows.append(("mdcsa", ds, f, c, "H%dL%d" % (h, len(kernels)), n, live, printed))
    for f, c, h in [(8, 4, 16), (8, 4, 8), (520, 59, 16)]:   # L3: formula only (no paper row)
        m = Mdcsa(f, c, h, [1, 4, 7])
        n = count_params(m)
        assert n == mdcsa_params_formula(f, c, h, [1, 4, 7]), ("mdcsa L3", f, c, h, n)
        live = count_params(m, exclude=set(m.dead_tensor_names()))
        rows.append(("mdcsa", "(L3 formula)", f, c, "H%dL3" % h, n, live, None))
    # House A H8L1: 416 dead parameters (models.md)
    m = Mdcsa(8, 4, 8, [1])
    assert count_params(m) - count_params(m, exclude=set(m.dead_tensor_names())) == 416
    if verbose:
        print("%-6s %-13s %4s %3s %-6s %8s %8s %8s" % ("family", "dataset", "F", "C", "config", "all", "live",
                                                    "paper"))
        for fam, ds, f, c, cfg, n, live, printed in rows:
            note = "" if printed is None or printed == n else "  (paper misprint, +%d)" % (printed - n)
            print("%-6s %-13s %4d %3d %-6s %8d %8d %8s%s" % (fam, ds, f, c, cfg, n, live,
                                                          "-" if printed is None else printed, note))
    return rows


# ----------------------------------------------------------------------------------------------
# Manifests, golden vectors, rebuilding from manifest + checkpoint
# ----------------------------------------------------------------------------------------------

def cnn1d_architecture(model):
    return OrderedDict([("conv_layers", list(model.conv_names)), ("pool", model.pool_size),
                        ("activation", "relu"), ("head", "fc")])


def architecture(model):
    if isinstance(model, Cnn1d):
        return "cnn1d", cnn1d_architecture(model)
    if isinstance(model, Mamba):
        return "mamba", model.architecture()
    if isinstance(model, Mdcsa):
        return "mdcsa", model.architecture()
    raise TypeError(type(model))


def crf_output(labels):
    return OrderedDict([("kind", "classification"), ("labels", list(labels)), ("decode", "last")])


def seq_manifest(name, description, checkpoint, model, spec, features, window, labels, stream=None):
    family, arch = architecture(model)
    output = crf_output(labels) if model.has_crf else tc.classification_output(labels)
    return OrderedDict([
        ("tinyloc", 1),
        ("name", name),
        ("description", description),
        ("checkpoint", checkpoint),
        ("family", family),
        ("architecture", arch),
        ("input", spec.manifest_input(features, window, stream)),
        ("output", output),
        ("quantization", OrderedDict([("scheme", "dynamic")])),
    ])


def windows_from_raw(spec, raw_inputs, window, n_features):
    """Raw flattened windows (x[t*F + f], dBm) -> normalised float32 tensor [B, T, F]."""
    x = spec.normalise_torch(np.asarray(raw_inputs, dtype=np.float32))
    assert x.shape[1] == window * n_features
    return x.reshape(-1, window, n_features)


def run_model(model, x):
    """outputs [B, C] (final Viterbi scores or logits), emissions [B, T', C] or None, tags or None."""
    with torch.no_grad():
        if model.has_crf:
            em = model.emissions(x)
            tags, score = model.crf.viterbi(em)
            return score, em, tags
        return model(x), None, None


def seq_golden(name, model, spec, raw_inputs, window, n_features):
    x = windows_from_raw(spec, raw_inputs, window, n_features)
    out, em, tags = run_model(model, x)
    assert out.dtype == torch.float32
    doc = OrderedDict([
        ("model", name),
        ("torch", torch.__version__),
        ("inputs", raw_inputs),
        ("outputs", [[float(v) for v in row] for row in out.numpy()]),
    ])
    if em is not None:
        doc["emissions"] = [[float(v) for v in row.reshape(-1)] for row in em.numpy()]
        doc["tags"] = [[int(v) for v in row] for row in tags.numpy()]
    return doc


def _bits_equal(a, b):
    a = np.asarray(a, dtype=np.float32)
    b = np.asarray(b, dtype=np.float64).astype(np.float32)
    return a.shape == b.shape and np.array_equal(a.view(np.uint32), b.view(np.uint32))


def check_seq_golden(doc, model, spec, window, n_features):
    """Recompute outputs, emissions and tags of a golden file bit for bit; check the Viterbi
    against the numpy reference and that argmax(outputs) is the last tag."""
    x = windows_from_raw(spec, doc["inputs"], window, n_features)
    out, em, tags = run_model(model, x)
    if not _bits_equal(out.numpy(), doc["outputs"]):
        raise AssertionError("golden outputs of %s do not reproduce" % doc["model"])
    assert all(float(np.float32(v)) == v for row in doc["outputs"] for v in row)
    if em is None:
        assert "emissions" not in doc and "tags" not in doc
        return
    c = out.shape[1]
    if not _bits_equal(em.numpy().reshape(len(em), -1), doc["emissions"]):
        raise AssertionError("golden emissions of %s do not reproduce" % doc["model"])
    if tags.tolist() != doc["tags"]:
        raise AssertionError("golden tags of %s do not reproduce" % doc["model"])
    crf = model.crf
    for i in range(len(em)):
        e = np.asarray(doc["emissions"][i], dtype=np.float64).astype(np.float32).reshape(-1, c)
        ref_tags, ref_score = viterbi_numpy(crf.start_transitions.detach().numpy(),
                                            crf.end_transitions.detach().numpy(),
                                            crf.transitions.detach().numpy(), e)
        if ref_tags != doc["tags"][i] or not _bits_equal(ref_score, doc["outputs"][i]):
            raise AssertionError("%s: the numpy Viterbi disagrees on input %d" % (doc["model"], i))
        assert int(np.argmax(np.asarray(doc["outputs"][i], dtype=np.float32))) == doc["tags"][i][-1]


def build_from_manifest(man, state):
    """A model of the manifest's family with the checkpoint's shapes, state loaded (strict)."""
    fam, arch, inp = man["family"], man["architecture"], man["input"]
    n_features, window = len(inp["features"]), inp["window"]
    n_classes = len(man["output"]["labels"])
    if fam == "cnn1d":
        names = arch["conv_layers"]
        assert names == ["conv%d" % i for i in range(1, len(names) + 1)]
        assert arch["activation"] == "relu" and arch["head"] == "fc"
        channels = [state[n + ".weight"].shape[0] for n in names]
        kernels = [state[n + ".weight"].shape[2] for n in names]
        model = Cnn1d(n_features, n_classes, window, channels, kernels, arch["pool"])
    elif fam == "mamba":
        assert arch["crf"] is True
        model = Mamba(n_features, n_classes, arch["d_model"], arch["n_layers"], arch["d_state"],
                      arch["d_conv"], arch["expand"])
    elif fam == "mdcsa":
        assert arch["crf"] is True
        m = arch["merge"]
        model = Mdcsa(n_features, n_classes, arch["hidden"], arch["kernels"], m["kernel"], m["stride"],
                      m["padding"])
    else:
        raise ValueError("not a sequence family: %s" % fam)
    model.load_state_dict(state, strict=True)
    if model.has_crf:
        assert man["output"].get("decode") == "last"
    else:
        assert "decode" not in man["output"]
    return model.eval()


def perturb(model, seed, scale=0.2, head_gain=1.0, crf_std=0.5):
    """Test models: add N(0, scale) noise to every non-CRF parameter and N(0, crf_std) noise to the
    CRF's (None: leave them), and multiply the emission head by head_gain."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            std = crf_std if name.startswith("crf.") else scale
            if std:
                p.add_(torch.randn(p.shape, generator=gen) * std)
        head = model.hidden2loc if hasattr(model, "hidden2loc") else model.fc
        head.weight.mul_(head_gain)
    return model


# ----------------------------------------------------------------------------------------------
# Data helpers and training
# ----------------------------------------------------------------------------------------------

def row_labels(step_labels, out_steps):
    """Per-emission-row labels from per-step labels [N, T]: row r (of T') gets the label of step
    ceil((r + 1) * T / T') - 1 (identity when T' = T; MDCSA L1, T=20 -> steps 3,6,9,13,16,19)."""
    step_labels = np.asarray(step_labels)
    t = step_labels.shape[1]
    steps = [((r + 1) * t + out_steps - 1) // out_steps - 1 for r in range(out_steps)]
    return step_labels[:, steps]


def predict_last(model, x, batch=512):
    """Last decoded tag (CRF models) or argmax of logits, per window; and full tag paths (or None)."""
    lasts, paths = [], []
    with torch.no_grad():
        for i in range(0, len(x), batch):
            xb = x[i:i + batch]
            if model.has_crf:
                tags, score = model.crf.viterbi(model.emissions(xb))
                lasts.append(score.argmax(dim=1))
                paths.append(tags)
            else:
                lasts.append(model(xb).argmax(dim=1))
    last = torch.cat(lasts).numpy()
    return last, (torch.cat(paths).numpy() if paths else None)


def fit(model, x_train, steps_train, x_val, steps_val, n_classes, seed, lr=3e-3, batch=32,
        max_epochs=200, patience=40, weight_decay=0.0, log=None, batch_loss=None):
    """Adam; CRF models minimise the CRF NLL of the per-row labels, Cnn1d the cross-entropy of the
    window label (the last step's); batch_loss(b), given, is the loss of the training windows at
    indices b instead (distillation). Early stopping on validation macro-F1 of the window answer
    (last decoded tag), first best kept (no time limit: that would break determinism). Returns
    (best_state, epochs info, seconds info)."""
    window = x_train.shape[1]
    y_val = np.asarray(steps_val)[:, -1]
    if batch_loss is None and model.has_crf:
        tags_train = torch.from_numpy(row_labels(steps_train, model.out_steps(window)).astype(np.int64))

        def batch_loss(b):
            return model.crf.nll(model.emissions(x_train[b]), tags_train[b])
    elif batch_loss is None:
        y_train = torch.from_numpy(np.asarray(steps_train)[:, -1].astype(np.int64))

        def batch_loss(b):
            return F.cross_entropy(model(x_train[b]), y_train[b])
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    gen = torch.Generator().manual_seed(seed)
    best = (-1.0, -1, None)
    cpu0, wall0 = time.process_time(), time.time()
    epochs_run = 0
    for epoch in range(max_epochs):
        model.train()
        order = torch.randperm(len(x_train), generator=gen)
        total = 0.0
        for i in range(0, len(order), batch):
            b = order[i:i + batch]
            opt.zero_grad()
            loss = batch_loss(b)
            loss.backward()
            opt.step()
            total += float(loss) * len(b)
        model.eval()
        pred, _ = predict_last(model, x_val)
        f1 = tc.macro_f1(y_val, pred, n_classes)
        epochs_run = epoch + 1
        if log:
            log("epoch %3d loss %.4f val macro-F1 %.4f acc %.4f" % (epoch + 1, total / len(order), f1,
                                                                   tc.accuracy(y_val, pred)))
        if f1 > best[0]:
            best = (f1, epoch + 1, tc.float32_state_dict(model))
        elif epoch + 1 - best[1] >= patience:
            break
    info = OrderedDict([("max", max_epochs), ("run", epochs_run), ("best", best[1])])
    seconds = OrderedDict([("cpu", tc.rounded(time.process_time() - cpu0, 1)),
                           ("wall", tc.rounded(time.time() - wall0, 1))])
    return best[2], info, seconds


def evaluate(model, x, step_labels, n_classes):
    """Window answer (last decoded tag / argmax) vs the label of the window's last step; for CRF
    models also every decoded tag vs its row label."""
    y = np.asarray(step_labels)[:, -1]
    last, paths = predict_last(model, x)
    res = OrderedDict([("windows", int(len(y))),
                       ("accuracy", tc.rounded(tc.accuracy(y, last))),
                       ("macro_f1", tc.rounded(tc.macro_f1(y, last, n_classes)))])
    if paths is not None:
        rows = row_labels(step_labels, paths.shape[1])
        res["all_tags_accuracy"] = tc.rounded(tc.accuracy(rows.reshape(-1), paths.reshape(-1)))
    res["class_counts"] = [int((y == c).sum()) for c in range(n_classes)]
    res["predicted_counts"] = [int((last == c).sum()) for c in range(n_classes)]
    return res


def export(model, out_dir, name, description, spec, features, window, labels, golden_seed, real_rows=None, stream=None):
    """Write NAME.pt, NAME.tinyloc.json and NAME.golden.json; rebuild the model from the written
    manifest + checkpoint (strict), require identical tensors, check the golden file; return the
    rebuilt model (everything after this point uses it)."""
    out_dir = Path(out_dir)
    ckpt = out_dir / (name + ".pt")
    tc.save_pt(model, ckpt)
    man = seq_manifest(name, description, ckpt.name, model, spec, features, window, labels, stream)
    tc.write_json(out_dir / (name + ".tinyloc.json"), man)
    rebuilt = build_from_manifest(tc.read_json(out_dir / (name + ".tinyloc.json")),
                                  torch.load(str(ckpt), map_location="cpu"))
    want = tc.float32_state_dict(model)
    got = tc.float32_state_dict(rebuilt)
    assert list(want.keys()) == list(got.keys()) and all(torch.equal(want[k], got[k]) for k in want)
    gin = tc.golden_inputs(spec, window * len(features), golden_seed)
    if real_rows is not None:
        steps = [r[t * len(features):(t + 1) * len(features)] for r in gin for t in range(window)]
        tc.check_not_real_rows(steps, real_rows)
    path = out_dir / (name + ".golden.json")
    tc.write_json(path, seq_golden(name, rebuilt, spec, gin, window, len(features)))
    check_seq_golden(tc.read_json(path), rebuilt, spec, window, len(features))
    return rebuilt


def param_summary(model):
    n = count_params(model)
    if isinstance(model, Mdcsa):
        live = count_params(model, exclude=set(model.dead_tensor_names()))
    else:
        live = n
    return OrderedDict([("total", n), ("live", live)])


def main(argv):
    if "--check" in argv:
        check_param_counts(verbose=True)
        print("ok: every models.md parameter formula and paper row reproduces")
        return 0
    sys.stderr.write("usage: tinyloc_seq.py --check\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
