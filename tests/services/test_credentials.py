import keyring
import pytest
from keyring.backends import fail

from tiktok_desktop.services.credentials import Keychain, KeychainUnavailable, MemoryVault


def test_keychain_round_trip_and_forget():
    chain = Keychain(service="test")
    assert chain.load("shop") is None
    chain.save("shop", '{"a":"secret"}')
    assert chain.load("shop") == '{"a":"secret"}'
    chain.forget("shop")
    chain.forget("shop")  # forgetting twice is fine
    assert chain.load("shop") is None


def test_no_keychain_is_explained_in_plain_words():
    keyring.set_keyring(fail.Keyring())
    chain = Keychain(service="test")
    for call in (lambda: chain.load("shop"), lambda: chain.save("shop", "secret-value")):
        with pytest.raises(KeychainUnavailable) as caught:
            call()
        assert "keychain" in str(caught.value)
        assert "secret-value" not in str(caught.value)
        assert caught.value.__cause__ is None


def test_memory_vault_has_the_keychain_interface():
    vault = MemoryVault()
    vault.save("shop", "x")
    assert vault.load("shop") == "x"
    vault.forget("shop")
    assert vault.load("shop") is None
