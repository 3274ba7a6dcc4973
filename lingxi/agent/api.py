"""The agent core's routers, included under /api/v1 by ``lingxi.api``."""

from lingxi.agent.context.endpoints import router as context_router
from lingxi.agent.planning.endpoints import router as planning_router
from lingxi.agent.tools.endpoints import router as tools_router
from lingxi.notifications.endpoints import router as notifications_router

routers = (tools_router, planning_router, context_router, notifications_router)
