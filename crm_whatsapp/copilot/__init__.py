"""The Copilot: reply suggestions an attendant clicks to put in the composer.

Two engines feed one bar: ``local`` ranks replies the office's attendants
already sent (and its quick replies) with no network at all; ``model`` asks
any OpenAI-compatible server, after personal data is replaced by
placeholders that only this PC can put back. Nothing here ever sends a
message: a suggestion becomes text in the composer, and the attendant sends.
No Qt in this package (``make test`` checks it), so the command line and the
window share every line of it.
"""
