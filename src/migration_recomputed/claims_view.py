"""The claims of a chapter as a reader meets them: grouped by verdict, the English claim first,
one line per claim that opens to show how it was checked. Plain HTML (details/summary), so it
reflows on a phone, works without JavaScript, and reads in a screen reader; styled by
book/_static/claims.css. Takes the frame of claims.for_readers()."""
from __future__ import annotations

from html import escape

import pandas as pd

from . import claims

# Failures first: a reader scanning the list should meet what did not hold before what did.
TONE_ORDER = ["fails", "mixed", "near", "holds", "none"]


def _badge(verdict: str) -> str:
    tone = claims.VERDICT_TONE[verdict]
    return f'<span class="verdict-badge verdict-{tone}">{escape(verdict)}</span>'


def _values(row: pd.Series) -> str:
    if not row["recomputed"]:
        return f"Claimed: {escape(row['claimed'])}" if row["claimed"] else ""
    against = "upper bound" if row["check_kind"] == claims.KIND_LABELS[claims.BOUND] else "recomputed"
    gap = f" ({escape(row['difference'])})" if row["difference"] else ""
    return f"Claimed {escape(row['claimed'])}; {against} {escape(row['recomputed'])}{gap}"


def _lines(seed_lines: str) -> str:
    text = str(seed_lines)
    return f"line {text}" if "-" not in text else "lines " + text.replace("-", "\u2013")


def _claim(row: pd.Series, source_name: str) -> str:
    tone = claims.VERDICT_TONE[row["verdict"]]
    details = [
        ("Kind of check", row["check_kind"]),
        ("How it was checked" if row["recomputed"] else "Why it cannot be checked", row["basis"]),
        ("Data and vintage", row["vintage"]),
        ("Source words (Dutch)", f"\u201c{row['quote_nl']}\u201d ({source_name}, {_lines(row['seed_lines'])})"),
        ("Claim id in the ledger", row["claim_id"]),
    ]
    items = "".join(f"<dt>{escape(term)}</dt><dd>{escape(str(value))}</dd>" for term, value in details if value)
    values = _values(row)
    return (f'<details class="claim claim-{tone}" id="claim-{escape(row["claim_id"].lower())}">'
            f'<summary>{_badge(row["verdict"])} <span class="claim-text">{escape(row["claim_en"])}</span>'
            + (f'<span class="claim-values">{values}</span>' if values else "")
            + f"</summary><dl>{items}</dl></details>")


def claim_list_html(shown: pd.DataFrame, source_name: str = "the source") -> str:
    """Every claim of `shown` (claims.for_readers), grouped by verdict, failures first."""
    parts = ['<div class="claim-list">']
    order = {tone: index for index, tone in enumerate(TONE_ORDER)}
    verdicts = sorted(shown["verdict"].unique(), key=lambda v: (order[claims.VERDICT_TONE[v]],
                                                                 claims.VERDICTS.index(v)))
    for verdict in verdicts:
        group = shown[shown["verdict"] == verdict]
        is_open = " open" if claims.VERDICT_TONE[verdict] != "none" else ""
        count = f"{len(group)} claim{'s' if len(group) != 1 else ''}"
        parts.append(f'<details class="claim-group"{is_open}><summary>{_badge(verdict)} '
                     f'<span class="claim-count">{count}</span></summary>')
        parts += [_claim(row, source_name) for _, row in group.iterrows()]
        parts.append("</details>")
    parts.append("</div>")
    return "".join(parts)


def claim_list(shown: pd.DataFrame, source_name: str = "the source"):
    """claim_list_html as a notebook output (IPython HTML)."""
    from IPython.display import HTML

    return HTML(claim_list_html(shown, source_name))
