"""The ledger's verdicts as schema.org ClaimReview records (migration_recomputed.claim_reviews)."""
from __future__ import annotations

import pytest

from migration_recomputed import claim_reviews, claims, data

PAGES = {1: "../chapters/01.html", 2: "../chapters/02.html", 3: "../chapters/03.html", 4: "../chapters/04.html"}


@pytest.fixture(scope="module")
def checked():
    return claims.evaluate(data.load("claims"))


@pytest.fixture(scope="module")
def reviews(checked):
    documents = data.load("source_documents").set_index("seed_file")
    return claim_reviews.claim_reviews(checked, documents, PAGES, date_published="2026-11-23")


def test_one_review_per_checked_claim_and_none_for_the_uncheckable(checked, reviews):
    checkable = checked[checked["verdict"] != claims.NOT_CHECKABLE]
    assert len(reviews) == len(checkable) > 100
    assert [review["identifier"] for review in reviews] == list(checkable["claim_id"])


def test_every_review_has_the_fields_claimreview_requires(reviews):
    for review in reviews:
        assert claim_reviews.missing_fields(review) == [], review["identifier"]
        assert review["url"].split("#")[0] in PAGES.values()
        assert review["url"].endswith("#claim-" + review["identifier"].lower())


def test_missing_fields_names_what_is_missing():
    assert claim_reviews.missing_fields({"@type": "ClaimReview"}) == [
        "@context", "claimReviewed", "reviewRating", "url", "author", "itemReviewed",
        *(f"reviewRating.{field}" for field in claim_reviews.REQUIRED_RATING_FIELDS)]
    review = {"@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": "x", "url": "u",
              "author": {"name": "a"}, "itemReviewed": {"@type": "Claim"},
              "reviewRating": {"@type": "Rating", "ratingValue": 7, "bestRating": 5, "worstRating": 1,
                               "alternateName": "confirmed"}}
    assert claim_reviews.missing_fields(review) == ["reviewRating.ratingValue within the scale"]


def test_the_rating_is_the_verdict_and_only_independent_data_can_confirm(reviews, checked):
    assert all(review["url"].split("#")[0] == PAGES[chapter]
               for review, chapter in zip(reviews, checked.loc[checked["verdict"] != claims.NOT_CHECKABLE, "chapter"]))
    verdict_of = checked.set_index("claim_id")["verdict"]
    kind_of = checked.set_index("claim_id")["kind"]
    for review in reviews:
        rating = review["reviewRating"]
        assert rating["alternateName"] == verdict_of[review["identifier"]]
        assert rating["ratingValue"] == claim_reviews.RATING_SCALE[rating["alternateName"]]
        if kind_of[review["identifier"]] == claims.INTERNAL:
            assert rating["ratingValue"] <= 3, review["identifier"]  # the document's own arithmetic
    assert claim_reviews.RATING_SCALE[claims.CONFIRMED] == claim_reviews.BEST_RATING
    assert claim_reviews.RATING_SCALE[claims.CONTRADICTED] == claim_reviews.WORST_RATING
    assert claim_reviews.RATING_SCALE[claims.CONSISTENT] < claim_reviews.RATING_SCALE[claims.CLOSE]


def test_every_verdict_of_the_engine_has_a_rating():
    assert set(claim_reviews.RATING_SCALE) == set(claims.VERDICTS) - {claims.NOT_CHECKABLE}


def test_the_json_ld_script_cannot_close_the_page_s_script_tag():
    script = claim_reviews.json_ld_script([{"claimReviewed": "a </script> b"}])
    assert script.count("</script>") == 1 and script.startswith('<script type="application/ld+json">')
