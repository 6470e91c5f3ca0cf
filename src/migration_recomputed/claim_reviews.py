"""The ledger's verdicts in the fact-checkers' machine-readable form: schema.org ClaimReview.

One ClaimReview per checked claim (a claim that is not checkable with our data gets none): the
claim in English, the source document it appears in, and the verdict as the review's rating.
The rating scale (RATING_SCALE, explained in RATING_EXPLANATION and on the ledger page) keeps
the book's distinction between kinds of check: only a check against another publisher's data
can reach the top of the scale; the document's own arithmetic holding is a middle rating.
"""
from __future__ import annotations

import json
import re

import pandas as pd

from . import claims

BEST_RATING, WORST_RATING = 5, 1
# verdict -> rating value; alternateName is the verdict itself, in words
RATING_SCALE = {
    claims.CONFIRMED: 5,
    claims.CLOSE: 4,
    claims.WITHIN_BOUND: 3,
    claims.DEPENDS: 3,
    claims.CONSISTENT: 3,
    claims.ROUGHLY_CONSISTENT: 3,
    claims.INCONSISTENT: 2,
    claims.CONTRADICTED: 1,
}
RATING_EXPLANATION = (
    "5: confirmed by another publisher's data (within the book's tolerance); 4: close to it; "
    "3: neither confirmed nor contradicted by independent data (within an upper bound from "
    "independent data, depends on which official data revision is used, or only the source's "
    "own figures re-added and found consistent); 2: inconsistent with the source's own figures; "
    "1: contradicted by another publisher's data.")
REVIEW_AUTHOR = {"@type": "Organization", "name": "Migration, Recomputed"}
# what ClaimReview needs for a reader (and a search engine) to use it
REQUIRED_FIELDS = ("@context", "@type", "claimReviewed", "reviewRating", "url", "author", "itemReviewed")
REQUIRED_RATING_FIELDS = ("@type", "ratingValue", "bestRating", "worstRating", "alternateName")


def claim_reviews(checked: pd.DataFrame, documents: pd.DataFrame, chapter_pages: dict[int, str],
                  date_published: str) -> list[dict]:
    """ClaimReview objects for the checked claims of `checked` (claims.evaluate).

    documents      data/source_documents.csv indexed by seed_file (who published it, when)
    chapter_pages  chapter number -> URL of the chapter page, relative to the page that embeds
                   the reviews; each review points at the claim's entry (#claim-<id>) there
    """
    unknown = sorted(set(checked["verdict"]) - set(RATING_SCALE) - {claims.NOT_CHECKABLE})
    if unknown:
        raise ValueError(f"no rating for the verdicts {unknown}: add them to claim_reviews.RATING_SCALE")
    reviews = []
    for row in checked[checked["verdict"] != claims.NOT_CHECKABLE].itertuples():
        document = documents.loc[row.seed_file]
        reviews.append({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": row.claim_en,
            "url": f"{chapter_pages[int(row.chapter)]}#claim-{row.claim_id.lower()}",
            "author": REVIEW_AUTHOR,
            "datePublished": date_published,
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": RATING_SCALE[row.verdict],
                "bestRating": BEST_RATING,
                "worstRating": WORST_RATING,
                "alternateName": row.verdict,
                "ratingExplanation": f"{claims.KIND_LABELS[row.kind].capitalize()}: {row.basis}",
            },
            "itemReviewed": {
                "@type": "Claim",
                "author": {"@type": "Organization", "name": _shortened(document["kind_and_outlet"])},
                **({"datePublished": year} if (year := _year(document["date"])) else {}),
                "appearance": {"@type": "CreativeWork", "name": _shortened(document["document"]),
                               "description": f"source document {row.seed_file}, lines {row.seed_lines}"},
            },
            "identifier": row.claim_id,
        })
    return reviews


def _year(text) -> str | None:
    found = re.search(r"\b(19|20)\d{2}\b", str(text))
    return found[0] if found else None


def _shortened(text, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + "\u2026"


def missing_fields(review: dict) -> list[str]:
    """The required ClaimReview fields `review` lacks (empty when it is complete)."""
    missing = [field for field in REQUIRED_FIELDS if review.get(field) in (None, "", {})]
    rating = review.get("reviewRating") or {}
    missing += [f"reviewRating.{field}" for field in REQUIRED_RATING_FIELDS if rating.get(field) in (None, "")]
    if review.get("@type") != "ClaimReview":
        missing.append("@type=ClaimReview")
    value = rating.get("ratingValue")
    if isinstance(value, (int, float)) and not WORST_RATING <= value <= BEST_RATING:
        missing.append("reviewRating.ratingValue within the scale")
    return missing


def json_ld_script(reviews: list[dict]) -> str:
    """The reviews as one JSON-LD block for the page's HTML (closing tags escaped)."""
    text = json.dumps(reviews, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'
