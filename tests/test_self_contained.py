"""The check the board pack and session report tests use: it finds what a page would load."""

from __future__ import annotations

import pytest

from tests.self_contained import loads_from_anywhere


@pytest.mark.parametrize(
    "html",
    [
        '<img src="https://tiles.example/1/2/3.png">',
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Inter">',
        "<style>@import 'https://cdn.example/x.css';</style>",
        "<style>@font-face{font-family:x;src:url(https://fonts.gstatic.com/x.woff2)}</style>",
        '<div style="background:url(//cdn.example/b.png)"></div>',
        '<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>',
        '<svg><image href="https://tiles.example/a.png"/></svg>',
        '<img srcset="/a.png 1x">',  # a relative address loads from wherever the file is
    ],
)
def test_self_contained_finds_what_a_page_would_load(html):
    assert loads_from_anywhere(html)


def test_self_contained_passes_inline_svg_css_data_and_links():
    page = (
        "<style>body{font-family:system-ui}</style><svg><rect fill='#000'/></svg>"
        '<img src="data:image/png;base64,AAAA"><a href="https://www.childline.org.uk">x</a>'
        '<a href="#top">top</a><svg><use href="#bar"/></svg>'
    )
    assert loads_from_anywhere(page) == []
