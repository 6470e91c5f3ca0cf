"""_ext/vega_offline.py: the versions of Vega the installed Altair wants, kept for the next build."""
from __future__ import annotations

import json
import sys

import altair as alt

import file_modules


def test_altairs_versions_are_kept_and_read_back_without_importing_altair(tmp_path, monkeypatch):
    vega_offline = file_modules.load("_ext/vega_offline.py")
    versions = vega_offline.altair_versions(tmp_path)
    assert versions == {"altair": alt.__version__, "vega": alt.VEGA_VERSION, "vega-lite": alt.VEGALITE_VERSION,
                        "vega-embed": alt.VEGAEMBED_VERSION, "vega-lite schema": alt.SCHEMA_VERSION.lstrip("v")}
    # a rebuild reads them back: Altair is not imported (here it cannot be)
    monkeypatch.setitem(sys.modules, "altair", None)
    assert vega_offline.altair_versions(tmp_path) == versions
    # kept for another Altair: not used, and without Altair there are no versions to give
    kept = tmp_path / vega_offline.VERSIONS_KEPT
    kept.write_text(json.dumps(dict(versions, altair="0.0.1")), encoding="utf-8")
    assert vega_offline.altair_versions(tmp_path) is None
    kept.write_text("not json", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "altair", alt)
    assert vega_offline.altair_versions(tmp_path) == versions  # read from Altair again, and kept
    assert json.loads(kept.read_text(encoding="utf-8")) == versions
