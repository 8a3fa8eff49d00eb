"""Template tags of the app (``{% load wardsafe %}``)."""
