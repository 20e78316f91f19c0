"""The redactor's name lists ship as data (bot/data/first-names.txt, surnames.txt), made from
Faker's lists by scripts/make_name_lists.py: the bot reads them without importing Faker, and
they are what the script makes from the pinned Faker today."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_shipped_name_lists_are_current():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_name_lists.py"), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr


def test_redacting_a_name_never_imports_faker():
    code = (
        "import sys\n"
        "from bot.privacy import Redactor\n"
        "r = Redactor()\n"
        "print(r.redact('worried about jayden smith and his sister oliwia').text)\n"
        "print('faker' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    text, imported = proc.stdout.strip().splitlines()
    assert "jayden" not in text and "oliwia" not in text and "[NAME]" in text
    assert imported == "False"
