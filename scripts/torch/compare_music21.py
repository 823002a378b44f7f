#!/usr/bin/env python3
"""Compares midigen's `load(..., events: "music21")` with music21 5.7.1 itself (the original's encoding).

The original (music21 + GRUNet) encodes a MIDI file as:

    midi = converter.parse(path)
    parts = instrument.partitionByInstrument(midi)
    elements = parts.parts[0].recurse() if parts else midi.flat.notes
    for el in elements: Note -> str(el.pitch); Chord -> '.'.join(str(n) for n in el.normalOrder)
    offsets: el.offset minus the previous element's offset (the first: its own offset)

Sources: the MIDI files shipped in music21 5.7.1 (midi/testPrimitive, omr), data/bach (the chorales),
and edge-case files this script writes (scripts/torch/music21_edge/). Writes
scripts/torch/music21_comparison.md (the table and every remaining difference).

    python3 -m venv /tmp/m21 && /tmp/m21/bin/pip install music21==5.7.1 joblib
    # Python 3.11: music21 5.7.1's bundled joblib does not import; replace it by a shim:
    J=/tmp/m21/lib/python3.11/site-packages/music21/ext/joblib; mv $J $J.bundled; mkdir $J
    printf 'from joblib import *\\nfrom joblib import Parallel, delayed\\n' > $J/__init__.py
    swift build -c release
    /tmp/m21/bin/python scripts/torch/compare_music21.py [--bach-limit N]
"""
import glob
import json
import os
import struct
import subprocess
import sys
import tempfile
import warnings

warnings.filterwarnings("ignore")
import music21  # noqa: E402
from music21 import chord, converter, instrument, note  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EDGE = os.path.join(ROOT, "scripts", "torch", "music21_edge")
MIDIGEN = os.path.join(ROOT, ".build", "release", "midigen")


def original(path):
    midi = converter.parse(path)
    try:
        parts = instrument.partitionByInstrument(midi)
    except Exception:
        parts = None
    elements = parts.parts[0].recurse() if parts else midi.flat.notes
    tokens, offsets, prev = [], [], 0
    for el in elements:
        if isinstance(el, note.Note):
            tok = str(el.pitch)
        elif isinstance(el, chord.Chord):
            tok = ".".join(str(n) for n in el.normalOrder)
        else:
            continue
        tokens.append(tok)
        offsets.append(float(el.offset - prev))
        prev = el.offset
    return tokens, offsets


# --- edge-case MIDI files ----------------------------------------------------------------------------

def vlq(n):
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    return bytes(reversed(out))


def track(events):
    """events: (tick, bytes) in any order; sorted stably by tick."""
    data, t = b"", 0
    for tick, ev in sorted(events, key=lambda e: e[0]):
        data += vlq(tick - t) + ev
        t = tick
    data += vlq(0) + b"\xff\x2f\x00"
    return b"MTrk" + struct.pack(">I", len(data)) + data


def smf(tracks, division=480, fmt=1):
    return b"MThd" + struct.pack(">IHHH", 6, fmt, len(tracks), division) + b"".join(tracks)


def on(t, p, ch=0, v=90):
    return (t, bytes([0x90 | ch, p, v]))


def off(t, p, ch=0, zero=False):
    return (t, bytes([0x90 | ch, p, 0]) if zero else bytes([0x80 | ch, p, 64]))


def prog(t, p, ch=0):
    return (t, bytes([0xC0 | ch, p]))


def note_(t, d, p, ch=0):
    return [on(t, p, ch), off(t + d, p, ch)]


def edge_cases():
    q = 480
    tempo = [(0, b"\xff\x51\x03\x07\xa1\x20")]
    melody = sum([note_(i * q, q, 60 + (i * 5) % 12) for i in range(8)], [])
    cases = {
        # Two instruments: only the first (piano) part is kept.
        "two_instruments": smf([track(tempo), track([prog(0, 0)] + melody),
                                track([prog(0, 40, 1)] + sum([note_(i * q, q, 72 + i, 1) for i in range(8)], []))]),
        # Two tracks, one instrument: merged, notes starting together stay separate events.
        "same_instrument": smf([track([prog(0, 0)] + melody),
                                track([prog(0, 0, 1)] + sum([note_(i * q, q, 48 + i, 1) for i in range(8)], []))]),
        # No program change at all: all tracks' notes (midi.flat.notes).
        "no_program": smf([track(melody), track(sum([note_(i * q + q // 2, q, 50 + i, 1) for i in range(8)], []))]),
        # Same start, same end: a chord; same start, different ends: separate notes.
        "chords_and_voices": smf([track([prog(0, 0)] + note_(0, q, 60) + note_(0, q, 64) + note_(0, q, 67)
                                        + note_(q, q, 62) + note_(q, 2 * q, 65) + note_(q, q, 69)
                                        + note_(3 * q, q, 60) + note_(3 * q, q, 72))]),
        # Starts within division/16 of each other: one chord at the first note's time.
        "near_starts": smf([track([prog(0, 0)] + note_(0, q, 60) + note_(20, q - 20, 64) + note_(q, q, 62)
                                  + note_(q + 40, q - 40, 65))]),
        # A note never switched off is dropped; a re-struck note ends the held one and is consumed.
        "never_off_and_restruck": smf([track([prog(0, 0), on(0, 55)] + note_(q, q, 60) + [on(2 * q, 62), on(3 * q, 62),
                                             off(4 * q, 62), off(5 * q, 62)] + note_(6 * q, q, 64))]),
        # Note-on with velocity 0 as note-off.
        "velocity_zero_off": smf([track([prog(0, 0), on(0, 60), off(q, 60, zero=True), on(q, 62),
                                         off(2 * q, 62, zero=True)])]),
        # Drums (channel 10) are pitched notes to music21 5.7.1.
        "drums": smf([track([prog(0, 0)] + melody), track(sum([note_(i * q, q // 2, 36 + i % 3, 9) for i in range(8)], []))],
                     ),
        "drums_only": smf([track(sum([note_(i * q, q // 2, 36 + i % 3, 9) for i in range(8)], []))]),
        # The first onset is late: the first offset is 2.5, not 0.
        "late_start": smf([track([prog(0, 0)] + [e for i in range(4) for e in note_(int(2.5 * q) + i * q, q, 60 + i)])]),
        # Triplets, 16ths and off-grid onsets (music21's (4, 3) grid, ties to the smaller value).
        "grid": smf([track([prog(0, 0)] + [e for i, t in enumerate([0, 160, 320, 480, 600, 700, 820, 960, 1100, 1181,
                                                                     1300, 1440, 1560, 1620, 1750])
                                          for e in note_(t, 100, 60 + i % 12)])]),
        # Program change in mid-track: the notes after it belong to another instrument.
        "instrument_switch": smf([track([prog(0, 0)] + melody[:8] + [prog(4 * q, 40)] + melody[8:])]),
        # Format 0, several channels with program changes at tick 0 (music21's zero-length instrument spans).
        "format0_channels": smf([track(tempo + [prog(0, 0, 0), prog(0, 40, 1)] + melody
                                       + sum([note_(i * q, q, 72 + i, 1) for i in range(8)], []))], fmt=0),
        # A program music21 has no name for (1: bright piano) and one it has.
        "unnamed_program": smf([track([prog(0, 1)] + melody), track([prog(0, 0, 1)] + note_(0, q, 40, 1))]),
        # Pitch classes repeated in octaves: a chord token of one class.
        "octaves": smf([track([prog(0, 0)] + note_(0, q, 48) + note_(0, q, 60) + note_(q, q, 50) + note_(q, q, 62)
                              + note_(q, q, 66))]),
        # Doubled note-ons at one tick (as in music21's test09.mid): zero-length notes and chords last a quarter.
        "zero_length": smf([track([prog(0, 0), on(0, 45), on(0, 45), on(0, 50), on(0, 50), off(160, 50), off(160, 45),
                                   off(160, 45), off(160, 50), on(480, 60), off(480, 60)] + note_(960, 480, 62))]),
        # Division 96 and long notes.
        "division96": smf([track([prog(0, 0)] + [e for i in range(6) for e in note_(i * 72, 300, 60 + 2 * i)])],
                          division=96),
    }
    os.makedirs(EDGE, exist_ok=True)
    for name, data in cases.items():
        with open(os.path.join(EDGE, name + ".mid"), "wb") as f:
            f.write(data)
    return sorted(glob.glob(os.path.join(EDGE, "*.mid")))


def midigen(files):
    """name -> (tokens, offsets) from midigen's load(..., events: "music21") of the files' folder copies."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i, f in enumerate(files):
            os.symlink(os.path.abspath(f), os.path.join(tmp, f"{i:04d}.mid"))
        jsonl = os.path.join(tmp, "out.jsonl")
        script = f'save(load("{tmp}", events: "music21"), "{jsonl}")\n'
        r = subprocess.run([MIDIGEN, "repl"], input=script, capture_output=True, text=True)
        if not os.path.exists(jsonl):
            sys.exit("midigen failed: " + r.stdout + r.stderr)
        with open(jsonl) as fh:
            for line in fh:
                s = json.loads(line)
                out[files[int(s["name"])]] = (s["tokens"], s["offsets"])
    return out


FIXTURE = {}  # relative path -> music21's tokens and offsets, for Tests/Fixtures/music21/expected.json


def compare(label, files, rows, diffs, fixture=0):
    got = midigen(files)
    same_tokens = same_all = 0
    for f in files:
        try:
            want = original(f)
        except Exception as e:  # music21 cannot read it: not counted
            diffs.append(f"- `{os.path.relpath(f, ROOT)}`: music21 fails ({type(e).__name__}); not counted")
            continue
        if fixture and f.startswith(ROOT) and len(FIXTURE) < fixture:
            FIXTURE[os.path.relpath(f, ROOT)] = {"tokens": want[0], "offsets": want[1]}
        have = got.get(f, ([], []))
        tok_ok = have[0] == want[0]
        off_ok = len(have[1]) == len(want[1]) and all(abs(a - b) <= 1e-3 for a, b in zip(have[1], want[1]))
        same_tokens += tok_ok
        same_all += tok_ok and off_ok
        if not (tok_ok and off_ok):
            k = next((i for i, (a, b) in enumerate(zip(have[0], want[0])) if a != b), min(len(have[0]), len(want[0])))
            kk = next((i for i, (a, b) in enumerate(zip(have[1], want[1])) if abs(a - b) > 1e-3), None)
            diffs.append(f"- `{os.path.relpath(f, ROOT)}`: {len(have[0])} vs {len(want[0])} events; "
                         + (f"first token difference at {k}: midigen {have[0][k:k + 4]} music21 {want[0][k:k + 4]}"
                            if not tok_ok else f"tokens equal; first offset difference at {kk}: "
                            f"{have[1][kk]:.4f} vs {want[1][kk]:.4f}"))
    n = len(files)
    rows.append(f"| {label} | {n} | {same_tokens} ({100 * same_tokens / max(n, 1):.1f}%) | "
                f"{same_all} ({100 * same_all / max(n, 1):.1f}%) |")


def main():
    limit = None
    if "--bach-limit" in sys.argv:
        limit = int(sys.argv[sys.argv.index("--bach-limit") + 1])
    m21 = os.path.dirname(music21.__file__)
    sources = [
        ("music21 5.7.1 test MIDIs", sorted(glob.glob(os.path.join(m21, "midi", "testPrimitive", "*.mid"))
                                           + glob.glob(os.path.join(m21, "omr", "*.mid")))),
        ("data/bach chorales", sorted(glob.glob(os.path.join(ROOT, "data", "bach", "*.mid")))[:limit]),
        ("edge cases (scripts/torch/music21_edge)", edge_cases()),
    ]
    rows = ["| files | count | tokens identical | tokens identical and offsets within 1e-3 |",
            "| --- | --- | --- | --- |"]
    diffs = []
    for label, files in sources:
        compare(label, files, rows, diffs, fixture=0 if label.startswith("music21") else len(FIXTURE) + 20)
    os.makedirs(os.path.join(ROOT, "Tests", "Fixtures", "music21"), exist_ok=True)
    with open(os.path.join(ROOT, "Tests", "Fixtures", "music21", "expected.json"), "w") as f:
        json.dump(FIXTURE, f, indent=0, sort_keys=True)
        f.write("\n")
    text = ("midigen `load(..., events: \"music21\")` against music21 " + music21.VERSION_STR + "\n\n"
            + "\n".join(rows) + "\n\nRemaining differences:\n\n" + ("\n".join(diffs) or "none") + "\n")
    with open(os.path.join(ROOT, "scripts", "torch", "music21_comparison.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
