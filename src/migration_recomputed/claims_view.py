"""The claims of a chapter as a reader meets them: grouped by verdict, the English claim first,
one line per claim that opens to show how it was checked. Plain HTML (details/summary), so it
reflows on a phone, works without JavaScript, and reads in a screen reader; styled by
book/_static/claims.css. Takes the frame of claims.for_readers()."""
from __future__ import annotations

from collections.abc import Mapping
from html import escape

import pandas as pd

from . import claims

# Failures first: a reader scanning the list should meet what did not hold before what did.
TONE_ORDER = ["fails", "mixed", "near", "holds", "none"]


def _badge(verdict: str) -> str:
    tone = claims.VERDICT_TONE[verdict]
    return f'<span class="verdict-badge verdict-{tone}">{escape(verdict)}</span>'


def _values(row: Mapping) -> str:
    if not row["recomputed"]:
        return f"Claimed: {escape(row['claimed'])}" if row["claimed"] else ""
    against = "upper bound" if row["check_kind"] == claims.KIND_LABELS[claims.BOUND] else "recomputed"
    gap = f" ({escape(row['difference'])})" if row["difference"] else ""
    return f"Claimed {escape(row['claimed'])}; {against} {escape(row['recomputed'])}{gap}"


def _lines(seed_lines: str) -> str:
    text = str(seed_lines)
    return f"line {text}" if "-" not in text else "lines " + text.replace("-", "\u2013")


def _claim(row: Mapping, source_name: str, chapter_pages: dict[int, str] | None) -> str:
    tone = claims.VERDICT_TONE[row["verdict"]]
    anchor = f'claim-{row["claim_id"].lower()}'
    details = [
        ("Kind of check", row["check_kind"]),
        ("How it was checked" if row["recomputed"] else "Why it cannot be checked", row["basis"]),
        ("Data and vintage", row["vintage"]),
        ("Source words (Dutch)", f"\u201c{row['quote_nl']}\u201d ({source_name}, {_lines(row['seed_lines'])})"),
        ("Claim id in the ledger", row["claim_id"]),
    ]
    items = "".join(f"<dt>{escape(term)}</dt>\n<dd>{escape(str(value))}</dd>\n" for term, value in details if value)
    if chapter_pages:  # on the ledger page: where the claim is checked, in its chapter
        page = chapter_pages[int(row["chapter"])]
        items += (f'<dt>Checked in</dt>\n<dd><a href="{escape(page)}#{anchor}">chapter {int(row["chapter"])}, '
                  f'{escape(row["claim_id"])}</a></dd>\n')
    values = _values(row)
    # data-* let the ledger page's filters (book/_static/claims_explorer.js) show a subset
    return (f'<details class="claim claim-{tone}" id="{escape(anchor)}" data-chapter="{int(row["chapter"])}" '
            f'data-source="{escape(str(row["seed_file"])[:3])}" data-verdict="{escape(row["verdict"])}">'
            f'<summary>{_badge(row["verdict"])} <span class="claim-text">{escape(row["claim_en"])}</span>'
            + (f'\n<span class="claim-values">{values}</span>' if values else "")
            + f"</summary>\n<dl>{items}</dl></details>\n")


def claim_list_html(shown: pd.DataFrame, source_name: str = "the source",
                    chapter_pages: dict[int, str] | None = None, pdf_note: str | None = None) -> str:
    """Every claim of `shown` (claims.for_readers), grouped by verdict, failures first.
    A line break ends each term, value, summary and claim: Sphinx's search strips the tags of a
    page's HTML and would otherwise index the words on either side of a tag as one word.
    chapter_pages (chapter number -> page URL): link each claim to its entry in its chapter.
    pdf_note (HTML): for a list the book's PDF prints elsewhere, what the PDF says instead; the
    list is marked data-pdf="omit" and the note follows it, hidden on the web page
    (_ext/book_pdf.py swaps them). The list holds no <div>, so its end is the first </div>."""
    parts = ['<div class="claim-list" data-pdf="omit">' if pdf_note else '<div class="claim-list">']
    order = {tone: index for index, tone in enumerate(TONE_ORDER)}
    verdicts = sorted(shown["verdict"].unique(), key=lambda v: (order[claims.VERDICT_TONE[v]],
                                                                 claims.VERDICTS.index(v)))
    for verdict in verdicts:
        group = shown[shown["verdict"] == verdict]
        is_open = " open" if claims.VERDICT_TONE[verdict] != "none" else ""
        count = f"{len(group)} claim{'s' if len(group) != 1 else ''}"
        parts.append(f'<details class="claim-group"{is_open}><summary>{_badge(verdict)} '
                     f'<span class="claim-count">{count}</span></summary>\n')
        # rows as dicts: a Series per row (iterrows) made the ledger's 204 claims take 0.02 s, not 0.006 s
        parts += [_claim(row, source_name, chapter_pages) for row in group.to_dict("records")]
        parts.append("</details>\n")
    parts.append("</div>")
    if pdf_note:
        parts.append(f'<p class="pdf-only" hidden>{pdf_note}</p>')
    return "".join(parts)


def claim_list(shown: pd.DataFrame, source_name: str = "the source", chapter_pages: dict[int, str] | None = None,
               pdf_note: str | None = None):
    """claim_list_html as a notebook output (IPython HTML)."""
    from IPython.display import HTML

    return HTML(claim_list_html(shown, source_name, chapter_pages, pdf_note))
