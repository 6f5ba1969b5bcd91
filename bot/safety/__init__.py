"""Safety: detect danger in a caregiver's message, record a flag, alert staff."""

CATEGORIES = ("self_harm", "harm_to_child", "domestic_violence", "medical_emergency")
