"""Onboarding a department: importing a staff record extract (CSV) of support workers."""
