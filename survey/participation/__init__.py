"""Participation: sessions, paper forms, the review desk, quotes, and "You said,
we did" actions."""
