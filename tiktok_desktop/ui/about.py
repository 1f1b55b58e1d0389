"""The About dialog: the app's version and the licenses of everything bundled with it.

The version comes from `tiktok_desktop.__version__`, the one place it is written. Qt and Qt for
Python are used under the GNU LGPL v3: the dialog says so, where their source is, and that the
seller may swap in their own build of the Qt libraries (one-folder bundle: they are plain files).
"""

from __future__ import annotations

import html
import importlib.metadata
import platform
from dataclasses import dataclass

from PySide6.QtCore import qVersion
from PySide6.QtGui import QDesktopServices, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

import tiktok_desktop
from tiktok_desktop.ui import resources_dir


@dataclass(frozen=True)
class Component:
    name: str
    distribution: str | None  # for its installed version; None: not a Python package
    license: str
    url: str


COMPONENTS: tuple[Component, ...] = (
    Component("Qt", None, "GNU LGPL v3", "https://www.qt.io/download-open-source"),
    Component("Qt for Python (PySide6, Shiboken6)", "PySide6-Essentials", "GNU LGPL v3",
              "https://download.qt.io/official_releases/QtForPython/"),
    Component("Python", None, "PSF License 2.0", "https://docs.python.org/3/license.html"),
    Component("SQLite", None, "Public domain", "https://sqlite.org/copyright.html"),
    Component("httpx", "httpx", "BSD 3-Clause", "https://github.com/encode/httpx"),
    Component("httpcore", "httpcore", "BSD 3-Clause", "https://github.com/encode/httpcore"),
    Component("h11", "h11", "MIT", "https://github.com/python-hyper/h11"),
    Component("anyio", "anyio", "MIT", "https://github.com/agronholm/anyio"),
    Component("idna", "idna", "BSD 3-Clause", "https://github.com/kjd/idna"),
    Component("certifi (Mozilla's CA certificates)", "certifi", "MPL 2.0",
              "https://github.com/certifi/python-certifi"),
    Component("keyring", "keyring", "MIT", "https://github.com/jaraco/keyring"),
    Component("SecretStorage", "SecretStorage", "BSD 3-Clause",
              "https://github.com/mitya57/secretstorage"),
    Component("jeepney", "jeepney", "MIT", "https://gitlab.com/takluyver/jeepney"),
    Component("cryptography", "cryptography", "Apache 2.0 or BSD 3-Clause",
              "https://github.com/pyca/cryptography"),
    Component("sqlite-utils", "sqlite-utils", "Apache 2.0", "https://github.com/simonw/sqlite-utils"),
    Component("Werkzeug", "Werkzeug", "BSD 3-Clause", "https://github.com/pallets/werkzeug"),
    Component("python-barcode", "python-barcode", "MIT",
              "https://github.com/WhyNotHugo/python-barcode"),
    Component("platformdirs", "platformdirs", "MIT", "https://github.com/tox-dev/platformdirs"),
    Component("openpyxl", "openpyxl", "MIT", "https://foss.heptapod.net/openpyxl/openpyxl"),
    Component("et_xmlfile", "et_xmlfile", "MIT", "https://foss.heptapod.net/openpyxl/et_xmlfile"),
)

LGPL_NOTICE = (
    "This app uses Qt and Qt for Python (PySide6) under the GNU Lesser General Public License "
    "version 3. Their source code is available from "
    "<a href='https://download.qt.io/official_releases/qt/'>download.qt.io/official_releases/qt</a>"
    " and <a href='https://code.qt.io/cgit/pyside/pyside-setup.git/'>code.qt.io (pyside-setup)</a>;"
    " on request we send you a copy of the exact source of the version bundled here. The Qt "
    "libraries are separate files in the app's folder: you may replace them with your own "
    "compatible build. The license texts are in the app's <code>resources/licenses</code> folder."
)


def installed_version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:  # a bundle without that package's metadata
        return ""


def licenses_html() -> str:
    rows = []
    for component in COMPONENTS:
        version = _version_of(component)
        rows.append(
            f"<tr><td><a href='{component.url}'>{html.escape(component.name)}</a></td>"
            f"<td>{html.escape(version)}</td><td>{html.escape(component.license)}</td></tr>")
    return (f"<p>{LGPL_NOTICE}</p>"
            "<table cellspacing='0' cellpadding='3'>"
            "<tr><th align='left'>Component</th><th align='left'>Version</th>"
            "<th align='left'>License</th></tr>" + "".join(rows) + "</table>"
            "<p>And the small libraries these depend on (click, tabulate, python-dateutil, "
            "MarkupSafe, jaraco.*, more-itertools, cffi, zipp, …), each under the MIT, BSD or "
            "Apache 2.0 license named in its metadata.</p>")


def _version_of(component: Component) -> str:
    if component.name == "Qt":
        return qVersion()
    if component.name == "Python":
        return platform.python_version()
    if component.name == "SQLite":
        import sqlite3

        return sqlite3.sqlite_version
    return installed_version(component.distribution) if component.distribution else ""


class AboutDialog(QDialog):
    """Name, version, what it is, and the licenses. Show it with `open()` (never `exec()`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {tiktok_desktop.APP_NAME}")
        self.resize(640, 560)
        icon = QLabel()
        icon.setPixmap(QIcon(str(resources_dir() / "icons" / "tiktok-desktop.svg")).pixmap(96, 96))
        self.title = QLabel(
            f"<h2>{html.escape(tiktok_desktop.APP_NAME)}</h2>"
            f"<p>Version {html.escape(tiktok_desktop.__version__)}</p>"
            "<p>Your TikTok Shop orders, labels and stock on your desktop.</p>")
        self.title.setWordWrap(True)
        header = QHBoxLayout()
        header.addWidget(icon)
        header.addWidget(self.title, 1)
        self.licenses = QTextBrowser()
        self.licenses.setOpenLinks(False)  # links go to the system browser, not into the dialog
        self.licenses.anchorClicked.connect(QDesktopServices.openUrl)
        self.licenses.setHtml(licenses_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(QLabel("<b>Open-source components</b>"))
        layout.addWidget(self.licenses, 1)
        layout.addWidget(buttons)
