"""The test client's signer and the shop's verifier both reproduce the reference vectors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tiktok_desktop.sandbox.gateway import expected_sign

# A copy of the reference's signing-vectors.json, so a clean checkout has it.
VECTORS = json.loads((Path(__file__).with_name("signing_vectors.json")).read_text())["vectors"]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["id"] for v in VECTORS])
def test_both_signers_match_the_reference_vectors(vector: dict, signer) -> None:
    multipart = vector["content_type"].startswith("multipart/")
    body = b"" if multipart or not vector["body"] else vector["body"].encode()
    assert signer(vector["app_secret"], vector["path"], vector["query"], body) == \
        vector["expected_sign"]
    assert expected_sign(vector["app_secret"], vector["path"], vector["query"], body) == \
        vector["expected_sign"]
