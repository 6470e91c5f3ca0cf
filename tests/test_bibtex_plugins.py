"""_ext/bibtex_plugins.py: pybtex's style plugins are found once, and they are the same classes."""
from __future__ import annotations

from importlib.metadata import entry_points

import pybtex.plugin
import pytest
import sphinxcontrib.bibtex.plugin

from file_modules import load

bibtex_plugins = load("_ext/bibtex_plugins.py")


def installed(group: str) -> dict:
    """name -> class, as a lookup among the entry points resolves it (the first one wins)."""
    found = {}
    for entry_point in entry_points().select(group=group):
        found.setdefault(entry_point.name, entry_point)
    return {name: entry_point.load() for name, entry_point in found.items()}


def test_registered_plugins_are_the_classes_the_entry_points_name(monkeypatch):
    expected = {group: installed(group) for group in bibtex_plugins.PYBTEX_GROUPS + bibtex_plugins.BIBTEX_GROUPS}
    assert expected["pybtex.style.formatting"] and expected["sphinxcontrib.bibtex.style.referencing"]
    assert bibtex_plugins.register_style_plugins() == sum(map(len, expected.values()))

    def no_more_scans(*args, **kwargs):
        raise AssertionError("a lookup read the installed packages' entry points again")

    monkeypatch.setattr(pybtex.plugin, "entry_points", no_more_scans)
    monkeypatch.setattr(sphinxcontrib.bibtex.plugin, "_entry_points", no_more_scans)
    for group in bibtex_plugins.PYBTEX_GROUPS:
        for name, klass in expected[group].items():
            assert pybtex.plugin.find_plugin(group, name) is klass
    for name, klass in expected["sphinxcontrib.bibtex.style.referencing"].items():
        assert sphinxcontrib.bibtex.plugin.find_plugin("sphinxcontrib.bibtex.style.referencing", name) is klass


def test_an_unknown_style_is_still_refused():
    bibtex_plugins.register_style_plugins()
    with pytest.raises(pybtex.plugin.PluginNotFound):
        pybtex.plugin.find_plugin("pybtex.style.formatting", "no-such-style")
