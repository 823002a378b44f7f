#!/usr/bin/env python3
"""Convert the Bach chorales of music21's corpus to Standard MIDI Files in data/bach/.

Run once (takes several minutes); the .mid files are committed, so midigen never needs this
script or music21 at run time.

    pip install music21
    python3 data/make_bach.py            # writes data/bach/*.mid and data/bach/MANIFEST.tsv

Source: music21.corpus.getComposer('bach') - the chorale scores (MusicXML .mxl/.xml and Humdrum
.krn) under music21/corpus/bach/. Roman-numeral analyses (.rntxt in choraleAnalyses/) are
analyses, not scores, and are left out. Each score is written with music21's own MIDI writer
(`score.write('midi')`), i.e. exactly what the original PyTorch project's music21 pipeline saw.
"""
import os
import sys
import tempfile
import time

import music21
from music21 import corpus

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "bach")


def main() -> int:
    os.makedirs(OUT, exist_ok=True)
    paths = [str(p) for p in corpus.getComposer("bach")]
    # A few chorales exist both as MusicXML and Humdrum: keep one per name, preferring MusicXML.
    preference = {"mxl": 0, "xml": 1, "krn": 2}
    by_name = {}
    for p in paths:
        base, ext = os.path.basename(p).rsplit(".", 1)
        if ext in preference and (base not in by_name or preference[ext] < preference[by_name[base][1]]):
            by_name[base] = (p, ext)
    scores = sorted(p for p, _ in by_name.values())
    manifest = []
    failed = []
    t0 = time.time()
    for i, path in enumerate(scores):
        base = os.path.basename(path).rsplit(".", 1)[0]  # e.g. bwv1.6
        name = base + ".mid"
        dest = os.path.join(OUT, name)
        tmp = None
        try:
            score = corpus.parse(path)
            # Atomic: write to a temp file in the same folder, then rename.
            fd, tmp = tempfile.mkstemp(suffix=".mid.tmp", dir=OUT)
            os.close(fd)
            score.write("midi", fp=tmp)
            os.replace(tmp, dest)
            tmp = None
            rel = os.path.relpath(path, os.path.dirname(music21.__file__))
            manifest.append((name, rel))
        except Exception as e:  # report and continue: one bad score must not stop the batch
            failed.append((path, repr(e)))
            print(f"skip {path}: {e}", file=sys.stderr)
        finally:
            if tmp is not None and os.path.exists(tmp):
                os.remove(tmp)
        if (i + 1) % 50 == 0:
            print(f"{i + 1}/{len(scores)} in {time.time() - t0:.0f}s", file=sys.stderr)
    with open(os.path.join(OUT, "MANIFEST.tsv"), "w") as f:
        f.write(f"# {len(manifest)} files; failed to convert: "
                + (", ".join(f"{os.path.basename(p)} ({e})" for p, e in failed) or "none") + "\n")
        f.write(f"# music21 {music21.__version__}: midi file\tcorpus source file\n")
        for name, rel in manifest:
            f.write(f"{name}\t{rel}\n")
    print(f"wrote {len(manifest)} files to {OUT}, {len(failed)} failed", file=sys.stderr)
    return 0 if manifest else 1


if __name__ == "__main__":
    sys.exit(main())
