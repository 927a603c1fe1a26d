"""Help contacts on a young person's phone: each service with tap-to-call (`tel:`),
text (`sms:`) and web links, large enough to tap.

The links are drawn with st.html, not Markdown: Streamlit opens every Markdown link in a new
tab, which a phone's dialler does not need. Every word from the contacts file is escaped, and
the name and description go through `as_plain_markdown`: the file is text, never markup.
"""

from __future__ import annotations

from html import escape

import streamlit as st

from survey.safeguarding.help_contacts import Contact
from ui.plain_text import as_plain_markdown

# A tap target of at least 44 px (WCAG 2.5.5), in the theme's dark blue (8.6:1 on white).
_LINK_STYLE = (
    "display:inline-flex;align-items:center;min-height:44px;padding:0 0.9rem;"
    "border:2px solid #0B4F8A;border-radius:0.5rem;color:#0B4F8A;font-weight:600;"
    "text-decoration:underline;box-sizing:border-box;"
)
_ROW_STYLE = "display:flex;flex-wrap:wrap;gap:0.5rem;margin:0;"


def contact_links(contact: Contact) -> list[tuple[str, str]]:
    """(label, href) of each way to reach the contact: call, text, web."""
    links = []
    if contact.tel_href and contact.phone:
        links.append((f"Call {contact.phone}", contact.tel_href))
    if contact.sms_href and contact.text_label:
        links.append((contact.text_label, contact.sms_href))
    if contact.web and contact.web_label:
        links.append((f"Go to {contact.web_label}", contact.web))
    return links


def links_html(links: list[tuple[str, str]]) -> str:
    anchors = "".join(
        f'<a href="{escape(href, quote=True)}" rel="noreferrer" style="{_LINK_STYLE}">'
        f"{escape(label)}</a>"
        for label, href in links
    )
    return f'<p style="{_ROW_STYLE}">{anchors}</p>'


def show_contacts(contacts: list[Contact]) -> None:
    """One box per service: its name, what it is for, and its links."""
    for contact in contacts:
        with st.container(border=True):
            st.subheader(as_plain_markdown(contact.name), anchor=False)
            st.write(as_plain_markdown(contact.what))
            links = contact_links(contact)
            if links:
                st.html(links_html(links))


def show_quick_links(contacts: list[Contact]) -> None:
    """Every contact's links in one row, each named with its service (the plain thank-you
    page): "Childline: call 0800 1111"."""
    links = [
        (f"{contact.name}: {label[0].lower()}{label[1:]}", href)
        for contact in contacts
        for label, href in contact_links(contact)
    ]
    if links:
        st.html(links_html(links))
