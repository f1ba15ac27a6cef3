"""The status report as data: the model (summary, matrix, index), its KPIs and its text helpers."""
