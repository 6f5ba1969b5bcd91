"""Guided "behavior has meaning" reflections: prompts, feeling words and reflect-backs."""
