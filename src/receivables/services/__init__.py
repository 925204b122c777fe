"""Use cases that tie the domain to storage: the application's context, clock and company settings.

Owns the one place that reads the clock (:func:`today`) and the company currency. May import
storage and domain; must not import the CLI, the API or the renderers.
"""
