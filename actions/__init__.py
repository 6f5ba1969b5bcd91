"""Rasa SDK custom actions, one module per family (loaded by `rasa run actions`)."""
