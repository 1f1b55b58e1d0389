def test_package_has_a_version():
    import tiktok_desktop

    assert tiktok_desktop.__version__.count(".") == 2
