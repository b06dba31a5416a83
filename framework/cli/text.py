"""Text from a repository or a model, made safe for a terminal.

A file name, a message of ruff's that quotes the code, or a model's sentence can hold control
characters: an escape sequence that sets the window title, clears the screen or rewrites a line,
a bell, a carriage return that hides what came before, or a bidirectional override that shows
text in another order than it reads. Every such character is shown as its escape (``\\u001b``,
``\\u202e``), never sent raw, whatever ``TERM`` says. (Rich, which draws the tables, lets ESC
through.) In JSON text, ``\\uXXXX`` is the very escape JSON reads back, so a JSON document stays
the same document.
"""

from __future__ import annotations

import re

# C0 controls, DEL and C1 controls (U+009B alone is a CSI); bidirectional embeddings, overrides,
# isolates and marks; the line and paragraph separators; and the other invisible format characters
# (zero-width spaces, joiners, the byte-order mark, tag characters...), which can hide text.
UNSAFE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
LINE_BREAKS = "\n\t"


def printable(text: object, lines: bool = False) -> str:
    """``text`` with every unsafe character shown as its escape; ``lines`` keeps newlines and tabs."""
    text = str(text)
    if lines:
        return UNSAFE.sub(lambda match: match.group() if match.group() in LINE_BREAKS else _escaped(match.group()), text)
    return UNSAFE.sub(lambda match: _escaped(match.group()), text)


def _escaped(char: str) -> str:
    """``\\uXXXX``, as JSON writes it (a surrogate pair past U+FFFF)."""
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
