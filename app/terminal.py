"""What the ``liaison`` command prints from a vault: text that cannot act on the terminal.

Vault text is what others wrote (a shuttle message, an imported file): printed raw, an escape
sequence in it could retitle the window, write the clipboard or reorder the line.
"""

from __future__ import annotations

import re

# Text that would act on a terminal instead of being shown: C0 and C1 control characters
# (escape sequences can retitle the window, write the clipboard, move the cursor), DEL, and
# the bidi embeddings, overrides and isolates that can reorder the rest of the line.
_TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def terminal_safe(text: str, keep: str = "") -> str:
    """``text`` as it may be printed to a terminal: every character that would act on the
    terminal is shown as a visible escape (``\\x1b``, ``\\u202e``, ``\\n``), except those in
    ``keep``. Everything the CLI prints from a vault (or an error about it) goes through here.
    """

    def escape(m: re.Match[str]) -> str:
        ch = m.group()
        if ch in keep:
            return ch
        code = ord(ch)
        return _NAMED_ESCAPES.get(ch) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")

    return _TERMINAL_UNSAFE.sub(escape, text)


def label(text: str, limit: int = 200) -> str:
    """A name from the vault inside a one-line message: escaped, and cut when very long."""
    text = terminal_safe(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
