"""The sync engine: pulls a shop from the API into the cache (no Qt). See engine.SyncEngine."""

from tiktok_desktop.sync.engine import RESOURCES, SyncEngine
from tiktok_desktop.sync.progress import ResourceProgress, SyncProgress, SyncResult

__all__ = ["RESOURCES", "ResourceProgress", "SyncEngine", "SyncProgress", "SyncResult"]
