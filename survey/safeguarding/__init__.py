"""Safeguarding: disclosures in free text, and the alerts that follow them."""
