"""The ``receivables`` command line: parses options, calls services, prints results.

The only package that prints. Must not hold accounting rules: those live in ``domain`` and the
use cases in ``services``, ``importers`` and ``analytics``.
"""
