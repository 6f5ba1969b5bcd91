"""Rasa input channels for the clinic website, REST clients and SMS."""
