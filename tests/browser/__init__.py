"""Journeys through the real app in Chromium, with axe accessibility checks."""
