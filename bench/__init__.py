"""Speed benchmark: this bot against Rasa's own starter bot, over the REST channel.

`python -m bench --help` (or `make bench`) runs it; results land in results/bench/.
"""
