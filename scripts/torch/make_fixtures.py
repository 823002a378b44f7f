#!/usr/bin/env python3
"""PyTorch checkpoints of the original GRUNet for midigen's `open()` tests (run once; output committed).

Writes Tests/Fixtures/torch/:
  ckpt_legacy.ch       the original's checkpoint dict ({model, unique_notes, model_repr, global_step}),
                       torch.save(..., _use_new_zipfile_serialization=False), as the original's results/*.ch
  ckpt_zip.pt          the same dict in the zip format (torch.save since 1.6)
  state_zip.pth        a bare state_dict, zip format
  state_legacy.pth     a bare state_dict, legacy format
  ckpt_f16.pt, ckpt_bf16.pt, ckpt_f64.pt   the checkpoint with float16 / bfloat16 / float64 tensors
  noncontiguous.pt     a state_dict whose fc_class.weight is a transposed (strided) view
  expected.json        vocab, the primer, and PyTorch's greedy continuation (500 events) of each model
  hostile_system.ch    legacy file whose object pickles posix.system('touch /tmp/midigen-pwned-system')
  hostile_system.pt    the same in the zip format
  hostile_exec.pt      a __reduce__ payload calling builtins.exec
  hostile_module.pt    a whole nn.Module (torch.save(model)): its class global must be refused too

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install torch
    /tmp/venv/bin/python scripts/torch/make_fixtures.py
"""
import json
import os

import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Fixtures", "torch")


class GRUNet(nn.Module):
    """The original's model (README "The model")."""

    def __init__(self, V, H, layers, dropout):
        super().__init__()
        self.emb = nn.Embedding(V, H)
        self.off = nn.Linear(1, H)
        self.norm = nn.LayerNorm(H)
        self.gru = nn.GRU(H, H, layers, batch_first=True, dropout=dropout)
        self.extract = nn.Sequential(nn.ReLU(), nn.LayerNorm(H))
        self.fc_class = nn.Linear(H, V, bias=False)
        self.fc_offset = nn.Sequential(nn.Linear(H, 1, bias=False), nn.ReLU())

    def forward(self, tok, off, h=None):
        x = self.emb(tok) + self.off(off.unsqueeze(-1))
        y, h = self.gru(self.norm(x), h)
        y = self.extract(y)
        return self.fc_class(y), self.fc_offset(y).squeeze(-1), h


@torch.no_grad()
def greedy(model, prime_ids, prime_offs, n):
    """The primer through the network, then n events each the argmax token with the predicted offset."""
    model.eval()
    tok = torch.tensor([prime_ids])
    off = torch.tensor([prime_offs], dtype=torch.float32)
    logits, pred, h = model(tok, off)
    ids, offs = [], []
    for _ in range(n):
        t = int(logits[0, -1].argmax())
        o = float(pred[0, -1])
        ids.append(t)
        offs.append(o)
        logits, pred, h = model(torch.tensor([[t]]), torch.tensor([[o]], dtype=torch.float32), h)
    return ids, offs


class System:
    def __reduce__(self):
        return (os.system, ("touch /tmp/midigen-pwned-system",))


class Exec:
    def __reduce__(self):
        return (exec, ("open('/tmp/midigen-pwned-exec', 'w').close()",))


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(14)
    unique_notes = ["C4", "E-4", "G4", "0.4.7", "B-3", "2.5.9", "F#4", "A4", "C5", "4.7.11", "D4", "7.11.2",
                    "E4", "C#5", "9.0.4", "G3", "F4", "B4", "5.9.0", "A3"]
    V, H, L = len(unique_notes) + 1, 12, 2
    model = GRUNet(V, H, L, 0.1)
    # Training steps on windows of a repeated 37-event phrase, so the greedy continuation wanders
    # through the vocabulary instead of settling on one token.
    opt = torch.optim.Adam(model.parameters(), lr=2e-2)
    g = torch.Generator().manual_seed(1)
    phrase = torch.randint(1, V, (37,), generator=g)
    phrase_offs = torch.randint(0, 5, (37,), generator=g).float() / 4
    song, song_offs = phrase.repeat(8), phrase_offs.repeat(8)
    starts = torch.randint(0, len(song) - 40, (16,), generator=g)
    seqs = torch.stack([song[s:s + 40] for s in starts])
    offs = torch.stack([song_offs[s:s + 40] for s in starts])
    for _ in range(120):
        logits, pred, _ = model(seqs[:, :-1], offs[:, :-1])
        loss = nn.functional.cross_entropy(logits.reshape(-1, V), seqs[:, 1:].reshape(-1)) \
            + 10 * nn.functional.smooth_l1_loss(pred, offs[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    state = model.state_dict()
    ckpt = {"model": state, "unique_notes": unique_notes, "model_repr": str(model), "global_step": 120}
    torch.save(ckpt, os.path.join(OUT, "ckpt_legacy.ch"), _use_new_zipfile_serialization=False)
    torch.save(ckpt, os.path.join(OUT, "ckpt_zip.pt"))
    torch.save(state, os.path.join(OUT, "state_zip.pth"))
    torch.save(state, os.path.join(OUT, "state_legacy.pth"), _use_new_zipfile_serialization=False)
    expected = {"vocab": ["<PAD>"] + unique_notes, "hidden": H, "layers": L, "dropout": 0.1, "global_step": 120}
    prime_ids = [1, 4, 3, 8, 2, 10, 6, 1, 5, 12]
    prime_offs = [0.0, 0.5, 0.5, 1.0, 0.25, 0.5, 0.75, 0.5, 1.0, 0.5]
    expected["prime_ids"], expected["prime_offsets"] = prime_ids, prime_offs
    ids, offsets = greedy(model, prime_ids, prime_offs, 500)
    expected["f32"] = {"ids": ids, "offsets": offsets}
    for name, dtype in [("f16", torch.float16), ("bf16", torch.bfloat16), ("f64", torch.float64)]:
        low = {k: v.to(dtype) for k, v in state.items()}
        torch.save({**ckpt, "model": low}, os.path.join(OUT, f"ckpt_{name}.pt"))
        # The expected continuation of the converted weights (rounded to `dtype`, computed in float32).
        m = GRUNet(V, H, L, 0.1)
        m.load_state_dict({k: v.float() for k, v in low.items()})
        ids, offsets = greedy(m, prime_ids, prime_offs, 500)
        expected[name] = {"ids": ids, "offsets": offsets}
    strided = dict(state)
    strided["fc_class.weight"] = state["fc_class.weight"].t().contiguous().t()  # same values, stride (1, V)
    assert not strided["fc_class.weight"].is_contiguous()
    torch.save(strided, os.path.join(OUT, "noncontiguous.pt"))
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f)
        f.write("\n")
    torch.save({"model": System()}, os.path.join(OUT, "hostile_system.ch"), _use_new_zipfile_serialization=False)
    torch.save({"model": System()}, os.path.join(OUT, "hostile_system.pt"))
    torch.save({"model": state, "unique_notes": unique_notes, "x": Exec()}, os.path.join(OUT, "hostile_exec.pt"))
    torch.save(model, os.path.join(OUT, "hostile_module.pt"))
    print("wrote", sorted(os.listdir(OUT)))


if __name__ == "__main__":
    main()
