"""The production stack: N Rasa instances, the action server and nginx (see README)."""
