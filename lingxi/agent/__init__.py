"""The agent core (issue 5): the tool library and MCP server (``tools``), the planning and execution
engine (``planning``) and the context engine (``context``)."""
