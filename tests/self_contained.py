"""Whether an HTML file loads anything when opened: a board pack or session report must be
one self-contained file (inline SVG and CSS), fetching nothing from anywhere."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Attributes whose URL the browser fetches by itself, with no click.
_LOADING = {"src", "srcset", "data", "poster", "background", "xlink:href"}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)


class _Loads(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if not value:
                continue
            if name in _LOADING or (name == "href" and tag in {"link", "image", "use"}):
                self.found.append(value)
            if name == "style":
                self._css(value)
        self._style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._style = False

    def handle_data(self, data: str) -> None:
        if self._style:
            self._css(data)

    def _css(self, text: str) -> None:
        self.found += [a or b for a, b in _CSS_URL.findall(text)]


def loads_from_anywhere(html: str) -> list[str]:
    """Every URL the page would fetch on opening (data: URLs and #fragments fetch nothing)."""
    parser = _Loads()
    parser.feed(html)
    return [u for u in parser.found if not u.strip().lower().startswith(("data:", "#"))]
