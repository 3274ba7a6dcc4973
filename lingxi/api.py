"""All routers under /api/v1."""

from lingxi.ai.llm.endpoints import router as ai_llm_router
from lingxi.audit.endpoints import router as audit_router
from lingxi.auth.endpoints import router as auth_router
from lingxi.dataio.endpoints import router as dataio_router
from lingxi.jobs.endpoints import router as jobs_router
from lingxi.kit.routing import FlatRouter
from lingxi.knowledge.endpoints import router as knowledge_router
from lingxi.meta.endpoints import router as meta_router
from lingxi.org.endpoints import router as org_router
from lingxi.records.endpoints import build_record_routers
from lingxi.search.endpoints import router as search_router
from lingxi.web.endpoints import router as ui_router

api_router = FlatRouter()  # copies routes: see lingxi.kit.routing
api_router.include_router(auth_router, prefix="/auth", tags=["auth"])
api_router.include_router(search_router, tags=["search"])
api_router.include_router(meta_router, prefix="/meta", tags=["metadata"])
api_router.include_router(org_router, tags=["organisation"])
api_router.include_router(audit_router, prefix="/audit", tags=["audit"])
api_router.include_router(jobs_router, tags=["jobs"])
api_router.include_router(ui_router, prefix="/ui", tags=["web-ui"])
api_router.include_router(dataio_router, tags=["import-export"])
api_router.include_router(knowledge_router)
api_router.include_router(ai_llm_router)
api_router.include_router(__import__("lingxi.ai.nlp.endpoints", fromlist=["router"]).router)
api_router.include_router(__import__("lingxi.views.endpoints", fromlist=["router"]).router)
for router in __import__("lingxi.agent.api", fromlist=["routers"]).routers:
    api_router.include_router(router)
for router in build_record_routers():
    api_router.include_router(router)
