"""Imports every ORM model so that ``Base.metadata`` is complete (Alembic, tests, registry)."""

import lingxi.agent.models  # noqa: F401  (the agent core's tables)
from lingxi.accounts.models import Account
from lingxi.activities.models import Activity
from lingxi.ai.llm.models import AiProvider, AiUsage
from lingxi.ai.nlp.models import IntentExample
from lingxi.attachments.models import Attachment
from lingxi.audit.models import AuditHead, AuditLog
from lingxi.auth.models import ApiToken, LoginSession
from lingxi.authz.models import RecordShare, Role, UserRole
from lingxi.calendar.models import CalendarEvent
from lingxi.campaigns.models import Campaign, CampaignMember
from lingxi.contacts.models import Contact
from lingxi.events.models import OutboxEvent
from lingxi.jobs.models import Job
from lingxi.knowledge.models import KnowledgeBase, KnowledgeChunk, KnowledgeDocument, KnowledgeDocumentAccess
from lingxi.leads.models import Lead
from lingxi.meta.models import FieldDef, Layout
from lingxi.opportunities.models import Opportunity, OpportunityLineItem, Pipeline, PipelineStage
from lingxi.orders.models import Order, OrderLine
from lingxi.org.models import Department, Team, TeamMember, User
from lingxi.products.models import PriceBook, PriceBookEntry, Product
from lingxi.quotes.models import Quote, QuoteLine
from lingxi.search.models import SearchTerm
from lingxi.tags.models import Tag, TagLink
from lingxi.tenancy.models import Counter, Tenant
from lingxi.tickets.models import Ticket
from lingxi.views.models import SavedView  # noqa: F401  (saved list views: registers the table)

RECORD_MODELS = (
    Account,
    Contact,
    Lead,
    Opportunity,
    OpportunityLineItem,
    Pipeline,
    PipelineStage,
    Product,
    PriceBook,
    PriceBookEntry,
    Quote,
    QuoteLine,
    Order,
    OrderLine,
    Activity,
    CalendarEvent,
    Ticket,
    Campaign,
    CampaignMember,
    Tag,
    Attachment,
)

__all__ = [
    "RECORD_MODELS",
    "Account",
    "AiProvider",
    "AiUsage",
    "Activity",
    "IntentExample",
    "ApiToken",
    "Attachment",
    "AuditHead",
    "AuditLog",
    "CalendarEvent",
    "Campaign",
    "CampaignMember",
    "Contact",
    "Counter",
    "Department",
    "FieldDef",
    "Job",
    "KnowledgeBase",
    "KnowledgeChunk",
    "KnowledgeDocument",
    "KnowledgeDocumentAccess",
    "Layout",
    "Lead",
    "LoginSession",
    "Opportunity",
    "OpportunityLineItem",
    "Order",
    "OrderLine",
    "OutboxEvent",
    "Pipeline",
    "PipelineStage",
    "PriceBook",
    "PriceBookEntry",
    "Product",
    "Quote",
    "QuoteLine",
    "RecordShare",
    "Role",
    "SearchTerm",
    "Tag",
    "TagLink",
    "Team",
    "TeamMember",
    "Tenant",
    "Ticket",
    "User",
    "UserRole",
]

import lingxi.audit.hooks  # noqa: E402,F401  (audit trail and outbox events for every flush)
import lingxi.search.index  # noqa: F401,E402  (registers index hooks)
