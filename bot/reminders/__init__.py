"""Reflection reminders between sessions, kept in the database so a restart loses none.

Rasa's own reminders live in the server's memory and vanish when it restarts, so a
caregiver's opt-in is stored here (repository), a scheduler claims each due time
exactly once in the database (claims, scheduler) and starts the conversation through
Rasa's HTTP API. ``python -m bot reminders run`` runs it. This package's __init__ stays
import-free: the main command line imports the ``reminders`` group at start-up.
"""
