"""Counts of people from the coarse clear fields, and the disclosure control every count passes.

questions.py  what is asked (measure, vocabulary codes, filters, period, breakdown)
measures.py   what each measure counts and which dimensions it can be broken down by
aggregates.py the counts, computed in the database (ORM aggregates, no loops over rows)
sources.py    where each measure's facts, people and dimensions live in the database
parsing.py    questions from key=value input, their validation and their words
tables.py     a count table before and after disclosure control
disclosure.py primary and secondary suppression, optional rounding
differencing.py the ledger check: suppressed cells stay suppressed, near-identical populations refused
"""
