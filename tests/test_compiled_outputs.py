"""_ext/compiled_outputs.py: a kernel's outputs are checked against nbformat's schema compiled,
with nbformat's own verdict and message."""
from __future__ import annotations

import nbformat.v4.nbbase as nbbase
import pytest
from nbformat import ValidationError
from nbformat.v4 import output_from_msg

from file_modules import load

compiled_outputs = load("_ext/compiled_outputs.py")
GLUE = {"scrapbook": {"name": "ch03_share", "mime_prefix": "application/papermill.record/"}}

VALID = [
    ("display_data", {"output_type": "display_data", "data": {"application/papermill.record/text/plain": "0.5"},
                      "metadata": GLUE}),
    ("display_data", {"output_type": "display_data", "data": {"text/html": ["<b>", "x</b>"],
                                                               "application/vnd.vegalite.v6+json": {"a": 1}},
                      "metadata": {}}),
    ("execute_result", {"output_type": "execute_result", "data": {"text/plain": "1"}, "metadata": {},
                        "execution_count": 3}),
    ("stream", {"output_type": "stream", "name": "stderr", "text": "a warning\n"}),
    ("error", {"output_type": "error", "ename": "KeyError", "evalue": "x", "traceback": ["t"]}),
]
INVALID = [
    ("display_data", {"output_type": "display_data", "data": {"text/plain": "1"}}),  # no metadata
    ("display_data", {"output_type": "display_data", "data": {"text/plain": 1}, "metadata": {}}),
    ("display_data", {"output_type": "display_data", "data": {}, "metadata": {}, "extra": 1}),
    ("execute_result", {"output_type": "execute_result", "data": {}, "metadata": {}}),  # no count
    ("stream", {"output_type": "stream", "name": "stdout"}),  # no text
    ("stream", {"output_type": "stream", "name": 3, "text": "x"}),
    ("error", {"output_type": "error", "ename": "E", "traceback": ["t"]}),  # no evalue
]


@pytest.mark.parametrize(("ref", "output"), VALID)
def test_a_valid_output_passes_both_checks(ref, output):
    compiled_outputs.INTERPRETED(output, ref)
    compiled_outputs.validate(output, ref)


@pytest.mark.parametrize(("ref", "output"), INVALID)
def test_an_invalid_output_fails_with_nbformats_message(ref, output):
    with pytest.raises(ValidationError) as interpreted:
        compiled_outputs.INTERPRETED(output, ref)
    with pytest.raises(ValidationError) as compiled:
        compiled_outputs.validate(output, ref)
    assert str(compiled.value) == str(interpreted.value)


def test_the_build_turns_kernel_messages_into_outputs_with_the_compiled_check(monkeypatch):
    monkeypatch.setattr(nbbase, "validate", nbbase.validate)  # restored after the test
    compiled_outputs.setup(app=None)
    assert nbbase.validate is compiled_outputs.validate
    message = {"header": {"msg_type": "display_data"},
               "content": {"data": {"application/papermill.record/text/plain": "'12.3%'"}, "metadata": GLUE}}
    assert output_from_msg(message)["metadata"] == GLUE
    # the interpreted check is not asked about a valid output
    monkeypatch.setattr(compiled_outputs, "INTERPRETED", lambda node, ref=None: pytest.fail("interpreted"))
    output_from_msg(message)
    # a second import of the extension still wraps nbformat's own function, not itself
    assert load("_ext/compiled_outputs.py").INTERPRETED is compiled_outputs.validate.__wrapped__
