"""Where a young person can get help: `data/help_contacts.yaml`, validated on load.

A contact is **national** (shown to everyone), for the whole **partnership** (everyone in its
area) or **local**: for the districts it names, shown only to a young person who chose one of
them (the districts are checked against data/dimensions.yaml, the one vocabulary).

A partnership fills in its own services. Until it has, such a contact is marked
`placeholder: true` and is never shown to a young person. Every other contact must give a
real way to reach it (a phone number, a number to text, a web address) and must not look like
a placeholder ("TODO", "XXXX", "<number>"): the file is refused, naming the entry, otherwise.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from survey.core.data_files import read_yaml, reloaded_on_change, validate_file
from survey.core.dimensions import Dimensions, cached_dimensions, check_name

# Words and marks that say "fill this in": a contact showing them is not ready to be shown.
_LOOKS_LIKE_A_PLACEHOLDER = re.compile(
    r"\b(todo|tbc|tbd|fill (it |this )?in|placeholder|lorem ipsum|x{3,}|0{4,})\b"
    r"|<[^>]*>|\[[^\]]*\]|\bexample\.(com|org|net)\b",
    re.IGNORECASE,
)
_PHONE = re.compile(r"\+?[0-9][0-9 ]{1,18}[0-9]")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TextLine(_Strict):
    """A number to text, and the word to send if the service asks for one ("SHOUT")."""

    to: str = Field(pattern=r"^[0-9]{3,15}$")
    message: str | None = Field(default=None, min_length=1, max_length=40)


class Contact(_Strict):
    name: str = Field(min_length=1)
    what: str = Field(min_length=1)
    phone: str | None = None
    text: TextLine | None = None
    web: str | None = None
    # The partnership has still to fill this one in: never shown to a young person.
    placeholder: bool = False

    @field_validator("phone")
    @classmethod
    def _a_phone_number(cls, phone: str | None) -> str | None:
        if phone is not None and not _PHONE.fullmatch(phone):
            raise ValueError(f"'{phone}' is not a phone number (digits and spaces, e.g. 0800 1111)")
        return phone

    @field_validator("web")
    @classmethod
    def _a_web_address(cls, web: str | None) -> str | None:
        if web is None:
            return None
        parts = urlsplit(web)
        if parts.scheme not in ("https", "http") or "." not in parts.netloc or " " in web:
            raise ValueError(
                f"'{web}' is not a web address: give it whole, e.g. https://www.childline.org.uk"
            )
        return web

    @model_validator(mode="after")
    def _ready_to_show(self) -> Contact:
        if self.placeholder:
            return self
        if not (self.phone or self.text or self.web):
            raise ValueError(
                "gives no way to reach it: add a phone, text or web, or mark it "
                "'placeholder: true' until your partnership fills it in (a placeholder is "
                "never shown)"
            )
        shown = [self.name, self.what, self.phone, self.web]
        if self.text is not None:
            shown += [self.text.to, self.text.message]
        for value in shown:
            if value and _LOOKS_LIKE_A_PLACEHOLDER.search(value):
                raise ValueError(
                    f"'{value}' looks like a placeholder: fill in the real details, or mark "
                    "the contact 'placeholder: true' (a placeholder is never shown)"
                )
        return self

    # --- how the contact is reached, as links a phone opens ------------------------------

    @property
    def tel_href(self) -> str | None:
        """A tap-to-call link: tel:08001111."""
        return "tel:" + self.phone.replace(" ", "") if self.phone else None

    @property
    def sms_href(self) -> str | None:
        """A link that opens a new text message (with its word, if the service wants one).

        `?&body=` is the form both Android and iOS read."""
        if self.text is None:
            return None
        body = f"?&body={quote(self.text.message)}" if self.text.message else ""
        return f"sms:{self.text.to}{body}"

    @property
    def text_label(self) -> str | None:
        if self.text is None:
            return None
        if self.text.message:
            return f"Text {self.text.message} to {self.text.to}"
        return f"Text {self.text.to}"

    @property
    def web_label(self) -> str | None:
        """The web address as people say it: childline.org.uk."""
        if self.web is None:
            return None
        parts = urlsplit(self.web)
        return parts.netloc.removeprefix("www.") + parts.path.rstrip("/")


class LocalContact(Contact):
    """A service for some districts only (names from data/dimensions.yaml)."""

    districts: list[str] = Field(min_length=1)


class HelpContacts(_Strict):
    national: list[Contact] = Field(min_length=1)
    partnership: list[Contact] = []
    local: list[LocalContact] = []

    @model_validator(mode="after")
    def _some_national_help(self) -> HelpContacts:
        if all(c.placeholder for c in self.national):
            raise ValueError(
                "national: every contact is a placeholder; at least one (Childline) must be "
                "shown to everyone"
            )
        return self

    def for_district(self, district: str | None) -> list[Contact]:
        """What a young person who chose `district` (None: none) is shown, in order:
        national services, their district's, then the partnership's; never a placeholder."""
        local = [c for c in self.local if district is not None and district in c.districts]
        return [c for c in [*self.national, *local, *self.partnership] if not c.placeholder]


def load_help_contacts(path: Path, dimensions: Dimensions) -> HelpContacts:
    """Read and validate the help contacts file; every district named is one of
    `dimensions` (else `FILE: local 'NAME' > districts: unknown district 'X' (known: ...)`)."""
    contacts = validate_file(path, read_yaml(path), HelpContacts)
    for contact in contacts.local:
        for district in contact.districts:
            where = f"local '{contact.name}' > districts"
            check_name(dimensions, "districts", path, where, district)
    return contacts


@reloaded_on_change(lambda path, dimensions_path: [path, dimensions_path])
def cached_help_contacts(path: Path, dimensions_path: Path) -> HelpContacts:
    """The help contacts file checked against the dimensions, by the loading rule
    (survey/core/data_files.py)."""
    return load_help_contacts(path, cached_dimensions(dimensions_path))
