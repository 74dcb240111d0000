"""Figure directives in report text: `{{name key=value ...}}`, parsed without any template engine.

The grammar is deliberately tiny (docs/reports.md): a name, then space-separated key=value pairs
whose values are plain tokens. Nothing is evaluated, looked up by attribute or executed; a value
only ever reaches aggregates.question_from_params or the outside-figure registry as a string.
`\\{{` writes a literal `{{`. A directive never spans lines.
"""

from __future__ import annotations

import dataclasses
import re
import secrets

from django.utils.translation import gettext

INLINE = frozenset({"count", "cited", "rate"})
BLOCK = frozenset({"table", "chart"})
NAMES = INLINE | BLOCK
MAX_LENGTH = 1000  # characters between the braces; a longer "directive" is a mistake, not a question

_NAME = re.compile(r"[a-z]+\Z")
_KEY = re.compile(r"[a-z][a-z_]*\Z")
_VALUE = re.compile(r"[A-Za-z0-9_.,:\-]+\Z")

# Keys each directive needs or refuses before the question parser sees the rest.
REQUIRED = {
    "count": {"measure"},
    "cited": {"statistic"},
    "rate": set(),
    "table": {"measure", "by"},
    "chart": {"measure", "by"},
}
REFUSED = {"count": {"by"}, "rate": {"by"}}
ONLY = {"cited": {"statistic"}}


@dataclasses.dataclass(frozen=True)
class Directive:
    """One well-formed directive: its name, its parameters in written order, and where it stood."""

    name: str
    params: tuple[tuple[str, str], ...]
    line: int
    source: str

    @property
    def block(self) -> bool:
        return self.name in BLOCK

    @property
    def param_map(self) -> dict[str, str]:
        return dict(self.params)


@dataclasses.dataclass(frozen=True)
class DirectiveError:
    """A directive that could not be read: the line and the reason, already translated."""

    line: int
    reason: str
    source: str

    @property
    def message(self) -> str:
        return gettext("Line %(line)d: %(reason)s") % {"line": self.line, "reason": self.reason}


Item = Directive | DirectiveError


@dataclasses.dataclass(frozen=True)
class Extracted:
    """The text with every directive replaced by a placeholder, and the directives by index.

    Placeholders are letters and digits with a random nonce, so Markdown parses them as plain text
    and nothing a writer types can forge one."""

    text: str
    items: tuple[Item, ...]
    nonce: str

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(rf"ASYLON{self.nonce}D(\d+)E")

    def placeholder(self, index: int) -> str:
        return f"ASYLON{self.nonce}D{index}E"

    def restore(self, text: str) -> str:
        """The text with placeholders turned back into what the writer typed (for code and URLs)."""
        return self.pattern.sub(lambda match: self.items[int(match.group(1))].source, text)


def parse_directive(body: str, *, line: int, source: str) -> Item:
    """One directive from the text between its braces."""
    words = body.split()
    if not words:
        return DirectiveError(line, gettext("the directive is empty."), source)
    name = words[0]
    if not _NAME.match(name) or name not in NAMES:
        return DirectiveError(
            line,
            gettext("“%(name)s” is not a directive; use count, cited, rate, table or chart.") % {"name": name[:40]},
            source,
        )
    params: list[tuple[str, str]] = []
    for word in words[1:]:
        key, equals, value = word.partition("=")
        if not equals or not _KEY.match(key):
            return DirectiveError(
                line, gettext("“%(word)s” is not of the form key=value.") % {"word": word[:40]}, source
            )
        if not _VALUE.match(value):
            return DirectiveError(
                line,
                gettext("the value of %(key)s may hold only letters, digits and _ - . , :") % {"key": key[:40]},
                source,
            )
        if any(key == seen for seen, _ in params):
            return DirectiveError(line, gettext("%(key)s is given twice.") % {"key": key}, source)
        params.append((key, value))
    keys = {key for key, _ in params}
    for key in sorted(REQUIRED[name] - keys):
        return DirectiveError(line, gettext("%(name)s needs %(key)s=.") % {"name": name, "key": key}, source)
    for key in sorted(keys & REFUSED.get(name, set())):
        return DirectiveError(line, gettext("%(name)s does not take %(key)s=.") % {"name": name, "key": key}, source)
    if name in ONLY:
        for key in sorted(keys - ONLY[name]):
            return DirectiveError(
                line, gettext("%(name)s does not take %(key)s=.") % {"name": name, "key": key[:40]}, source
            )
    return Directive(name=name, params=tuple(params), line=line, source=source)


def extract(markdown: str) -> Extracted:
    """Find every directive (and every malformed one) and put a placeholder in its place."""
    nonce = secrets.token_hex(8)
    items: list[Item] = []
    lines_out: list[str] = []
    for number, line in enumerate(markdown.splitlines(), start=1):
        out: list[str] = []
        position = 0
        while True:
            start = line.find("{{", position)
            if start < 0:
                out.append(line[position:])
                break
            if start > 0 and line[start - 1] == "\\":
                out.append(line[position : start - 1] + "{{")
                position = start + 2
                continue
            out.append(line[position:start])
            end = line.find("}}", start + 2)
            if end < 0:
                source = line[start:]
                items.append(DirectiveError(number, gettext("the directive is not closed with }}."), source))
                position = len(line)
            else:
                source = line[start : end + 2]
                body = line[start + 2 : end]
                if len(body) > MAX_LENGTH:
                    items.append(DirectiveError(number, gettext("the directive is too long."), source))
                else:
                    items.append(parse_directive(body, line=number, source=source))
                position = end + 2
            out.append(f"ASYLON{nonce}D{len(items) - 1}E")
        lines_out.append("".join(out))
    return Extracted(text="\n".join(lines_out), items=tuple(items), nonce=nonce)
