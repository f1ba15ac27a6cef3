"""Reading a troubleshooting document for its meaning, whatever its layout.

    compose.read_section(title, title_inline, line, blocks) -> SectionReading  # issues, or why not

Each section (or list item, bold lead, problem paragraph) is scored by what its parts look like:
error text, failure words, cause words, imperative steps, code. See ``cues`` (the words),
``reading`` (a unit's blocks by role), ``units`` (several entries under one heading) and
``compose`` (the decision and the known issue).
"""
