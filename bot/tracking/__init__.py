"""No silent loss: a tracker store that fails loudly, and the user's message stored first.

Rasa wraps every tracker store in ``FailSafeTrackerStore``, which turns a database
error into a brand-new empty conversation held in memory, and saves a turn only after
the bot has replied. ``store.StrictSQLTrackerStore`` (endpoints.yml ``type:``) and the
agent hooks it installs (``agent_hooks``) close both gaps; ``unavailable`` holds the
error the channels turn into a kind "try again" answer.
"""
