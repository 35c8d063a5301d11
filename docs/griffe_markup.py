"""A griffe extension (mkdocs.yml, mkdocstrings' ``extensions:``) that renders the docstrings'
plain-text conventions as the site's Markdown, without touching the docstrings themselves.

The docstrings are written to read well in Jupyter and ``help()``, where they are plain text; in
Markdown three of their habits would render badly:

* a doctest example outside an ``Examples`` section (``>>> round(silhouette_score(...), 4)`` in
  the middle of a description) would become a nested block quote: it is fenced as ``pycon``;
* reST cross-reference roles (``:func:`option_context```, ``:class:`~customervalue.InputError```)
  would show their role names: they become code spans, ``~`` keeping the last name only;
* a reST ``.. code-block:: toml`` directive (the report's TOML schema) would show the directive
  line: the indented block becomes a fenced block in that language.

``Examples`` sections are left to the numpy parser, which renders their doctests itself.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:func|meth|class|mod|attr|exc|data|obj|const):`(~?)([^`]+)`")
_UNDERLINE = re.compile(r"\s*-{3,}\s*")
_CODE_BLOCK = re.compile(r"(\s*)\.\. code-block::\s*([\w+-]*)\s*")


def _role(match: re.Match[str]) -> str:
    short, target = match.group(1), match.group(2)
    return f"`{target.rsplit('.', 1)[-1] if short else target}`"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def markdown(text: str) -> str:
    """``text`` (a docstring) with its bare doctests and reST code blocks fenced and its reST
    roles as code spans."""
    lines = text.splitlines()
    out: list[str] = []
    in_examples = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() and i + 1 < len(lines) and _UNDERLINE.fullmatch(lines[i + 1]):
            in_examples = line.strip() in ("Examples", "Example")
        directive = _CODE_BLOCK.fullmatch(line)
        if directive:
            pad, lang = directive.group(1), directive.group(2)
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            block: list[str] = []
            while j < len(lines) and (not lines[j].strip() or _indent(lines[j]) > len(pad)):
                block.append(lines[j])
                j += 1
            while block and not block[-1].strip():
                block.pop()
            cut = min((_indent(b) for b in block if b.strip()), default=0)
            out += [f"{pad}```{lang}", *(pad + b[cut:] if b.strip() else "" for b in block), f"{pad}```", ""]
            i = j
            continue
        if line.lstrip().startswith(">>>") and not in_examples:
            pad = line[: _indent(line)]
            j = i
            while j < len(lines) and lines[j].strip():
                j += 1
            if out and out[-1].strip():
                out.append("")
            out += [f"{pad}```pycon", *lines[i:j], f"{pad}```"]
            i = j
            continue
        out.append(_ROLE.sub(_role, line))
        i += 1
    return "\n".join(out)


class DocstringMarkup(griffe.Extension):
    """Rewrites every docstring as :func:`markdown` says, when griffe loads the object."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = markdown(obj.docstring.value)
