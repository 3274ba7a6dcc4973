"""Delivery channels of notifications.

Every notification is stored (that row is the in-app inbox). Channels then deliver it further:
``queue`` runs inside the sender's transaction (a channel that talks to the network, such as WeCom,
SMS or email, enqueues a durable job there, so a rolled-back change sends nothing), and ``deliver``
runs once that transaction has committed (fast, in-process work only: the in-app channel pushes the
message to the user's open streams). Register another channel with ``register_channel``; senders
name channels in ``notify(..., channels=...)``, and ``in_app`` is always among them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.notifications.models import Notification


@dataclass(frozen=True)
class Message:
    """A committed notification, detached from its session."""

    id: str
    tenant_id: str
    user_id: str
    kind: str
    title: str
    body: str
    link: str | None
    data: dict[str, Any]
    priority: str
    created_at: datetime

    @classmethod
    def of(cls, n: Notification) -> Message:
        return cls(
            id=str(n.id),
            tenant_id=str(n.tenant_id),
            user_id=str(n.user_id),
            kind=n.kind,
            title=n.title,
            body=n.body,
            link=n.link,
            data=dict(n.data or {}),
            priority=n.priority,
            created_at=n.created_at,
        )

    def payload(self) -> dict[str, Any]:
        """The JSON of the API's notification, plus whom it is for."""
        return {
            "id": self.id,
            "tenant_id": self.tenant_id,
            "user_id": self.user_id,
            "kind": self.kind,
            "title": self.title,
            "body": self.body,
            "link": self.link,
            "data": self.data,
            "priority": self.priority,
            "read_at": None,
            "created_at": self.created_at.isoformat(),
        }


class Channel(Protocol):
    name: str

    async def queue(self, session: AsyncSession, notification: Notification) -> None:
        """In the sender's transaction."""

    def deliver(self, message: Message) -> None:
        """After the commit; must not block."""


class InAppChannel:
    """The web UI's bell: the stored row, pushed live to the user's open streams."""

    name = "in_app"

    async def queue(self, session: AsyncSession, notification: Notification) -> None:
        return None

    def deliver(self, message: Message) -> None:
        from lingxi.notifications.live import get_hub

        get_hub().publish(message.payload())


_channels: dict[str, Channel] = {"in_app": InAppChannel()}


def register_channel(channel: Channel) -> None:
    _channels[channel.name] = channel


def channel(name: str) -> Channel | None:
    return _channels.get(name)


def channel_names() -> list[str]:
    return sorted(_channels)
