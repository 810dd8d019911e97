"""Runs every test_*.py here and ends with one line: "unittest: N passed,
N failed" (a test that errors, or is skipped, counts as failed: a missing
tool fails, never skips)."""

import sys
import unittest
from pathlib import Path

here = Path(__file__).resolve().parent
sys.path.insert(0, str(here))
suite = unittest.defaultTestLoader.discover(str(here), pattern="test_*.py", top_level_dir=str(here))
result = unittest.TextTestRunner(verbosity=1).run(suite)
failed = len(result.failures) + len(result.errors) + len(result.skipped) + len(result.unexpectedSuccesses)
print(f"unittest: {result.testsRun - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
