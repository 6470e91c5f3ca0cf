"""Check each output a kernel sends against nbformat's schema compiled once, not interpreted.

While a page executes, nbclient turns every message of the kernel into an output with
`nbformat.v4.output_from_msg`, which checks it with `nbformat.v4.nbbase.validate(output,
output_type)`. nbformat compiles its schema with fastjsonschema for a whole notebook, but for
one part of it (a `$ref` such as "display_data") it falls back to the pure-Python jsonschema
validator. The book's kernels sent about 1,100 outputs (most of them glued values, since sent in
batches: _ext/build_kernels.py), which the build processes one by one while the next cell waits:
their checks took 0.18 s of a build, 0.06 s compiled (timed in a build, with the same outputs
checked both ways). This extension compiles each output type's definition of the same schema
with fastjsonschema the first time it is asked for, and checks with it. An output the compiled
check rejects is checked again by nbformat's own function, which decides, so a bad output fails
with nbformat's message, as before (tests/test_compiled_outputs.py).
"""
from __future__ import annotations

import fastjsonschema
import nbformat.v4.nbbase as nbbase
from nbformat.validator import get_validator

# nbformat's own function (also when this module is imported a second time)
INTERPRETED = getattr(nbbase.validate, "__wrapped__", nbbase.validate)
_compiled: dict[str, object] = {}


def _check_for(ref: str):
    if ref not in _compiled:
        # nbbase.validate checks against the current schema of its major version (4)
        schema = get_validator(nbbase.nbformat)._schema
        _compiled[ref] = fastjsonschema.compile({**schema, "$ref": f"#/definitions/{ref}"})
    return _compiled[ref]


def validate(node, ref: str | None = None) -> None:
    """nbformat.v4.nbbase.validate, with the part of the schema named `ref` compiled."""
    if ref is None:
        return INTERPRETED(node, ref)  # a whole notebook: nbformat compiles that itself
    try:
        _check_for(ref)(node)
    except fastjsonschema.JsonSchemaException:
        # nbformat's own check decides, and raises its ValidationError with its message
        return INTERPRETED(node, ref)
    return None


validate.__wrapped__ = INTERPRETED


def setup(app):
    nbbase.validate = validate
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
