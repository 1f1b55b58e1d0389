"""The start-up self-check: plain findings, never an exception."""

from __future__ import annotations

import keyring
from keyring.backends import fail
from keyring.errors import KeyringLocked

from tiktok_desktop.ui import selfcheck


def by_name(report: selfcheck.SelfCheckReport) -> dict[str, selfcheck.Finding]:
    return {finding.capability: finding for finding in report.findings}


def test_report_covers_every_capability(qapp, tmp_path):
    report = selfcheck.run_self_check(tmp_path / "data")
    findings = by_name(report)
    assert set(findings) == {"Data folder", "Keychain", "Label preview", "Printing"}
    assert findings["Data folder"].ok and (tmp_path / "data").is_dir()
    assert findings["Label preview"].ok  # PySide6-Pdf is a dependency
    assert findings["Keychain"].ok  # the tests' in-memory keychain
    assert all(finding.note for finding in report.findings)
    assert "[ok] Data folder" in report.as_text()


def test_no_keychain_is_a_note_that_says_what_still_works(qapp):
    keyring.set_keyring(fail.Keyring())  # what Linux without a Secret Service gets
    finding = selfcheck.check_keychain()
    assert not finding.ok
    assert "explore the demo shop" in finding.note and "Secret Service" in finding.note


def test_a_locked_keychain_is_a_note_too(qapp, memory_keyring, monkeypatch):
    def locked(service: str, username: str) -> None:
        raise KeyringLocked("locked")

    monkeypatch.setattr(memory_keyring, "get_password", locked)
    assert not selfcheck.check_keychain().ok


def test_unwritable_data_folder_is_a_note(qapp, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    finding = selfcheck.check_data_folder(blocker / "data")
    assert not finding.ok and "--data-dir" in finding.note


def test_printing_notes(qapp, monkeypatch):
    monkeypatch.setattr(selfcheck.ctypes.util, "find_library", lambda name: None)
    monkeypatch.setattr(selfcheck.sys, "platform", "linux")
    finding = selfcheck.check_printers()
    assert not finding.ok and "libcups2" in finding.note and "PDF" in finding.note


def test_only_problems_that_matter_now_are_announced(qapp, monkeypatch):
    from tiktok_desktop.ui import messages
    from tiktok_desktop.ui.app import post_self_check_notes

    heard: list[str] = []
    monkeypatch.setattr(messages, "warning", heard.append)
    report = selfcheck.SelfCheckReport((
        selfcheck.Finding("Printing", False, "No printer found."),
        selfcheck.Finding("Keychain", False, "No keychain."),
        selfcheck.Finding("Data folder", False, "The data folder is read-only."),
        selfcheck.Finding("Label preview", True, "Labels can be previewed."),
    ))
    post_self_check_notes(report)
    assert heard == ["The data folder is read-only."]
