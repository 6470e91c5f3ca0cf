"""What every trimming script in data/scripts/ shares: reading a source table as text, writing a
data file in the one byte form the loader accepts, and numbering a seed file's lines."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[1]


def read(path: Path) -> pd.DataFrame:
    """A CSV with every cell as text. Only an empty cell is missing: UNHCR's codes include the
    literal text "NA" (new applications), and Namibia's ISO2 code is "NA"."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def write(table: pd.DataFrame, relative: str) -> Path:
    """data/<relative>, UTF-8 without BOM and with LF line endings: the one byte form the loader
    accepts, so the file's sha256 is the same on every machine."""
    target = DATA / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(target, index=False, lineterminator="\n", encoding="utf-8")
    print(f"data/{relative}: {len(table)} rows, {target.stat().st_size:,} bytes")
    return target


def seed_lines(content: bytes) -> list[str]:
    """The lines of a seed file as `cat -n` numbers them. `wc -l` counts newline characters,
    one fewer when the last line has none (000, 001, 002 and 003 end so)."""
    lines = content.decode("utf-8").split("\n")
    return lines[:-1] if content.endswith(b"\n") else lines
