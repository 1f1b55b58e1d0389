"""About: the one version, and the licenses of what is bundled."""

from __future__ import annotations

import tiktok_desktop
from tiktok_desktop.ui import about


def test_about_shows_the_version_and_licenses(qtbot):
    dialog = about.AboutDialog()
    qtbot.addWidget(dialog)
    assert f"Version {tiktok_desktop.__version__}" in dialog.title.text()
    text = dialog.licenses.toPlainText()
    assert "GNU Lesser General Public License version 3" in text
    assert "download.qt.io" in dialog.licenses.toHtml()
    for name, license_name in [("httpx", "BSD 3-Clause"), ("keyring", "MIT"),
                               ("sqlite-utils", "Apache 2.0"), ("Werkzeug", "BSD 3-Clause"),
                               ("python-barcode", "MIT"), ("platformdirs", "MIT")]:
        assert name in text and license_name in text
    assert not dialog.isModal()


def test_versions_come_from_the_installed_packages():
    assert about.installed_version("httpx")
    assert about.installed_version("no-such-package-here") == ""


def test_license_texts_ship_with_the_app():
    licenses = tiktok_desktop.ui.resources_dir() / "licenses"
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in (licenses / "LGPL-3.0.txt").read_text()
    assert "GNU GENERAL PUBLIC LICENSE" in (licenses / "GPL-3.0.txt").read_text()
