"""The quick exit, "Leave this site", on every young people's page, as UK safeguarding
sites have one.

A real link (focusable, named, it works even before the script has run) fixed at the top
right, large enough to tap. Pressed, or the Escape key pressed anywhere on the page, it blanks
the page at once and *replaces* it with a neutral site (the `quick_exit_url` setting) so Back
does not come back here. It also deletes the draft's cookie (ui/survey_draft.py) before
leaving, so opening the site again starts an empty survey: the unfinished answers cannot be
read without that cookie's token, and the sealed draft is swept within two hours.
"""

from __future__ import annotations

import html
import json

import streamlit as st

from ui.resources import settings
from ui.survey_draft import DRAFT_COOKIES

LABEL = "Leave this site"
_CLASS = "yv-quick-exit"

# Once per browser tab (the element is drawn again on every page): one click and one
# Escape listener, acting only while a quick-exit link is on the page (staff pages have
# none). Escape in an open drop-down list closes the list first, as it always does.
_SCRIPT = """<script>(function(){
if (window.__yvQuickExit) return;
window.__yvQuickExit = true;
function link(){ return document.querySelector('a.%(cls)s'); }
function leave(url){
  try { document.title = ''; document.body.innerHTML = ''; } catch (e) {}
  try {
    var m = document.createElement('meta');
    m.name = 'referrer'; m.content = 'no-referrer';
    document.head.appendChild(m);
  } catch (e) {}
  try { window.sessionStorage.clear(); } catch (e) {}
  try {
    var secure = location.protocol === 'https:' ? '; Secure' : '';
    %(draft_cookies)s.forEach(function(name){
      document.cookie = name + '=; Max-Age=0; Path=/; SameSite=Strict' + secure;
    });
  } catch (e) {}
  window.location.replace(url);
}
document.addEventListener('click', function(event){
  var a = event.target && event.target.closest ? event.target.closest('a.%(cls)s') : null;
  if (!a) return;
  event.preventDefault();
  leave(a.href);
}, true);
document.addEventListener('keydown', function(event){
  if (event.key !== 'Escape' && event.key !== 'Esc') return;
  var a = link();
  if (!a) return;
  var focused = document.activeElement;
  if (focused && focused.getAttribute('aria-expanded') === 'true') return;
  event.preventDefault();
  leave(a.href);
}, true);
})();</script>"""

# GOV.UK's focus colours; white on this red is 6.6:1 (WCAG AA needs 4.5:1). z-index above
# Streamlit's header, so it stays on top of everything while the page scrolls.
_STYLE = (
    "position:fixed;top:0.5rem;right:0.5rem;z-index:1000100;"
    "display:inline-flex;align-items:center;justify-content:center;"
    "min-height:48px;min-width:48px;padding:0 1rem;box-sizing:border-box;"
    "background:#a4261b;color:#ffffff;border:2px solid #ffffff;border-radius:0.5rem;"
    "box-shadow:0 2px 6px rgba(0,0,0,0.35);font-weight:700;font-size:1rem;"
    "line-height:1.2;text-decoration:none;"
)
_FOCUS = (
    f"<style>a.{_CLASS}:focus,a.{_CLASS}:focus-visible{{outline:3px solid #ffdd00 !important;"
    f"outline-offset:0;box-shadow:0 0 0 6px #0b0c0c !important;}}"
    f"a.{_CLASS}:hover{{background:#7f1d15 !important;}}</style>"
)


def quick_exit_html(url: str) -> str:
    """The link, its focus style and the script, for `st.html`."""
    href = html.escape(url, quote=True)
    script = _SCRIPT % {"cls": _CLASS, "draft_cookies": json.dumps(list(DRAFT_COOKIES))}
    # The URL reaches the script through the link's href, never as script text.
    return (
        f'{_FOCUS}<a class="{_CLASS}" href="{href}" style="{_STYLE}" '
        f'rel="noreferrer">{LABEL}</a>{script}'
    )


def quick_exit() -> None:
    """Draw "Leave this site" (call first on every young people's page)."""
    st.html(quick_exit_html(settings().quick_exit_url), unsafe_allow_javascript=True)
