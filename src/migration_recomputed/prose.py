"""Put computed values into a chapter's prose (myst-nb glue), safely typed, and show that prose
in a plain Jupyter notebook.

numpy scalars break myst-nb's format specs ({glue:text}`x:.1f` on np.float64 warns, which
fails a -W build), so every value is converted to a plain int, float or str first, and a value
that is not finite (nan, inf: a division by zero upstream) is refused with the glue key named.

Every glued value and chart is also kept in `GLUED` (name -> value) for the running kernel, so
that `show(text)` can render a passage of the book's MyST Markdown in Jupyter, with the numbers
of *this* run: the chapter bundles (`bundle.write_chapter_bundle`) turn each passage of text
into a hidden `show(r'''...''')` cell, and a reader who changes the parameters sees the text follow.
"""
from __future__ import annotations

import math
import numbers
import os
import re
import sys
from collections.abc import Mapping

from IPython.display import display as _display
from myst_nb import glue as _myst_glue
from myst_nb.ext.glue import GLUE_PREFIX  # the prefix of a value glued without being displayed

__all__ = ["GLUED", "GlueKeyError", "glue", "glue_figure", "glue_values", "myst_to_markdown", "plain",
           "render", "show", "show_figure"]

# name -> value (plain int/float/str) or displayable object (chart, table), for this kernel.
GLUED: dict[str, object] = {}


class GlueKeyError(LookupError):
    """The text uses a glue key that no cell above it has computed."""


def plain(value):
    """A plain Python int/float/str for a glued value (numpy scalars converted)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, str):
        return value
    raise TypeError(f"cannot glue a {type(value).__name__} as a number or text: {value!r}")


def _checked(name: str, value):
    """`value` as a plain value, refusing what must never reach a page (nan, inf)."""
    try:
        value = plain(value)
    except TypeError as error:
        raise TypeError(f"glue key {name}: {error}") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"glue key {name} is {value!r}: a number on the page must be finite "
                         "(a division by zero or a missing value upstream?)")
    return value


def _glued_bundle(name: str, value) -> tuple[dict, dict]:
    """(data, metadata) of myst-nb's glue of a plain value without display."""
    return {GLUE_PREFIX + "text/plain": repr(value)}, {"scrapbook": {"name": name, "mime_prefix": GLUE_PREFIX}}


def _glue_plain(name: str, value) -> None:
    """myst_nb.glue(name, value, display=False) for a plain int, float, str or bool: the same
    output (the value's repr as text/plain under myst-nb's prefix), without asking each of
    IPython's formatters about the value first, which was most of the 0.75 ms each of the book's
    800 glued values cost its kernels (a test compares the two outputs)."""
    bundle, metadata = _glued_bundle(name, value)
    _display(bundle, raw=True, metadata=metadata)


def _kernel_publisher():
    """ipykernel's display publisher when this runs in a Jupyter kernel, else None."""
    try:
        from ipykernel.zmqshell import ZMQDisplayPublisher
        from IPython import get_ipython
    except ImportError:
        return None
    publisher = getattr(get_ipython(), "display_pub", None)
    return publisher if isinstance(publisher, ZMQDisplayPublisher) else None


def _glue_plain_values(values: dict) -> None:
    """_glue_plain(name, value) for each item, the streams flushed once for all of them.

    ipykernel's publish() flushes stdout and stderr before every display message, each flush a
    wait on its I/O thread: two thirds of the cost of the book's 800 glued values. In a kernel
    this flushes once (text printed before still comes first) and sends each value as the
    display message publish() would send, or all of them as one batch in the book's build
    (`GLUE_BATCHES`; tests/test_prose.py runs each way in a kernel)."""
    publisher = _kernel_publisher()
    if publisher is None:  # plain IPython, or output captured: publish as usual
        for name, value in values.items():
            _glue_plain(name, value)
        return
    sys.stdout.flush()
    sys.stderr.flush()
    outputs = [_glued_bundle(name, value) for name, value in values.items()]
    if os.environ.get(GLUE_BATCHES) == "1" and len(outputs) > 1:
        outputs = [({GLUE_BATCH_MIME: [{"data": data, "metadata": metadata} for data, metadata in outputs]}, {})]
    for data, metadata in outputs:
        publisher.session.send(publisher.pub_socket, "display_data",
                               {"data": data, "metadata": metadata, "transient": {}},
                               parent=publisher.parent_header, ident=publisher.topic)


# In the book's build a kernel sends the values of one glue_values() call as one display message,
# which the build splits back into myst-nb's outputs as soon as the cell has run
# (_ext/build_kernels.py sets both): the build's notebook client took 0.3-0.5 ms to receive each
# of the book's 743 glued plain values, after the cell that glued them had run, while the next
# cell waited. The build sets GLUE_BATCHES only in the kernels whose outputs it splits; anywhere
# else (papermill, Jupyter) each value is its own message, as myst-nb's glue sends it.
GLUE_BATCHES = "BOOK_GLUE_BATCHES"
GLUE_BATCH_MIME = "application/vnd.migration-recomputed.glue-batch+json"


def split_glue_batches(outputs: list) -> list:
    """A cell's outputs with each glue batch replaced by the display outputs it carries, in its
    place among the others: the outputs myst-nb's glue would have made, key for key, each made
    and checked against nbformat's schema by the function nbclient makes an output with from a
    kernel's message (nbformat.v4.new_output, which output_from_msg calls)."""
    if not any(GLUE_BATCH_MIME in output.get("data", ()) for output in outputs):
        return outputs
    from nbformat.v4 import new_output

    split = []
    for output in outputs:
        batch = output.get("data", {}).get(GLUE_BATCH_MIME)
        if batch is None:
            split.append(output)
            continue
        split.extend(new_output("display_data", data=item["data"], metadata=item["metadata"]) for item in batch)
    return split


def glue_values(**values) -> None:
    """glue(name, value, display=False) for each keyword, with plain Python values."""
    checked = {name: _checked(name, value) for name, value in values.items()}
    _glue_plain_values(checked)
    GLUED.update(checked)


def glue(name: str, value, display: bool = True) -> None:
    """myst_nb.glue for any object (a table, a styled frame), also kept for show_figure().
    Numbers and text go through the same checks as glue_values."""
    if isinstance(value, (numbers.Number, str)):
        value = _checked(name, value)
        if not display:
            _glue_plain(name, value)
            GLUED[name] = value
            return
    _myst_glue(name, value, display=display)
    GLUED[name] = value


def glue_figure(name: str, chart) -> None:
    """Glue a finished chart (charts.figure) and, as `<name>_description`, its text description
    for the page's "Text description of the chart" dropdown."""
    from IPython.display import Markdown

    description = Markdown(chart.description)
    _myst_glue(name, chart, display=False)
    _myst_glue(f"{name}_description", description, display=False)
    GLUED[name] = chart
    GLUED[f"{name}_description"] = description


# ---------------------------------------------------------------------------------------------
# MyST Markdown -> plain Markdown

# {role}`content`; the content may wrap onto the next line, as in any Markdown paragraph.
ROLE = re.compile(r"\{(?P<role>[A-Za-z][\w+.-]*(?::[\w+.-]*)?)\}`(?P<content>[^`]+)`")
# `text <target>` inside a role
TEXT_AND_TARGET = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)
GLUE_ROLES = {"glue", "glue:", "glue:any", "glue:text", "glue:md", "glue:math"}
# `(label)=` targets and `% comment` lines: MyST syntax with no Markdown equivalent
LABEL_LINE = re.compile(r"^\s*\([^()\s]+\)=\s*$")
# a role, else a code span (left alone), else a `$` not escaped yet
INLINE = re.compile(ROLE.pattern + r"|(?P<code>(?<!`)(?P<ticks>`+)(?!`).*?(?<!`)(?P=ticks)(?!`))|(?P<dollar>(?<!\\)\$)",
                    re.DOTALL)
FENCE = re.compile(r"^\s{0,3}(?P<fence>`{3,}|~{3,})")


def _missing(key: str) -> GlueKeyError:
    return GlueKeyError(
        f"{key} is used in the text before the cell that computes it: no cell run so far glued it "
        "(run the cells in order, from the top)")


def _format(value, fmt_spec: str) -> str:
    """Format a glued value as myst-nb's {glue:text}`key:fmt` does (core.variables.format_plain_text)."""
    if fmt_spec == "":
        return str(value)
    type_char = fmt_spec[-1]
    if type_char == "s":
        value = str(value)
    elif type_char in "bcdoxX":
        value = int(value)
    elif type_char in "eEfFgGn%":
        value = float(value)
    return format(value, fmt_spec)


def _glue_text(role: str, content: str, values: Mapping) -> str:
    key, fmt_spec = (content.rsplit(":", 1) + [""])[:2] if role in ("glue:text", "glue:md") else (content, "")
    key = key.strip()
    if "::" in key:
        raise GlueKeyError(f"{key}: glue from another document is not available in a notebook")
    if key not in values:
        raise _missing(key)
    value = values[key]
    if role == "glue:md" or hasattr(value, "_repr_markdown_"):
        text = getattr(value, "data", None)
        if isinstance(text, str):
            return text
        if hasattr(value, "_repr_markdown_"):
            return value._repr_markdown_()
        return str(value)
    if not isinstance(value, (numbers.Number, str)):
        raise GlueKeyError(f"{key} is a {type(value).__name__}, not a value for the text; "
                           f'show it with show_figure("{key}")')
    try:
        text = _format(value, fmt_spec)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{key}: cannot format {value!r} with {fmt_spec!r}: {error}") from None
    return f"${text}$" if role == "glue:math" else text


def _text_and_target(content: str) -> tuple[str, str]:
    match = TEXT_AND_TARGET.match(content.strip())
    if match and match["text"]:
        return match["text"], match["target"].strip()
    return "", content.strip()


def _citation(role: str, content: str, citations: Mapping[str, str] | None) -> str:
    keys = [key.strip() for key in content.split(",") if key.strip()]
    labels = [(citations or {}).get(key) for key in keys]
    if all(labels):
        # citations maps a key to "Author (year)"; {cite:t} keeps that, {cite}/{cite:p} brackets it
        if role in ("cite:t", "cite:ts"):
            return "; ".join(labels)
        return "(" + "; ".join(re.sub(r"^(.*) \((.*)\)$", r"\1, \2", label) for label in labels) + ")"
    return f"(source: {', '.join(keys)})"


def _role(match: re.Match, values: Mapping | None, citations, labels, escape_dollars: bool = True) -> str:
    role, content = match["role"], match["content"]
    if role in GLUE_ROLES:
        if values is None:
            return match.group(0)  # left for show() to fill in at run time
        text = _glue_text(role, content, values)
        return re.sub(r"(?<!\\)\$", r"\\$", text) if escape_dollars and role != "glue:math" else text
    if role.startswith("cite"):
        return _citation(role, content, citations)
    text, target = _text_and_target(content)
    if role == "download":
        shown = text or target.rsplit("/", 1)[-1]
        link = f"<{target}>" if " " in target else target
        return f"[{shown}]({link})"
    if role in ("ref", "numref", "doc", "eq", "any", "external"):
        label = (labels or {}).get(target, "")
        if text and ("%s" in text or "{number}" in text):  # {numref}`Figure %s <fig-x>`
            number = label.rsplit(" ", 1)[-1] if label else "?"
            return text.replace("%s", number).replace("{number}", number)
        return text or label or target
    if role == "math":
        return f"${content}$"
    if role in ("sub", "sup"):
        return f"<{role}>{content}</{role}>"
    # {term}, {abbr}, {index}, {kbd}, ... : the words themselves
    return text or target


def myst_to_markdown(text: str, values: Mapping | None = None, *, citations: Mapping[str, str] | None = None,
                     labels: Mapping[str, str] | None = None, escape_dollars: bool = True) -> str:
    """`text` (MyST Markdown) with its roles turned into plain Markdown.

    values     glued values by name, filled into {glue:text}`name:fmt`, {glue}`name`, {glue:md}`name`;
               None leaves the glue roles as they are (to be filled in at run time)
    citations  bibliography key -> "Author (year)" for {cite}; without it, "(source: key)"
    labels     target -> text for {ref}/{numref} without a text of their own (a section's title)
    escape_dollars  write `$` as `\\$` (the book has no dollar math; Jupyter would typeset it)
    """
    out, prose, fence = [], [], None

    def inline(match: re.Match) -> str:
        if match["role"]:
            return _role(match, values, citations, labels, escape_dollars)
        if match["dollar"]:
            return "\\$" if escape_dollars else "$"
        return match.group(0)  # a code span, as it is

    def flush():
        if prose:
            out.append(INLINE.sub(inline, "\n".join(prose)))
            prose.clear()

    for line in text.split("\n"):
        if fence:  # inside a fenced code block: kept as it is
            out.append(line)
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            continue
        opening = FENCE.match(line)
        if opening:
            flush()
            fence = opening["fence"]
            out.append(line)
        elif not LABEL_LINE.match(line) and not line.startswith("%"):
            prose.append(line)
    flush()
    return "\n".join(out)


def render(text: str) -> str:
    """A passage of MyST Markdown as plain Markdown, with the values glued so far in this kernel."""
    return myst_to_markdown(text, GLUED)


def show(text: str) -> None:
    """Display a passage of the book's text (MyST Markdown) in Jupyter, its numbers filled in from
    this run: the values that the cells above it glued."""
    from IPython.display import Markdown, display

    display(Markdown(render(text)))


def show_figure(name: str) -> None:
    """Display a glued chart or table (glue_figure, glue) where the book places it."""
    from IPython.display import display

    if name not in GLUED:
        raise _missing(name)
    display(GLUED[name])
