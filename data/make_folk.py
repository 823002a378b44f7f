#!/usr/bin/env python3
"""Copy the fiddle-tune collections of music21's corpus, as ABC text, into data/folk/.

midigen reads ABC itself (`load("data/folk")`), so nothing is converted: the tunes are copied as
they are in the music21 package, minus tunes that appear twice in it (see DUPLICATES below).
Run once; the output is committed, so midigen never needs this script or music21 at run time.

    pip install --no-deps music21==10.5.1     # only the package files are read; music21 is not imported
    python3 data/make_folk.py                  # rewrites data/folk/ and data/folk/MANIFEST.tsv

Collections (music21/corpus/...):
  ryansMammoth/  Ryan's Mammoth Collection (Boston, 1883): one tune per file
  oneills1850/   O'Neill's Music of Ireland (Chicago, 1903), the "1850" melodies: 50-100 tunes per file
  airdsAirs/     Aird's Selection of Scotch, English, Irish and Foreign Airs (Glasgow, 1782-1803),
                 six volumes: one file per volume, transcribed by Jack Campin
  miscFolk/      Colonial and Civil War American fife music, and Northumbrian Minstrelsy (1882)
Not taken: essenFolksong (its license note grants non-commercial distribution *in music21* only),
the Bach chorales (already in data/bach as MIDI) and the art-music scores.

Deterministic: files are visited in sorted order and written byte for byte (a dropped tune is cut
out whole, from its `X:` line up to the next `X:` line or the end of the file).
"""
import hashlib
import importlib.util
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "folk")
COLLECTIONS = ["oneills1850", "ryansMammoth", "airdsAirs", "miscFolk"]
# oneills1850 holds some tunes twice: overlapping files (0626-0635 inside 0626-0700, 0732-0758 in
# two transcriptions _bs and _mh, ...). A tune whose X: number was already seen in an earlier file
# (sorted order) of the same collection is dropped.
DEDUPE_BY_X = {"oneills1850", "airdsAirs"}

X_LINE = re.compile(rb"^X:[ \t]*(\d+)", re.M)


def corpus_dir() -> str:
    spec = importlib.util.find_spec("music21")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        sys.exit("music21 is not installed: pip install --no-deps music21==10.5.1")
    return os.path.join(list(spec.submodule_search_locations)[0], "corpus")


def version(corpus: str) -> str:
    text = open(os.path.join(os.path.dirname(corpus), "_version.py"), encoding="utf-8").read()
    m = re.search(r"__version__\s*=\s*['\"]([^'\"]+)", text)
    return m.group(1) if m else "unknown"


def tunes(data: bytes):
    """(header, [(x_number, tune_bytes)]) where header is the text before the first X: line."""
    starts = [m.start() for m in X_LINE.finditer(data)]
    if not starts:
        return data, []
    out = []
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else len(data)
        x = int(X_LINE.match(data, s).group(1))
        out.append((x, data[s:e]))
    return data[:starts[0]], out


def main() -> int:
    corpus = corpus_dir()
    manifest = []
    total = 0
    for coll in COLLECTIONS:
        src_dir = os.path.join(corpus, coll)
        dst_dir = os.path.join(OUT, coll)
        os.makedirs(dst_dir, exist_ok=True)
        for old in os.listdir(dst_dir):
            if old.endswith(".abc"):
                os.remove(os.path.join(dst_dir, old))
        seen = set()
        for name in sorted(os.listdir(src_dir)):
            if not name.endswith(".abc"):
                continue
            data = open(os.path.join(src_dir, name), "rb").read()
            header, parts = tunes(data)
            kept, dropped = [], []
            for x, text in parts:
                if coll in DEDUPE_BY_X and x in seen:
                    dropped.append(x)
                    continue
                seen.add(x)
                kept.append(text)
            if not kept:
                manifest.append((f"-", f"{coll}/{name}", 0, ",".join(map(str, dropped)), "-"))
                continue
            body = header + b"".join(kept)
            with open(os.path.join(dst_dir, name), "wb") as f:
                f.write(body)
            total += len(kept)
            manifest.append((f"{coll}/{name}", f"corpus/{coll}/{name}", len(kept),
                             ",".join(map(str, dropped)) or "-", hashlib.sha256(data).hexdigest()[:16]))
    with open(os.path.join(OUT, "MANIFEST.tsv"), "w", encoding="utf-8") as f:
        f.write(f"# {total} tunes from music21 {version(corpus)}\n")
        f.write("# file\tsource in the music21 package\ttunes kept\tX numbers dropped (already seen)"
                "\tsha256 of the source (first 16 hex)\n")
        for row in manifest:
            f.write("\t".join(map(str, row)) + "\n")
    print(f"wrote {total} tunes to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
