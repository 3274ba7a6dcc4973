"""Imports the agent core's ORM models (each part owns its own module)."""

import lingxi.agent.context.models  # noqa: F401
import lingxi.agent.planning.models  # noqa: F401
import lingxi.agent.tools.models  # noqa: F401
import lingxi.notifications.models  # noqa: F401
