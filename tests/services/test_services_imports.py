import subprocess
import sys


def test_stock_helpers_do_not_load_the_demo_shop():
    code = ("import sys, tiktok_desktop.services.stock_edits; "
            "print('tiktok_desktop.sandbox' in sys.modules, 'werkzeug' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_open_demo_session_is_still_importable_from_services():
    from tiktok_desktop.services import open_demo_session
    from tiktok_desktop.services.demo import open_demo_session as direct

    assert open_demo_session is direct
