"""Shared pieces every layer may use: they import nothing above them."""
