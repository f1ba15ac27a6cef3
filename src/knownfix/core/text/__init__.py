"""Text primitives every stage shares: lossless decoding of bytes, and regexes that cannot hang."""
