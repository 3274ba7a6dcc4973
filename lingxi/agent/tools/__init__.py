"""One registry of typed tools, called as the calling user through REST, MCP, plans and the assistant."""
