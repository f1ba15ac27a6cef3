"""A failure's signature: lines normalized (variable parts masked), then fingerprinted.

    normalize   one line, masked by ``masking_rules``
    fingerprint an excerpt's title, strict and loose hashes, and why (``fingerprint_rules``)
"""
