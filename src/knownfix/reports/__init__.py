"""Report adapters: the status report model rendered as Markdown, HTML or PDF, with its chart."""
