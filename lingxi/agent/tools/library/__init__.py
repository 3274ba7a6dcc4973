"""The tool library: importing this package registers every standard tool."""

from lingxi.agent.tools.library import (  # noqa: F401
    analytics,
    calendar,
    communication,
    data,
    knowledge,
    language,
    process,
)
