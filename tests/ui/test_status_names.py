from tiktok_desktop.sync import RESOURCES
from tiktok_desktop.ui.status import RESOURCE_NAMES


def test_every_synced_resource_has_a_name_sellers_read():
    assert set(RESOURCES) <= set(RESOURCE_NAMES)
    assert all("_" not in name for name in RESOURCE_NAMES.values())
