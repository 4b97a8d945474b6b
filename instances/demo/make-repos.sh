#!/usr/bin/env bash
# Builds the five demo repositories from scratch and writes them as git bundles to
# instances/demo/repos/<name>.bundle (or to the directory given as $1).
#
# Deterministic: every file is written from a heredoc below and every commit has a fixed
# author, committer and date, and git runs without the user's or the system's config, so
# two runs give the same commit SHAs (the instance YAMLs pin base_commit to them).
# Each repository has a few ordinary commits, the base commit, the fix commit and a release
# commit after it: the history after base_commit is what the harness must hide.
#
# Usage: bash instances/demo/make-repos.sh [out-dir]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$HERE/repos}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Neither ~/.gitconfig nor /etc/gitconfig may change what gets committed (hooks, templates,
# signing, autocrlf, ...).
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
export TZ=UTC LC_ALL=C

g() {
  git -c commit.gpgsign=false -c tag.gpgsign=false -c init.defaultBranch=main \
    -c core.autocrlf=false -c core.filemode=true -c core.hooksPath=/dev/null "$@"
}

# write <path>: the file's content comes from stdin.
write() {
  mkdir -p "$(dirname "$1")"
  cat >"$1"
}

# commit "<Name> <email>" <ISO date> <subject> [body]: commits everything in the work tree.
commit() {
  local who=$1 date=$2 subject=$3 body=${4:-}
  local name=${who% <*} email=${who#*<}
  email=${email%>}
  g add -A
  local args=(-m "$subject")
  [[ -n $body ]] && args+=(-m "$body")
  GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email GIT_AUTHOR_DATE=$date \
    GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email GIT_COMMITTER_DATE=$date \
    g commit -q --no-verify "${args[@]}"
}

# new_repo <name>: an empty repository in $WORK/<name>, made the current directory.
new_repo() {
  mkdir -p "$WORK/$1"
  cd "$WORK/$1"
  g init -q
}

# finish <name> <base sha> <fix sha>: writes the bundle and says which commits matter.
finish() {
  mkdir -p "$OUT"
  rm -f "$OUT/$1.bundle"
  g -c pack.threads=1 bundle create "$OUT/$1.bundle" --all 2>/dev/null
  echo "demo/$1 base_commit=$2 fix=$3 head=$(g rev-parse HEAD)"
}

# ---------------------------------------------------------------------------------------
# demo/textkit: Python, pytest. The bug: slugify() drops accented letters instead of
# transliterating them, and leaves runs of separators.
# ---------------------------------------------------------------------------------------
build_textkit() {
  new_repo textkit
  local priya="Priya Raman <priya.raman@example.com>"
  local tomas="Tomás Okafor <tomas.okafor@example.org>"

  write README.md <<'EOF'
# textkit

Small text helpers for URLs and previews.

```python
>>> from textkit import slugify
>>> slugify("Hello, World!")
'hello-world'
```

Run the tests with `python3 -m pytest`.
EOF
  write pyproject.toml <<'EOF'
[project]
name = "textkit"
version = "0.1.0"
description = "Small text helpers for URLs and previews"
requires-python = ">=3.8"

[tool.pytest.ini_options]
testpaths = ["tests"]
EOF
  write textkit/__init__.py <<'EOF'
"""Small text helpers for URLs and previews."""

from textkit.slugify import slugify

__all__ = ["slugify"]
__version__ = "0.1.0"
EOF
  write textkit/slugify.py <<'EOF'
"""Turn arbitrary titles into URL-safe slugs."""

import re

_DISALLOWED = re.compile(r"[^a-z0-9\s-]")
_WHITESPACE = re.compile(r"\s+")


def slugify(text: str) -> str:
    """Return a lowercase, hyphen-separated slug for ``text``."""
    text = _DISALLOWED.sub("", text.lower())
    return _WHITESPACE.sub("-", text.strip())
EOF
  write tests/test_slugify.py <<'EOF'
from textkit import slugify


def test_basic_words():
    assert slugify("Hello World") == "hello-world"


def test_strips_punctuation():
    assert slugify("Hello, World!") == "hello-world"


def test_keeps_digits():
    assert slugify("Top 10 Tips for 2024") == "top-10-tips-for-2024"


def test_trims_surrounding_whitespace():
    assert slugify("   padded title  ") == "padded-title"


def test_empty_string():
    assert slugify("") == ""
EOF
  commit "$priya" 2024-01-08T10:12:00+01:00 "Initial commit: slugify()"

  write textkit/truncate.py <<'EOF'
"""Shorten text for previews without cutting words in half."""


def truncate(text: str, width: int, placeholder: str = "...") -> str:
    """Return ``text`` cut to at most ``width`` characters, ending on a word boundary.

    ``placeholder`` is appended when anything was cut and counts towards ``width``.
    """
    if width < len(placeholder):
        raise ValueError("width must be at least len(placeholder)")
    if len(text) <= width:
        return text
    cut = text[: width - len(placeholder)]
    if " " in cut and not text[len(cut)].isspace():
        # The cut ends inside a word: drop that partial word.
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + placeholder
EOF
  write tests/test_truncate.py <<'EOF'
import pytest

from textkit import truncate


def test_short_text_is_unchanged():
    assert truncate("short", 10) == "short"


def test_cuts_on_word_boundary():
    assert truncate("The quick brown fox jumps", 16) == "The quick..."


def test_cut_at_exact_word_end():
    assert truncate("The quick brown fox", 12) == "The quick..."


def test_custom_placeholder():
    assert truncate("one two three four", 10, placeholder="…") == "one two…"


def test_width_smaller_than_placeholder():
    with pytest.raises(ValueError):
        truncate("anything", 2)
EOF
  write textkit/__init__.py <<'EOF'
"""Small text helpers for URLs and previews."""

from textkit.slugify import slugify
from textkit.truncate import truncate

__all__ = ["slugify", "truncate"]
__version__ = "0.1.0"
EOF
  commit "$tomas" 2024-01-15T16:40:00+00:00 "Add truncate() for previews"
  g tag v0.1.0

  write README.md <<'EOF'
# textkit

Small text helpers for URLs and previews.

```python
>>> from textkit import slugify, truncate
>>> slugify("Hello, World!")
'hello-world'
>>> slugify("Hello, World!", separator="_")
'hello_world'
>>> truncate("The quick brown fox jumps", 16)
'The quick...'
```

Run the tests with `python3 -m pytest`.
EOF
  write CHANGELOG.md <<'EOF'
# Changelog

## 0.2.0 - 2024-02-02

- `slugify()` takes a `separator` and a `max_length`.

## 0.1.0 - 2024-01-15

- `slugify()` and `truncate()`.
EOF
  write pyproject.toml <<'EOF'
[project]
name = "textkit"
version = "0.2.0"
description = "Small text helpers for URLs and previews"
requires-python = ">=3.8"

[tool.pytest.ini_options]
testpaths = ["tests"]
EOF
  write textkit/__init__.py <<'EOF'
"""Small text helpers for URLs and previews."""

from textkit.slugify import slugify
from textkit.truncate import truncate

__all__ = ["slugify", "truncate"]
__version__ = "0.2.0"
EOF
  write textkit/slugify.py <<'EOF'
"""Turn arbitrary titles into URL-safe slugs."""

import re

_DISALLOWED = re.compile(r"[^a-z0-9\s-]")
_WHITESPACE = re.compile(r"\s+")


def slugify(text: str, separator: str = "-", max_length: int = 0) -> str:
    """Return a lowercase slug for ``text``, its words joined by ``separator``.

    With ``max_length`` > 0 the slug is cut to at most that many characters and
    never ends on a separator.
    """
    text = _DISALLOWED.sub("", text.lower())
    slug = _WHITESPACE.sub(separator, text.strip())
    if max_length > 0:
        slug = slug[:max_length].rstrip(separator)
    return slug
EOF
  write tests/test_slugify.py <<'EOF'
import pytest

from textkit import slugify


def test_basic_words():
    assert slugify("Hello World") == "hello-world"


def test_strips_punctuation():
    assert slugify("Hello, World!") == "hello-world"


def test_keeps_digits():
    assert slugify("Top 10 Tips for 2024") == "top-10-tips-for-2024"


def test_trims_surrounding_whitespace():
    assert slugify("   padded title  ") == "padded-title"


def test_empty_string():
    assert slugify("") == ""


@pytest.mark.parametrize("separator", ["_", "."])
def test_custom_separator(separator):
    assert slugify("Hello big World", separator=separator) == f"hello{separator}big{separator}world"


def test_max_length_never_ends_with_separator():
    assert slugify("Hello big World", max_length=10) == "hello-big"


def test_max_length_zero_means_unlimited():
    assert slugify("a b c d e f", max_length=0) == "a-b-c-d-e-f"
EOF
  commit "$priya" 2024-02-02T11:05:00+01:00 "slugify: add separator and max_length options"
  g tag v0.2.0
  local base
  base=$(g rev-parse HEAD)

  write CHANGELOG.md <<'EOF'
# Changelog

## Unreleased

- `slugify()` transliterates accented letters (`"Déjà Vu"` -> `deja-vu`) instead of
  dropping them, and turns a run of spaces and hyphens into a single separator (#14).

## 0.2.0 - 2024-02-02

- `slugify()` takes a `separator` and a `max_length`.

## 0.1.0 - 2024-01-15

- `slugify()` and `truncate()`.
EOF
  write textkit/slugify.py <<'EOF'
"""Turn arbitrary titles into URL-safe slugs."""

import re
import unicodedata

_DISALLOWED = re.compile(r"[^a-z0-9\s-]")
# Spaces and hyphens alike separate words; a run of them becomes one separator.
_SEPARATORS = re.compile(r"[\s-]+")


def _to_ascii(text: str) -> str:
    # NFKD splits "é" into "e" and a combining accent; the accent is not ASCII and goes.
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def slugify(text: str, separator: str = "-", max_length: int = 0) -> str:
    """Return a lowercase slug for ``text``, its words joined by ``separator``.

    Accented letters become their ASCII base letter; other characters that are not
    letters, digits, spaces or hyphens are dropped. With ``max_length`` > 0 the slug is
    cut to at most that many characters and never ends on a separator.
    """
    text = _DISALLOWED.sub("", _to_ascii(text).lower())
    slug = _SEPARATORS.sub(separator, text).strip(separator)
    if max_length > 0:
        slug = slug[:max_length].rstrip(separator)
    return slug
EOF
  write tests/test_slugify.py <<'EOF'
import pytest

from textkit import slugify


def test_basic_words():
    assert slugify("Hello World") == "hello-world"


def test_strips_punctuation():
    assert slugify("Hello, World!") == "hello-world"


def test_keeps_digits():
    assert slugify("Top 10 Tips for 2024") == "top-10-tips-for-2024"


def test_trims_surrounding_whitespace():
    assert slugify("   padded title  ") == "padded-title"


def test_empty_string():
    assert slugify("") == ""


@pytest.mark.parametrize("separator", ["_", "."])
def test_custom_separator(separator):
    assert slugify("Hello big World", separator=separator) == f"hello{separator}big{separator}world"


def test_max_length_never_ends_with_separator():
    assert slugify("Hello big World", max_length=10) == "hello-big"


def test_max_length_zero_means_unlimited():
    assert slugify("a b c d e f", max_length=0) == "a-b-c-d-e-f"


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Déjà Vu", "deja-vu"),
        ("Crème Brûlée", "creme-brulee"),
        ("naïve café", "naive-cafe"),
        ("Ångström units", "angstrom-units"),
    ],
    ids=["deja-vu", "creme-brulee", "naive-cafe", "angstrom"],
)
def test_transliterates_accented_letters(title, expected):
    assert slugify(title) == expected


def test_collapses_hyphens_between_spaces():
    assert slugify("Rock - Paper - Scissors") == "rock-paper-scissors"


def test_custom_separator_is_not_doubled():
    assert slugify("2024 - Year in review", separator="_") == "2024_year_in_review"


def test_no_leading_or_trailing_separator():
    assert slugify("-- draft --") == "draft"
EOF
  commit "$tomas" 2024-02-19T14:22:00+00:00 "slugify: transliterate accents, collapse separator runs" \
    "Fixes #14: \"Déjà Vu\" became \"dj-vu\" and \"Rock - Paper\" became \"rock---paper\"."
  local fix
  fix=$(g rev-parse HEAD)

  write CHANGELOG.md <<'EOF'
# Changelog

## 0.2.1 - 2024-02-20

- `slugify()` transliterates accented letters (`"Déjà Vu"` -> `deja-vu`) instead of
  dropping them, and turns a run of spaces and hyphens into a single separator (#14).

## 0.2.0 - 2024-02-02

- `slugify()` takes a `separator` and a `max_length`.

## 0.1.0 - 2024-01-15

- `slugify()` and `truncate()`.
EOF
  write pyproject.toml <<'EOF'
[project]
name = "textkit"
version = "0.2.1"
description = "Small text helpers for URLs and previews"
requires-python = ">=3.8"

[tool.pytest.ini_options]
testpaths = ["tests"]
EOF
  write textkit/__init__.py <<'EOF'
"""Small text helpers for URLs and previews."""

from textkit.slugify import slugify
from textkit.truncate import truncate

__all__ = ["slugify", "truncate"]
__version__ = "0.2.1"
EOF
  commit "$priya" 2024-02-20T09:00:00+01:00 "Release 0.2.1"
  g tag v0.2.1
  finish textkit "$base" "$fix"
}

# ---------------------------------------------------------------------------------------
# demo/ledger: Python, unittest. The bug: Ledger.between() leaves out the end date, so a
# monthly statement misses the month's last day.
# ---------------------------------------------------------------------------------------
build_ledger() {
  new_repo ledger
  local ines="Inês Carvalho <ines.carvalho@example.com>"
  local dev="Dev Patel <dev.patel@example.net>"

  write README.md <<'EOF'
# ledger

A tiny double-entry-free ledger: transactions in integer cents, balances, date ranges.

```python
from datetime import date
from ledger import Ledger

book = Ledger()
book.add(date(2023, 9, 1), 150_00, "salary")
book.add(date(2023, 9, 3), -42_50, "groceries")
book.balance()  # 10750
```

Run the tests with `python3 -m unittest -v`.
EOF
  write ledger/__init__.py <<'EOF'
"""A tiny ledger: transactions in integer cents, balances, date ranges."""

from ledger.models import Ledger, Transaction

__all__ = ["Ledger", "Transaction"]
EOF
  write ledger/models.py <<'EOF'
"""Transactions and the ledger that holds them."""

from dataclasses import dataclass
from datetime import date
from typing import Iterator, List


@dataclass(frozen=True)
class Transaction:
    """One booked transaction. ``amount`` is in cents; debits are negative."""

    day: date
    amount: int
    memo: str = ""


class Ledger:
    """Transactions, kept in date order."""

    def __init__(self) -> None:
        self._transactions: List[Transaction] = []

    def add(self, day: date, amount: int, memo: str = "") -> Transaction:
        if not isinstance(amount, int):
            raise TypeError("amount must be an int number of cents")
        tx = Transaction(day, amount, memo)
        self._transactions.append(tx)
        # sort() is stable: transactions on the same day keep the order they were added in.
        self._transactions.sort(key=lambda t: t.day)
        return tx

    def __iter__(self) -> Iterator[Transaction]:
        return iter(self._transactions)

    def __len__(self) -> int:
        return len(self._transactions)

    def balance(self) -> int:
        return sum(t.amount for t in self._transactions)
EOF
  write tests/__init__.py <<'EOF'
EOF
  write tests/test_models.py <<'EOF'
import unittest
from datetime import date

from ledger import Ledger


class LedgerTests(unittest.TestCase):
    def test_empty_ledger_has_zero_balance(self):
        self.assertEqual(Ledger().balance(), 0)

    def test_balance_sums_credits_and_debits(self):
        ledger = Ledger()
        ledger.add(date(2023, 9, 1), 150_00, "salary")
        ledger.add(date(2023, 9, 3), -42_50, "groceries")
        self.assertEqual(ledger.balance(), 107_50)

    def test_transactions_are_kept_in_date_order(self):
        ledger = Ledger()
        ledger.add(date(2023, 9, 10), 1_00, "later")
        ledger.add(date(2023, 9, 2), 2_00, "earlier")
        self.assertEqual([t.memo for t in ledger], ["earlier", "later"])

    def test_rejects_float_amounts(self):
        with self.assertRaises(TypeError):
            Ledger().add(date(2023, 9, 1), 10.5)


if __name__ == "__main__":
    unittest.main()
EOF
  commit "$ines" 2023-10-02T08:30:00+01:00 "Initial ledger: transactions and balances"

  write ledger/models.py <<'EOF'
"""Transactions and the ledger that holds them."""

from dataclasses import dataclass
from datetime import date
from typing import Iterator, List


@dataclass(frozen=True)
class Transaction:
    """One booked transaction. ``amount`` is in cents; debits are negative."""

    day: date
    amount: int
    memo: str = ""


class Ledger:
    """Transactions, kept in date order."""

    def __init__(self) -> None:
        self._transactions: List[Transaction] = []

    def add(self, day: date, amount: int, memo: str = "") -> Transaction:
        if not isinstance(amount, int):
            raise TypeError("amount must be an int number of cents")
        tx = Transaction(day, amount, memo)
        self._transactions.append(tx)
        # sort() is stable: transactions on the same day keep the order they were added in.
        self._transactions.sort(key=lambda t: t.day)
        return tx

    def __iter__(self) -> Iterator[Transaction]:
        return iter(self._transactions)

    def __len__(self) -> int:
        return len(self._transactions)

    def balance(self) -> int:
        return sum(t.amount for t in self._transactions)

    def between(self, start: date, end: date) -> List[Transaction]:
        """The transactions dated from ``start`` to ``end``, both inclusive."""
        if end < start:
            raise ValueError("end must not be before start")
        return [t for t in self._transactions if start <= t.day < end]
EOF
  write tests/test_models.py <<'EOF'
import unittest
from datetime import date

from ledger import Ledger


def ledger_with_days(*days):
    ledger = Ledger()
    for day in days:
        ledger.add(date(2023, 9, day), 1_00, f"day {day}")
    return ledger


class LedgerTests(unittest.TestCase):
    def test_empty_ledger_has_zero_balance(self):
        self.assertEqual(Ledger().balance(), 0)

    def test_balance_sums_credits_and_debits(self):
        ledger = Ledger()
        ledger.add(date(2023, 9, 1), 150_00, "salary")
        ledger.add(date(2023, 9, 3), -42_50, "groceries")
        self.assertEqual(ledger.balance(), 107_50)

    def test_transactions_are_kept_in_date_order(self):
        ledger = Ledger()
        ledger.add(date(2023, 9, 10), 1_00, "later")
        ledger.add(date(2023, 9, 2), 2_00, "earlier")
        self.assertEqual([t.memo for t in ledger], ["earlier", "later"])

    def test_rejects_float_amounts(self):
        with self.assertRaises(TypeError):
            Ledger().add(date(2023, 9, 1), 10.5)

    def test_between_selects_dates_in_range(self):
        ledger = ledger_with_days(1, 5, 10, 20)
        picked = ledger.between(date(2023, 9, 2), date(2023, 9, 15))
        self.assertEqual([t.memo for t in picked], ["day 5", "day 10"])

    def test_between_includes_start_date(self):
        ledger = ledger_with_days(1, 5, 10)
        picked = ledger.between(date(2023, 9, 5), date(2023, 9, 30))
        self.assertEqual([t.memo for t in picked], ["day 5", "day 10"])

    def test_between_rejects_reversed_range(self):
        with self.assertRaises(ValueError):
            Ledger().between(date(2023, 9, 30), date(2023, 9, 1))


if __name__ == "__main__":
    unittest.main()
EOF
  commit "$dev" 2023-10-09T17:45:00+02:00 "Add Ledger.between() for date ranges"
  g tag v0.1.0

  write ledger/periods.py <<'EOF'
"""Calendar months and the statements built on them."""

import calendar
from dataclasses import dataclass
from datetime import date
from typing import List, Tuple

from ledger.models import Ledger, Transaction


def month_bounds(year: int, month: int) -> Tuple[date, date]:
    """The first and the last day of a calendar month."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be in 1..12, got {month}")
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, 1), date(year, month, last_day)


@dataclass(frozen=True)
class Statement:
    start: date
    end: date
    opening_balance: int
    transactions: List[Transaction]

    @property
    def closing_balance(self) -> int:
        return self.opening_balance + sum(t.amount for t in self.transactions)


def monthly_statement(ledger: Ledger, year: int, month: int) -> Statement:
    """One month's statement: the opening balance, the month's transactions, the closing balance."""
    start, end = month_bounds(year, month)
    opening = sum(t.amount for t in ledger if t.day < start)
    return Statement(start, end, opening, ledger.between(start, end))
EOF
  write ledger/__init__.py <<'EOF'
"""A tiny ledger: transactions in integer cents, balances, date ranges."""

from ledger.models import Ledger, Transaction
from ledger.periods import Statement, month_bounds, monthly_statement

__all__ = ["Ledger", "Statement", "Transaction", "month_bounds", "monthly_statement"]
EOF
  write tests/test_periods.py <<'EOF'
import unittest
from datetime import date

from ledger import Ledger, month_bounds, monthly_statement


class MonthBoundsTests(unittest.TestCase):
    def test_january(self):
        self.assertEqual(month_bounds(2023, 1), (date(2023, 1, 1), date(2023, 1, 31)))

    def test_february_in_leap_year(self):
        self.assertEqual(month_bounds(2024, 2), (date(2024, 2, 1), date(2024, 2, 29)))

    def test_february_in_common_year(self):
        self.assertEqual(month_bounds(2023, 2), (date(2023, 2, 1), date(2023, 2, 28)))

    def test_december(self):
        self.assertEqual(month_bounds(2023, 12), (date(2023, 12, 1), date(2023, 12, 31)))

    def test_rejects_month_13(self):
        with self.assertRaises(ValueError):
            month_bounds(2023, 13)


class MonthlyStatementTests(unittest.TestCase):
    def setUp(self):
        self.ledger = Ledger()
        self.ledger.add(date(2023, 8, 28), 500_00, "opening deposit")
        self.ledger.add(date(2023, 9, 1), -120_00, "rent")
        self.ledger.add(date(2023, 9, 15), -35_20, "utilities")
        self.ledger.add(date(2023, 10, 2), -9_99, "subscription")

    def test_opening_balance_counts_earlier_months(self):
        statement = monthly_statement(self.ledger, 2023, 9)
        self.assertEqual(statement.opening_balance, 500_00)

    def test_lists_the_months_transactions(self):
        statement = monthly_statement(self.ledger, 2023, 9)
        self.assertEqual([t.memo for t in statement.transactions], ["rent", "utilities"])

    def test_closing_balance(self):
        statement = monthly_statement(self.ledger, 2023, 9)
        self.assertEqual(statement.closing_balance, 344_80)


if __name__ == "__main__":
    unittest.main()
EOF
  commit "$ines" 2023-10-20T12:10:00+01:00 "Add monthly statements"
  g tag v0.2.0
  local base
  base=$(g rev-parse HEAD)

  write ledger/models.py <<'EOF'
"""Transactions and the ledger that holds them."""

from dataclasses import dataclass
from datetime import date
from typing import Iterator, List


@dataclass(frozen=True)
class Transaction:
    """One booked transaction. ``amount`` is in cents; debits are negative."""

    day: date
    amount: int
    memo: str = ""


class Ledger:
    """Transactions, kept in date order."""

    def __init__(self) -> None:
        self._transactions: List[Transaction] = []

    def add(self, day: date, amount: int, memo: str = "") -> Transaction:
        if not isinstance(amount, int):
            raise TypeError("amount must be an int number of cents")
        tx = Transaction(day, amount, memo)
        self._transactions.append(tx)
        # sort() is stable: transactions on the same day keep the order they were added in.
        self._transactions.sort(key=lambda t: t.day)
        return tx

    def __iter__(self) -> Iterator[Transaction]:
        return iter(self._transactions)

    def __len__(self) -> int:
        return len(self._transactions)

    def balance(self) -> int:
        return sum(t.amount for t in self._transactions)

    def between(self, start: date, end: date) -> List[Transaction]:
        """The transactions dated from ``start`` to ``end``, both inclusive."""
        if end < start:
            raise ValueError("end must not be before start")
        return [t for t in self._transactions if start <= t.day <= end]
EOF
  write tests/test_models.py <<'EOF'
import unittest
from datetime import date

from ledger import Ledger


def ledger_with_days(*days):
    ledger = Ledger()
    for day in days:
        ledger.add(date(2023, 9, day), 1_00, f"day {day}")
    return ledger


class LedgerTests(unittest.TestCase):
    def test_empty_ledger_has_zero_balance(self):
        self.assertEqual(Ledger().balance(), 0)

    def test_balance_sums_credits_and_debits(self):
        ledger = Ledger()
        ledger.add(date(2023, 9, 1), 150_00, "salary")
        ledger.add(date(2023, 9, 3), -42_50, "groceries")
        self.assertEqual(ledger.balance(), 107_50)

    def test_transactions_are_kept_in_date_order(self):
        ledger = Ledger()
        ledger.add(date(2023, 9, 10), 1_00, "later")
        ledger.add(date(2023, 9, 2), 2_00, "earlier")
        self.assertEqual([t.memo for t in ledger], ["earlier", "later"])

    def test_rejects_float_amounts(self):
        with self.assertRaises(TypeError):
            Ledger().add(date(2023, 9, 1), 10.5)

    def test_between_selects_dates_in_range(self):
        ledger = ledger_with_days(1, 5, 10, 20)
        picked = ledger.between(date(2023, 9, 2), date(2023, 9, 15))
        self.assertEqual([t.memo for t in picked], ["day 5", "day 10"])

    def test_between_includes_start_date(self):
        ledger = ledger_with_days(1, 5, 10)
        picked = ledger.between(date(2023, 9, 5), date(2023, 9, 30))
        self.assertEqual([t.memo for t in picked], ["day 5", "day 10"])

    def test_between_includes_end_date(self):
        ledger = ledger_with_days(1, 5, 10)
        picked = ledger.between(date(2023, 9, 1), date(2023, 9, 10))
        self.assertEqual([t.memo for t in picked], ["day 1", "day 5", "day 10"])

    def test_between_single_day(self):
        ledger = ledger_with_days(4, 5, 6)
        picked = ledger.between(date(2023, 9, 5), date(2023, 9, 5))
        self.assertEqual([t.memo for t in picked], ["day 5"])

    def test_between_rejects_reversed_range(self):
        with self.assertRaises(ValueError):
            Ledger().between(date(2023, 9, 30), date(2023, 9, 1))


if __name__ == "__main__":
    unittest.main()
EOF
  write tests/test_periods.py <<'EOF'
import unittest
from datetime import date

from ledger import Ledger, month_bounds, monthly_statement


class MonthBoundsTests(unittest.TestCase):
    def test_january(self):
        self.assertEqual(month_bounds(2023, 1), (date(2023, 1, 1), date(2023, 1, 31)))

    def test_february_in_leap_year(self):
        self.assertEqual(month_bounds(2024, 2), (date(2024, 2, 1), date(2024, 2, 29)))

    def test_february_in_common_year(self):
        self.assertEqual(month_bounds(2023, 2), (date(2023, 2, 1), date(2023, 2, 28)))

    def test_december(self):
        self.assertEqual(month_bounds(2023, 12), (date(2023, 12, 1), date(2023, 12, 31)))

    def test_rejects_month_13(self):
        with self.assertRaises(ValueError):
            month_bounds(2023, 13)


class MonthlyStatementTests(unittest.TestCase):
    def setUp(self):
        self.ledger = Ledger()
        self.ledger.add(date(2023, 8, 28), 500_00, "opening deposit")
        self.ledger.add(date(2023, 9, 1), -120_00, "rent")
        self.ledger.add(date(2023, 9, 15), -35_20, "utilities")
        self.ledger.add(date(2023, 10, 2), -9_99, "subscription")

    def test_opening_balance_counts_earlier_months(self):
        statement = monthly_statement(self.ledger, 2023, 9)
        self.assertEqual(statement.opening_balance, 500_00)

    def test_lists_the_months_transactions(self):
        statement = monthly_statement(self.ledger, 2023, 9)
        self.assertEqual([t.memo for t in statement.transactions], ["rent", "utilities"])

    def test_closing_balance(self):
        statement = monthly_statement(self.ledger, 2023, 9)
        self.assertEqual(statement.closing_balance, 344_80)

    def test_includes_the_last_day_of_the_month(self):
        self.ledger.add(date(2023, 9, 30), -60_00, "card payment")
        statement = monthly_statement(self.ledger, 2023, 9)
        self.assertEqual(
            [t.memo for t in statement.transactions], ["rent", "utilities", "card payment"]
        )

    def test_closing_balance_is_next_months_opening_balance(self):
        self.ledger.add(date(2023, 9, 30), -60_00, "card payment")
        september = monthly_statement(self.ledger, 2023, 9)
        october = monthly_statement(self.ledger, 2023, 10)
        self.assertEqual(september.closing_balance, october.opening_balance)


if __name__ == "__main__":
    unittest.main()
EOF
  commit "$dev" 2023-11-06T10:20:00+01:00 "Ledger.between: include the end date" \
    "The docstring promised an inclusive range but the filter used \"< end\", so monthly
statements dropped everything booked on the month's last day (#9)."
  local fix
  fix=$(g rev-parse HEAD)

  write CHANGELOG.md <<'EOF'
# Changelog

## 0.2.1 - 2023-11-07

- `Ledger.between()` includes the end date, so monthly statements no longer miss the
  month's last day (#9).

## 0.2.0 - 2023-10-20

- Monthly statements: `monthly_statement()`, `month_bounds()`.
EOF
  commit "$ines" 2023-11-07T09:00:00+01:00 "Release 0.2.1"
  g tag v0.2.1
  finish ledger "$base" "$fix"
}

# ---------------------------------------------------------------------------------------
# demo/semver-lite: JavaScript, node:test. The bug: prerelease identifiers are compared as
# one string, so 1.0.0-rc.10 sorts before 1.0.0-rc.9.
# ---------------------------------------------------------------------------------------
build_semver_lite() {
  new_repo semver-lite
  local kai="Kai Nakamura <kai.nakamura@example.com>"
  local lena="Lena Vogt <lena.vogt@example.org>"

  write package.json <<'EOF'
{
  "name": "semver-lite",
  "version": "0.1.0",
  "description": "Parse and compare semantic versions, without dependencies",
  "type": "module",
  "exports": "./src/index.js",
  "scripts": {
    "test": "node --test test/"
  },
  "license": "MIT"
}
EOF
  write README.md <<'EOF'
# semver-lite

Parse and compare [semantic versions](https://semver.org/) without dependencies.

```js
import { parse } from 'semver-lite';

parse('1.2.3-rc.1+build.5');
// { major: 1, minor: 2, patch: 3, prerelease: ['rc', '1'], build: ['build', '5'] }
```

`npm test` runs the tests with Node's built-in test runner.
EOF
  write src/parse.js <<'EOF'
const PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/**
 * Parses a SemVer 2.0.0 string such as "1.2.3-rc.1+build.5".
 * Returns null when the string is not a valid version.
 */
export function parse(input) {
  if (typeof input !== 'string') return null;
  const match = PATTERN.exec(input);
  if (!match) return null;
  const [, major, minor, patch, prerelease, build] = match;
  return {
    major: Number(major),
    minor: Number(minor),
    patch: Number(patch),
    prerelease: prerelease ? prerelease.split('.') : [],
    build: build ? build.split('.') : [],
  };
}

/** The version without build metadata, or null when `input` is not a version. */
export function valid(input) {
  const version = parse(input);
  if (!version) return null;
  const core = `${version.major}.${version.minor}.${version.patch}`;
  return version.prerelease.length ? `${core}-${version.prerelease.join('.')}` : core;
}
EOF
  write src/index.js <<'EOF'
export { parse, valid } from './parse.js';
EOF
  write test/parse.test.js <<'EOF'
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { parse, valid } from '../src/index.js';

describe('parse', () => {
  it('parses a plain version', () => {
    assert.deepEqual(parse('1.2.3'), { major: 1, minor: 2, patch: 3, prerelease: [], build: [] });
  });

  it('parses prerelease and build metadata', () => {
    assert.deepEqual(parse('1.0.0-rc.1+build.5'), {
      major: 1,
      minor: 0,
      patch: 0,
      prerelease: ['rc', '1'],
      build: ['build', '5'],
    });
  });

  it('rejects leading zeros', () => {
    assert.equal(parse('01.2.3'), null);
  });

  it('returns null for things that are not versions', () => {
    assert.equal(parse('1.2'), null);
    assert.equal(parse(''), null);
    assert.equal(parse(undefined), null);
  });
});

describe('valid', () => {
  it('drops build metadata', () => {
    assert.equal(valid('1.0.0-beta+exp.sha.5114f85'), '1.0.0-beta');
  });
});
EOF
  commit "$kai" 2024-04-01T09:15:00+09:00 "Initial commit: parse() and valid()"

  write src/compare.js <<'EOF'
import { parse } from './parse.js';

function toVersion(value) {
  const version = typeof value === 'string' ? parse(value) : value;
  if (!version) throw new TypeError(`Invalid version: ${value}`);
  return version;
}

function compareNumbers(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePrerelease(a, b) {
  // A version without a prerelease ranks above every prerelease of it.
  if (a.length === 0 && b.length === 0) return 0;
  if (a.length === 0) return 1;
  if (b.length === 0) return -1;
  const left = a.join('.');
  const right = b.join('.');
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * -1, 0 or 1 as `a` is lower than, equal to or greater than `b` (version strings or
 * parsed versions). Build metadata does not take part, as SemVer says.
 */
export function compare(a, b) {
  const x = toVersion(a);
  const y = toVersion(b);
  return (
    compareNumbers(x.major, y.major) ||
    compareNumbers(x.minor, y.minor) ||
    compareNumbers(x.patch, y.patch) ||
    comparePrerelease(x.prerelease, y.prerelease)
  );
}

export const gt = (a, b) => compare(a, b) > 0;
export const lt = (a, b) => compare(a, b) < 0;
export const eq = (a, b) => compare(a, b) === 0;

/** A sorted copy of `versions`, lowest first. */
export function sort(versions) {
  return [...versions].sort(compare);
}
EOF
  write src/index.js <<'EOF'
export { parse, valid } from './parse.js';
export { compare, eq, gt, lt, sort } from './compare.js';
EOF
  write test/compare.test.js <<'EOF'
import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';

import { compare, eq, gt, lt, sort } from '../src/index.js';

describe('compare', () => {
  it('orders by major, minor and patch', () => {
    assert.equal(compare('1.0.0', '2.0.0'), -1);
    assert.equal(compare('1.2.0', '1.1.9'), 1);
    assert.equal(compare('1.2.3', '1.2.10'), -1);
  });

  it('treats equal versions as equal', () => {
    assert.equal(compare('1.2.3', '1.2.3'), 0);
  });

  it('ranks a release above its prereleases', () => {
    assert.equal(compare('1.0.0', '1.0.0-rc.1'), 1);
    assert.equal(compare('1.0.0-alpha', '1.0.0'), -1);
  });

  it('ignores build metadata', () => {
    assert.equal(compare('1.0.0+build.1', '1.0.0+build.2'), 0);
  });

  it('throws on invalid versions', () => {
    assert.throws(() => compare('1.0', '1.0.0'), TypeError);
  });
});

describe('sort', () => {
  it('returns a sorted copy', () => {
    const versions = ['1.10.0', '1.2.0', '1.9.1'];
    assert.deepEqual(sort(versions), ['1.2.0', '1.9.1', '1.10.0']);
    assert.deepEqual(versions, ['1.10.0', '1.2.0', '1.9.1']);
  });
});

test('gt, lt and eq agree with compare', () => {
  assert.equal(gt('2.0.0', '1.9.9'), true);
  assert.equal(lt('2.0.0', '1.9.9'), false);
  assert.equal(eq('2.0.0+a', '2.0.0+b'), true);
});
EOF
  write package.json <<'EOF'
{
  "name": "semver-lite",
  "version": "0.2.0",
  "description": "Parse and compare semantic versions, without dependencies",
  "type": "module",
  "exports": "./src/index.js",
  "scripts": {
    "test": "node --test test/"
  },
  "license": "MIT"
}
EOF
  commit "$lena" 2024-04-10T15:30:00+02:00 "Add compare(), gt(), lt(), eq() and sort()"
  g tag v0.2.0

  write src/parse.js <<'EOF'
const PATTERN =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/**
 * Parses a SemVer 2.0.0 string such as "1.2.3-rc.1+build.5". A leading "v" (as in git
 * tags) and surrounding whitespace are allowed. Returns null when the string is not a
 * valid version.
 */
export function parse(input) {
  if (typeof input !== 'string') return null;
  const match = PATTERN.exec(input.trim());
  if (!match) return null;
  const [, major, minor, patch, prerelease, build] = match;
  return {
    major: Number(major),
    minor: Number(minor),
    patch: Number(patch),
    prerelease: prerelease ? prerelease.split('.') : [],
    build: build ? build.split('.') : [],
  };
}

/** The version without build metadata, or null when `input` is not a version. */
export function valid(input) {
  const version = parse(input);
  if (!version) return null;
  const core = `${version.major}.${version.minor}.${version.patch}`;
  return version.prerelease.length ? `${core}-${version.prerelease.join('.')}` : core;
}
EOF
  write test/parse.test.js <<'EOF'
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { parse, valid } from '../src/index.js';

describe('parse', () => {
  it('parses a plain version', () => {
    assert.deepEqual(parse('1.2.3'), { major: 1, minor: 2, patch: 3, prerelease: [], build: [] });
  });

  it('parses prerelease and build metadata', () => {
    assert.deepEqual(parse('1.0.0-rc.1+build.5'), {
      major: 1,
      minor: 0,
      patch: 0,
      prerelease: ['rc', '1'],
      build: ['build', '5'],
    });
  });

  it('accepts a leading v and surrounding whitespace', () => {
    assert.equal(parse(' v2.0.1 ')?.patch, 1);
  });

  it('rejects leading zeros', () => {
    assert.equal(parse('01.2.3'), null);
  });

  it('returns null for things that are not versions', () => {
    assert.equal(parse('1.2'), null);
    assert.equal(parse(''), null);
    assert.equal(parse(undefined), null);
  });
});

describe('valid', () => {
  it('drops build metadata', () => {
    assert.equal(valid('1.0.0-beta+exp.sha.5114f85'), '1.0.0-beta');
  });

  it('drops a leading v', () => {
    assert.equal(valid('v1.4.0'), '1.4.0');
  });
});
EOF
  commit "$kai" 2024-04-22T11:00:00+09:00 "parse: accept a leading 'v' and surrounding whitespace"
  local base
  base=$(g rev-parse HEAD)

  write src/compare.js <<'EOF'
import { parse } from './parse.js';

const NUMERIC = /^\d+$/;

function toVersion(value) {
  const version = typeof value === 'string' ? parse(value) : value;
  if (!version) throw new TypeError(`Invalid version: ${value}`);
  return version;
}

function compareNumbers(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

// SemVer 2.0.0, item 11: numeric identifiers compare as numbers and rank below
// alphanumeric ones; alphanumeric identifiers compare in ASCII order.
function compareIdentifiers(a, b) {
  const aIsNumber = NUMERIC.test(a);
  const bIsNumber = NUMERIC.test(b);
  if (aIsNumber && bIsNumber) return compareNumbers(Number(a), Number(b));
  if (aIsNumber) return -1;
  if (bIsNumber) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePrerelease(a, b) {
  // A version without a prerelease ranks above every prerelease of it.
  if (a.length === 0 && b.length === 0) return 0;
  if (a.length === 0) return 1;
  if (b.length === 0) return -1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareIdentifiers(a[i], b[i]);
    if (order !== 0) return order;
  }
  // Equal so far: the one with more identifiers ranks higher (alpha < alpha.1).
  return compareNumbers(a.length, b.length);
}

/**
 * -1, 0 or 1 as `a` is lower than, equal to or greater than `b` (version strings or
 * parsed versions). Build metadata does not take part, as SemVer says.
 */
export function compare(a, b) {
  const x = toVersion(a);
  const y = toVersion(b);
  return (
    compareNumbers(x.major, y.major) ||
    compareNumbers(x.minor, y.minor) ||
    compareNumbers(x.patch, y.patch) ||
    comparePrerelease(x.prerelease, y.prerelease)
  );
}

export const gt = (a, b) => compare(a, b) > 0;
export const lt = (a, b) => compare(a, b) < 0;
export const eq = (a, b) => compare(a, b) === 0;

/** A sorted copy of `versions`, lowest first. */
export function sort(versions) {
  return [...versions].sort(compare);
}
EOF
  write test/compare.test.js <<'EOF'
import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';

import { compare, eq, gt, lt, sort } from '../src/index.js';

describe('compare', () => {
  it('orders by major, minor and patch', () => {
    assert.equal(compare('1.0.0', '2.0.0'), -1);
    assert.equal(compare('1.2.0', '1.1.9'), 1);
    assert.equal(compare('1.2.3', '1.2.10'), -1);
  });

  it('treats equal versions as equal', () => {
    assert.equal(compare('1.2.3', '1.2.3'), 0);
  });

  it('ranks a release above its prereleases', () => {
    assert.equal(compare('1.0.0', '1.0.0-rc.1'), 1);
    assert.equal(compare('1.0.0-alpha', '1.0.0'), -1);
  });

  it('compares numeric prerelease identifiers as numbers', () => {
    assert.equal(compare('1.0.0-rc.9', '1.0.0-rc.10'), -1);
    assert.equal(compare('1.0.0-beta.11', '1.0.0-beta.2'), 1);
    assert.equal(compare('2.0.0-10', '2.0.0-9'), 1);
  });

  it('ranks numeric identifiers below alphanumeric ones', () => {
    assert.equal(compare('1.0.0-alpha.1', '1.0.0-alpha.-'), -1);
    assert.equal(compare('1.0.0-rc.2', '1.0.0-rc.x'), -1);
  });

  it('ignores build metadata', () => {
    assert.equal(compare('1.0.0+build.1', '1.0.0+build.2'), 0);
  });

  it('throws on invalid versions', () => {
    assert.throws(() => compare('1.0', '1.0.0'), TypeError);
  });
});

describe('sort', () => {
  it('returns a sorted copy', () => {
    const versions = ['1.10.0', '1.2.0', '1.9.1'];
    assert.deepEqual(sort(versions), ['1.2.0', '1.9.1', '1.10.0']);
    assert.deepEqual(versions, ['1.10.0', '1.2.0', '1.9.1']);
  });

  it('follows the precedence example from the SemVer spec', () => {
    const ordered = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
    ];
    assert.deepEqual(sort([...ordered].reverse()), ordered);
  });
});

test('gt, lt and eq agree with compare', () => {
  assert.equal(gt('2.0.0', '1.9.9'), true);
  assert.equal(lt('2.0.0', '1.9.9'), false);
  assert.equal(eq('2.0.0+a', '2.0.0+b'), true);
});

test('gt sees rc.10 as newer than rc.9', () => {
  assert.equal(gt('3.1.0-rc.10', '3.1.0-rc.9'), true);
});
EOF
  commit "$lena" 2024-05-06T10:45:00+02:00 "compare: order prerelease identifiers per SemVer item 11" \
    "Prerelease fields were joined and compared as one string, so rc.10 sorted before rc.9.
Compare them one identifier at a time, numeric ones as numbers. Fixes #5."
  local fix
  fix=$(g rev-parse HEAD)

  write package.json <<'EOF'
{
  "name": "semver-lite",
  "version": "0.2.1",
  "description": "Parse and compare semantic versions, without dependencies",
  "type": "module",
  "exports": "./src/index.js",
  "scripts": {
    "test": "node --test test/"
  },
  "license": "MIT"
}
EOF
  commit "$kai" 2024-05-07T08:00:00+09:00 "0.2.1"
  g tag v0.2.1
  finish semver-lite "$base" "$fix"
}

# ---------------------------------------------------------------------------------------
# demo/ratelimit: Go, go test. The bug: a refill throws away the part of an interval that
# has already passed, so a bucket polled often refills slower than configured.
# ---------------------------------------------------------------------------------------
build_ratelimit() {
  new_repo ratelimit
  local sam="Sam Adeyemi <sam.adeyemi@example.com>"
  local noor="Noor Haddad <noor.haddad@example.org>"

  write go.mod <<'EOF'
module example.com/ratelimit

go 1.19
EOF
  write README.md <<'EOF'
# ratelimit

Token-bucket rate limiting for Go, with no dependencies.

```go
b, _ := ratelimit.NewBucket(10, 100*time.Millisecond, nil) // 10 tokens, one more every 100ms
if !b.Allow() {
	http.Error(w, "slow down", http.StatusTooManyRequests)
	return
}
```

Pass a `*ratelimit.ManualClock` instead of `nil` to control time in tests.
EOF
  write clock.go <<'EOF'
package ratelimit

import (
	"sync"
	"time"
)

// Clock tells the time. A Bucket takes one so that tests can move time by hand.
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// SystemClock is the wall clock; buckets made with a nil Clock use it.
var SystemClock Clock = systemClock{}

// ManualClock is a Clock that only moves when Advance is called.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a ManualClock that reads start.
func NewManualClock(start time.Time) *ManualClock {
	return &ManualClock{now: start}
}

// Now returns the clock's current time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
EOF
  write bucket.go <<'EOF'
package ratelimit

import (
	"errors"
	"sync"
	"time"
)

// Bucket is a token bucket: it holds at most capacity tokens and gains one every interval.
// It starts full. A Bucket is safe for concurrent use.
type Bucket struct {
	mu       sync.Mutex
	clock    Clock
	capacity int
	interval time.Duration
	tokens   int
	last     time.Time // when tokens were last added
}

// NewBucket returns a full bucket of capacity tokens that gains one token every interval.
// A nil clock means SystemClock.
func NewBucket(capacity int, interval time.Duration, clock Clock) (*Bucket, error) {
	if capacity < 1 {
		return nil, errors.New("ratelimit: capacity must be at least 1")
	}
	if interval <= 0 {
		return nil, errors.New("ratelimit: interval must be positive")
	}
	if clock == nil {
		clock = SystemClock
	}
	return &Bucket{
		clock:    clock,
		capacity: capacity,
		interval: interval,
		tokens:   capacity,
		last:     clock.Now(),
	}, nil
}

// Allow takes one token if there is one and reports whether it did.
func (b *Bucket) Allow() bool { return b.AllowN(1) }

// AllowN takes n tokens if there are at least n; otherwise it takes none.
func (b *Bucket) AllowN(n int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill()
	if n > b.tokens {
		return false
	}
	b.tokens -= n
	return true
}

// Tokens reports how many tokens the bucket holds now.
func (b *Bucket) Tokens() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill()
	return b.tokens
}

func (b *Bucket) refill() {
	now := b.clock.Now()
	earned := int(now.Sub(b.last) / b.interval)
	if earned == 0 {
		return
	}
	b.tokens += earned
	if b.tokens > b.capacity {
		b.tokens = b.capacity
	}
	b.last = now
}
EOF
  write bucket_test.go <<'EOF'
package ratelimit

import (
	"testing"
	"time"
)

var epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func mustBucket(t *testing.T, capacity int, interval time.Duration, clock Clock) *Bucket {
	t.Helper()
	b, err := NewBucket(capacity, interval, clock)
	if err != nil {
		t.Fatalf("NewBucket(%d, %v): %v", capacity, interval, err)
	}
	return b
}

func TestNewBucketRejectsBadConfig(t *testing.T) {
	cases := []struct {
		name     string
		capacity int
		interval time.Duration
	}{
		{"zero capacity", 0, time.Second},
		{"negative capacity", -1, time.Second},
		{"zero interval", 1, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewBucket(tc.capacity, tc.interval, nil); err == nil {
				t.Fatalf("NewBucket(%d, %v) returned no error", tc.capacity, tc.interval)
			}
		})
	}
}

func TestNewBucketStartsFull(t *testing.T) {
	b := mustBucket(t, 5, time.Second, NewManualClock(epoch))
	if got := b.Tokens(); got != 5 {
		t.Fatalf("Tokens() = %d, want 5", got)
	}
}

func TestAllowDrainsBucket(t *testing.T) {
	b := mustBucket(t, 3, time.Second, NewManualClock(epoch))
	for i := 0; i < 3; i++ {
		if !b.Allow() {
			t.Fatalf("Allow() #%d = false, want true", i+1)
		}
	}
	if b.Allow() {
		t.Fatal("Allow() on an empty bucket = true, want false")
	}
}

func TestAllowNIsAllOrNothing(t *testing.T) {
	b := mustBucket(t, 3, time.Second, NewManualClock(epoch))
	if b.AllowN(4) {
		t.Fatal("AllowN(4) with 3 tokens = true, want false")
	}
	if got := b.Tokens(); got != 3 {
		t.Fatalf("Tokens() after a refused AllowN = %d, want 3", got)
	}
}

func TestRefillAfterInterval(t *testing.T) {
	clock := NewManualClock(epoch)
	b := mustBucket(t, 2, 100*time.Millisecond, clock)
	b.AllowN(2)
	clock.Advance(100 * time.Millisecond)
	if got := b.Tokens(); got != 1 {
		t.Fatalf("Tokens() one interval after draining = %d, want 1", got)
	}
}

func TestRefillIsCappedAtCapacity(t *testing.T) {
	clock := NewManualClock(epoch)
	b := mustBucket(t, 2, 100*time.Millisecond, clock)
	b.AllowN(2)
	clock.Advance(time.Hour)
	if got := b.Tokens(); got != 2 {
		t.Fatalf("Tokens() after an hour = %d, want 2", got)
	}
}
EOF
  commit "$sam" 2024-06-03T13:00:00-04:00 "Initial token bucket"

  write limiter.go <<'EOF'
package ratelimit

import (
	"sync"
	"time"
)

// Limiter keeps one Bucket per key: a user, an IP address, an API token.
type Limiter struct {
	mu       sync.Mutex
	capacity int
	interval time.Duration
	clock    Clock
	buckets  map[string]*Bucket
}

// NewLimiter returns a Limiter whose buckets hold capacity tokens and gain one every interval.
func NewLimiter(capacity int, interval time.Duration, clock Clock) (*Limiter, error) {
	// Make one bucket up front so that a bad configuration fails here and not on first use.
	if _, err := NewBucket(capacity, interval, clock); err != nil {
		return nil, err
	}
	return &Limiter{
		capacity: capacity,
		interval: interval,
		clock:    clock,
		buckets:  make(map[string]*Bucket),
	}, nil
}

// Allow takes a token from key's bucket, making the bucket on first use.
func (l *Limiter) Allow(key string) bool {
	return l.bucket(key).Allow()
}

// Forget drops key's bucket; the key starts again with a full one.
func (l *Limiter) Forget(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.buckets, key)
}

// Len reports how many keys have a bucket.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

func (l *Limiter) bucket(key string) *Bucket {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		// Cannot fail: NewLimiter checked the same arguments.
		b, _ = NewBucket(l.capacity, l.interval, l.clock)
		l.buckets[key] = b
	}
	return b
}
EOF
  write limiter_test.go <<'EOF'
package ratelimit

import (
	"testing"
	"time"
)

func TestLimiterKeysAreIndependent(t *testing.T) {
	l, err := NewLimiter(1, time.Second, NewManualClock(epoch))
	if err != nil {
		t.Fatal(err)
	}
	if !l.Allow("alice") || !l.Allow("bob") {
		t.Fatal("first request of each key was refused")
	}
	if l.Allow("alice") {
		t.Fatal("alice's second request was allowed, want refused")
	}
	if got := l.Len(); got != 2 {
		t.Fatalf("Len() = %d, want 2", got)
	}
}

func TestLimiterForget(t *testing.T) {
	l, err := NewLimiter(1, time.Second, NewManualClock(epoch))
	if err != nil {
		t.Fatal(err)
	}
	l.Allow("alice")
	l.Forget("alice")
	if !l.Allow("alice") {
		t.Fatal("Allow after Forget = false, want a full bucket again")
	}
}

func TestNewLimiterRejectsBadConfig(t *testing.T) {
	if _, err := NewLimiter(0, time.Second, nil); err == nil {
		t.Fatal("NewLimiter(0, 1s) returned no error")
	}
}
EOF
  commit "$noor" 2024-06-12T09:40:00+02:00 "Add Limiter: one bucket per key"
  g tag v0.1.0

  write bucket.go <<'EOF'
package ratelimit

import (
	"errors"
	"sync"
	"time"
)

// Bucket is a token bucket: it holds at most capacity tokens and gains one every interval.
// It starts full. A Bucket is safe for concurrent use.
type Bucket struct {
	mu       sync.Mutex
	clock    Clock
	capacity int
	interval time.Duration
	tokens   int
	last     time.Time // when tokens were last added
}

// NewBucket returns a full bucket of capacity tokens that gains one token every interval.
// A nil clock means SystemClock.
func NewBucket(capacity int, interval time.Duration, clock Clock) (*Bucket, error) {
	if capacity < 1 {
		return nil, errors.New("ratelimit: capacity must be at least 1")
	}
	if interval <= 0 {
		return nil, errors.New("ratelimit: interval must be positive")
	}
	if clock == nil {
		clock = SystemClock
	}
	return &Bucket{
		clock:    clock,
		capacity: capacity,
		interval: interval,
		tokens:   capacity,
		last:     clock.Now(),
	}, nil
}

// Allow takes one token if there is one and reports whether it did.
func (b *Bucket) Allow() bool { return b.AllowN(1) }

// AllowN takes n tokens if there are at least n; otherwise it takes none.
func (b *Bucket) AllowN(n int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill()
	if n > b.tokens {
		return false
	}
	b.tokens -= n
	return true
}

// Tokens reports how many tokens the bucket holds now.
func (b *Bucket) Tokens() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill()
	return b.tokens
}

func (b *Bucket) refill() {
	now := b.clock.Now()
	if b.tokens >= b.capacity {
		// A full bucket does not save up time: the next token is due one interval
		// after a token is taken, not one interval after the bucket became full.
		b.last = now
		return
	}
	earned := int(now.Sub(b.last) / b.interval)
	if earned == 0 {
		return
	}
	b.tokens += earned
	if b.tokens > b.capacity {
		b.tokens = b.capacity
	}
	b.last = now
}
EOF
  write bucket_test.go <<'EOF'
package ratelimit

import (
	"testing"
	"time"
)

var epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func mustBucket(t *testing.T, capacity int, interval time.Duration, clock Clock) *Bucket {
	t.Helper()
	b, err := NewBucket(capacity, interval, clock)
	if err != nil {
		t.Fatalf("NewBucket(%d, %v): %v", capacity, interval, err)
	}
	return b
}

func TestNewBucketRejectsBadConfig(t *testing.T) {
	cases := []struct {
		name     string
		capacity int
		interval time.Duration
	}{
		{"zero capacity", 0, time.Second},
		{"negative capacity", -1, time.Second},
		{"zero interval", 1, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewBucket(tc.capacity, tc.interval, nil); err == nil {
				t.Fatalf("NewBucket(%d, %v) returned no error", tc.capacity, tc.interval)
			}
		})
	}
}

func TestNewBucketStartsFull(t *testing.T) {
	b := mustBucket(t, 5, time.Second, NewManualClock(epoch))
	if got := b.Tokens(); got != 5 {
		t.Fatalf("Tokens() = %d, want 5", got)
	}
}

func TestAllowDrainsBucket(t *testing.T) {
	b := mustBucket(t, 3, time.Second, NewManualClock(epoch))
	for i := 0; i < 3; i++ {
		if !b.Allow() {
			t.Fatalf("Allow() #%d = false, want true", i+1)
		}
	}
	if b.Allow() {
		t.Fatal("Allow() on an empty bucket = true, want false")
	}
}

func TestAllowNIsAllOrNothing(t *testing.T) {
	b := mustBucket(t, 3, time.Second, NewManualClock(epoch))
	if b.AllowN(4) {
		t.Fatal("AllowN(4) with 3 tokens = true, want false")
	}
	if got := b.Tokens(); got != 3 {
		t.Fatalf("Tokens() after a refused AllowN = %d, want 3", got)
	}
}

func TestRefillAfterInterval(t *testing.T) {
	clock := NewManualClock(epoch)
	b := mustBucket(t, 2, 100*time.Millisecond, clock)
	b.AllowN(2)
	clock.Advance(100 * time.Millisecond)
	if got := b.Tokens(); got != 1 {
		t.Fatalf("Tokens() one interval after draining = %d, want 1", got)
	}
}

func TestRefillIsCappedAtCapacity(t *testing.T) {
	clock := NewManualClock(epoch)
	b := mustBucket(t, 2, 100*time.Millisecond, clock)
	b.AllowN(2)
	clock.Advance(time.Hour)
	if got := b.Tokens(); got != 2 {
		t.Fatalf("Tokens() after an hour = %d, want 2", got)
	}
}

func TestFullBucketDoesNotBankTime(t *testing.T) {
	clock := NewManualClock(epoch)
	b := mustBucket(t, 1, 100*time.Millisecond, clock)
	clock.Advance(50 * time.Millisecond)
	b.Allow() // takes the only token at 50ms
	clock.Advance(60 * time.Millisecond)
	if b.Allow() {
		t.Fatal("Allow() 60ms after taking the only token = true, want false (next token at 150ms)")
	}
}
EOF
  commit "$sam" 2024-06-24T16:20:00-04:00 "Bucket: do not bank time while full"
  g tag v0.2.0
  local base
  base=$(g rev-parse HEAD)

  write bucket.go <<'EOF'
package ratelimit

import (
	"errors"
	"sync"
	"time"
)

// Bucket is a token bucket: it holds at most capacity tokens and gains one every interval.
// It starts full. A Bucket is safe for concurrent use.
type Bucket struct {
	mu       sync.Mutex
	clock    Clock
	capacity int
	interval time.Duration
	tokens   int
	last     time.Time // when the latest token was earned
}

// NewBucket returns a full bucket of capacity tokens that gains one token every interval.
// A nil clock means SystemClock.
func NewBucket(capacity int, interval time.Duration, clock Clock) (*Bucket, error) {
	if capacity < 1 {
		return nil, errors.New("ratelimit: capacity must be at least 1")
	}
	if interval <= 0 {
		return nil, errors.New("ratelimit: interval must be positive")
	}
	if clock == nil {
		clock = SystemClock
	}
	return &Bucket{
		clock:    clock,
		capacity: capacity,
		interval: interval,
		tokens:   capacity,
		last:     clock.Now(),
	}, nil
}

// Allow takes one token if there is one and reports whether it did.
func (b *Bucket) Allow() bool { return b.AllowN(1) }

// AllowN takes n tokens if there are at least n; otherwise it takes none.
func (b *Bucket) AllowN(n int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill()
	if n > b.tokens {
		return false
	}
	b.tokens -= n
	return true
}

// Tokens reports how many tokens the bucket holds now.
func (b *Bucket) Tokens() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill()
	return b.tokens
}

func (b *Bucket) refill() {
	now := b.clock.Now()
	if b.tokens >= b.capacity {
		// A full bucket does not save up time: the next token is due one interval
		// after a token is taken, not one interval after the bucket became full.
		b.last = now
		return
	}
	earned := int(now.Sub(b.last) / b.interval)
	if earned == 0 {
		return
	}
	b.tokens += earned
	// Move on by whole intervals only: the time already spent towards the next token
	// must count, or a bucket polled more often than once per interval refills slowly.
	b.last = b.last.Add(time.Duration(earned) * b.interval)
	if b.tokens >= b.capacity {
		b.tokens = b.capacity
		b.last = now
	}
}
EOF
  write bucket_test.go <<'EOF'
package ratelimit

import (
	"testing"
	"time"
)

var epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func mustBucket(t *testing.T, capacity int, interval time.Duration, clock Clock) *Bucket {
	t.Helper()
	b, err := NewBucket(capacity, interval, clock)
	if err != nil {
		t.Fatalf("NewBucket(%d, %v): %v", capacity, interval, err)
	}
	return b
}

func TestNewBucketRejectsBadConfig(t *testing.T) {
	cases := []struct {
		name     string
		capacity int
		interval time.Duration
	}{
		{"zero capacity", 0, time.Second},
		{"negative capacity", -1, time.Second},
		{"zero interval", 1, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewBucket(tc.capacity, tc.interval, nil); err == nil {
				t.Fatalf("NewBucket(%d, %v) returned no error", tc.capacity, tc.interval)
			}
		})
	}
}

func TestNewBucketStartsFull(t *testing.T) {
	b := mustBucket(t, 5, time.Second, NewManualClock(epoch))
	if got := b.Tokens(); got != 5 {
		t.Fatalf("Tokens() = %d, want 5", got)
	}
}

func TestAllowDrainsBucket(t *testing.T) {
	b := mustBucket(t, 3, time.Second, NewManualClock(epoch))
	for i := 0; i < 3; i++ {
		if !b.Allow() {
			t.Fatalf("Allow() #%d = false, want true", i+1)
		}
	}
	if b.Allow() {
		t.Fatal("Allow() on an empty bucket = true, want false")
	}
}

func TestAllowNIsAllOrNothing(t *testing.T) {
	b := mustBucket(t, 3, time.Second, NewManualClock(epoch))
	if b.AllowN(4) {
		t.Fatal("AllowN(4) with 3 tokens = true, want false")
	}
	if got := b.Tokens(); got != 3 {
		t.Fatalf("Tokens() after a refused AllowN = %d, want 3", got)
	}
}

func TestRefillAfterInterval(t *testing.T) {
	clock := NewManualClock(epoch)
	b := mustBucket(t, 2, 100*time.Millisecond, clock)
	b.AllowN(2)
	clock.Advance(100 * time.Millisecond)
	if got := b.Tokens(); got != 1 {
		t.Fatalf("Tokens() one interval after draining = %d, want 1", got)
	}
}

func TestRefillIsCappedAtCapacity(t *testing.T) {
	clock := NewManualClock(epoch)
	b := mustBucket(t, 2, 100*time.Millisecond, clock)
	b.AllowN(2)
	clock.Advance(time.Hour)
	if got := b.Tokens(); got != 2 {
		t.Fatalf("Tokens() after an hour = %d, want 2", got)
	}
}

func TestFullBucketDoesNotBankTime(t *testing.T) {
	clock := NewManualClock(epoch)
	b := mustBucket(t, 1, 100*time.Millisecond, clock)
	clock.Advance(50 * time.Millisecond)
	b.Allow() // takes the only token at 50ms
	clock.Advance(60 * time.Millisecond)
	if b.Allow() {
		t.Fatal("Allow() 60ms after taking the only token = true, want false (next token at 150ms)")
	}
}

func TestRefillKeepsPartialInterval(t *testing.T) {
	clock := NewManualClock(epoch)
	b := mustBucket(t, 2, 100*time.Millisecond, clock)
	b.AllowN(2) // empty at 0ms; tokens are due at 100ms, 200ms, ...
	clock.Advance(150 * time.Millisecond)
	if !b.Allow() {
		t.Fatal("Allow() at 150ms = false, want true (token earned at 100ms)")
	}
	clock.Advance(50 * time.Millisecond)
	if !b.Allow() {
		t.Fatal("Allow() at 200ms = false, want true (token earned at 200ms)")
	}
}

func TestSustainedRate(t *testing.T) {
	// A bucket of 3 tokens, one more every 100ms, polled for 2s: every poll that finds a
	// token takes it, so the polls get the 3 tokens it starts with plus one per 100ms
	// up to the last poll, however often they come.
	cases := []struct {
		name string
		poll time.Duration
		want int
	}{
		{"every 10ms", 10 * time.Millisecond, 3 + 20}, // last poll at 2000ms
		{"every 30ms", 30 * time.Millisecond, 3 + 19}, // last poll at 1980ms
		{"every 70ms", 70 * time.Millisecond, 3 + 19}, // last poll at 1960ms
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clock := NewManualClock(epoch)
			b := mustBucket(t, 3, 100*time.Millisecond, clock)
			allowed := 0
			for elapsed := time.Duration(0); elapsed <= 2*time.Second; elapsed += tc.poll {
				if b.Allow() {
					allowed++
				}
				clock.Advance(tc.poll)
			}
			if allowed != tc.want {
				t.Fatalf("allowed %d requests in 2s, want %d", allowed, tc.want)
			}
		})
	}
}
EOF
  commit "$noor" 2024-07-08T11:30:00+02:00 "Bucket: keep partial interval progress across refills" \
    "refill() set last to now, so the time between the latest token and the call was
thrown away: a bucket of one token per 100ms polled every 30ms refilled every 120ms.
Advance last by whole intervals instead. Fixes #7."
  local fix
  fix=$(g rev-parse HEAD)

  write CHANGELOG.md <<'EOF'
# Changelog

## v0.2.1 - 2024-07-09

- Buckets polled more often than once per interval refill at the configured rate (#7).

## v0.2.0 - 2024-06-24

- A full bucket no longer saves up time.
EOF
  commit "$sam" 2024-07-09T10:00:00-04:00 "Add CHANGELOG for v0.2.1"
  g tag v0.2.1
  finish ratelimit "$base" "$fix"
}

# ---------------------------------------------------------------------------------------
# demo/durations: Rust, cargo test (no crates). The bug: in a compound duration such as
# "1h30m" each part replaces the total instead of adding to it, so only the last part counts.
# ---------------------------------------------------------------------------------------
durations_lock() {
  write Cargo.lock <<EOF
# This file is automatically @generated by Cargo.
# It is not intended for manual editing.
version = 3

[[package]]
name = "durations"
version = "$1"
EOF
}

durations_manifest() {
  write Cargo.toml <<EOF
[package]
name = "durations"
version = "$1"
edition = "2021"
description = "Parse and format human durations such as 1h30m"
license = "MIT"

[dependencies]
EOF
  durations_lock "$1"
}

build_durations() {
  new_repo durations
  local mara="Mara Lindqvist <mara.lindqvist@example.com>"
  local ade="Ade Ogunleye <ade.ogunleye@example.org>"

  durations_manifest 0.1.0
  write .gitignore <<'EOF'
/target
EOF
  write README.md <<'EOF'
# durations

Parse and format human durations.

```rust
assert_eq!(durations::parse("90s"), Ok(90));
assert_eq!(durations::format(5400), "1h30m");
```
EOF
  write src/lib.rs <<'EOF'
//! Human durations: `"90s"`, `"2m"`, `"1h"`, in whole seconds.

#[derive(Debug, PartialEq, Eq)]
pub enum ParseError {
    Empty,
    BadNumber(String),
    UnknownUnit(char),
}

fn unit_seconds(unit: char) -> Result<u64, ParseError> {
    match unit {
        's' => Ok(1),
        'm' => Ok(60),
        'h' => Ok(3600),
        'd' => Ok(86400),
        other => Err(ParseError::UnknownUnit(other)),
    }
}

/// Parses a number followed by one unit (s, m, h, d).
pub fn parse(text: &str) -> Result<u64, ParseError> {
    let text = text.trim();
    let unit = text.chars().last().ok_or(ParseError::Empty)?;
    let number = &text[..text.len() - unit.len_utf8()];
    let value: u64 = number.parse().map_err(|_| ParseError::BadNumber(number.to_string()))?;
    Ok(value * unit_seconds(unit)?)
}
EOF
  write tests/parse.rs <<'EOF'
use durations::{parse, ParseError};

#[test]
fn seconds() {
    assert_eq!(parse("90s"), Ok(90));
}

#[test]
fn minutes_and_hours() {
    assert_eq!(parse("2m"), Ok(120));
    assert_eq!(parse("1h"), Ok(3600));
}

#[test]
fn days() {
    assert_eq!(parse("2d"), Ok(172800));
}

#[test]
fn surrounding_spaces() {
    assert_eq!(parse("  5m "), Ok(300));
}

#[test]
fn empty_is_an_error() {
    assert_eq!(parse(""), Err(ParseError::Empty));
}

#[test]
fn unknown_unit() {
    assert_eq!(parse("3w"), Err(ParseError::UnknownUnit('w')));
}
EOF
  commit "$mara" 2024-08-01T09:12:00+02:00 "Parse single-unit durations"
  g tag v0.1.0

  write src/format.rs <<'EOF'
/// Formats whole seconds as the shortest compound duration: 5400 -> "1h30m", 0 -> "0s".
pub fn format(seconds: u64) -> String {
    if seconds == 0 {
        return "0s".to_string();
    }
    let mut rest = seconds;
    let mut out = String::new();
    for (unit, size) in [('d', 86400), ('h', 3600), ('m', 60), ('s', 1)] {
        if rest >= size {
            out.push_str(&format!("{}{}", rest / size, unit));
            rest %= size;
        }
    }
    out
}
EOF
  write tests/format.rs <<'EOF'
use durations::format;

#[test]
fn zero() {
    assert_eq!(format(0), "0s");
}

#[test]
fn whole_units() {
    assert_eq!(format(120), "2m");
    assert_eq!(format(86400), "1d");
}

#[test]
fn compound() {
    assert_eq!(format(5400), "1h30m");
    assert_eq!(format(90061), "1d1h1m1s");
}
EOF
  printf '%s\n' '' 'mod format;' 'pub use format::format;' >>src/lib.rs
  commit "$ade" 2024-08-06T15:40:00+01:00 "Add format(), the inverse of parse()"

  # base: compound durations, with the bug.
  durations_manifest 0.2.0
  write src/lib.rs <<'EOF'
//! Human durations: `"90s"`, `"2m"`, `"1h30m"`, in whole seconds.

mod format;
pub use format::format;

#[derive(Debug, PartialEq, Eq)]
pub enum ParseError {
    Empty,
    BadNumber(String),
    UnknownUnit(char),
    MissingUnit,
}

fn unit_seconds(unit: char) -> Result<u64, ParseError> {
    match unit {
        's' => Ok(1),
        'm' => Ok(60),
        'h' => Ok(3600),
        'd' => Ok(86400),
        other => Err(ParseError::UnknownUnit(other)),
    }
}

/// Parses a duration made of one or more `<number><unit>` parts (s, m, h, d): "1h30m".
pub fn parse(text: &str) -> Result<u64, ParseError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ParseError::Empty);
    }
    let mut total = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let value: u64 = number.parse().map_err(|_| ParseError::BadNumber(number.clone()))?;
        total = value * unit_seconds(c)?;
        number.clear();
    }
    if !number.is_empty() {
        return Err(ParseError::MissingUnit);
    }
    Ok(total)
}
EOF
  cat >>tests/parse.rs <<'EOF'

#[test]
fn number_without_unit() {
    assert_eq!(parse("15"), Err(ParseError::MissingUnit));
}

#[test]
fn unit_without_number() {
    assert_eq!(parse("m"), Err(ParseError::BadNumber(String::new())));
}
EOF
  commit "$mara" 2024-08-20T11:05:00+02:00 "Parse compound durations such as 1h30m"
  g tag v0.2.0
  local base
  base=$(g rev-parse HEAD)

  # fix: add each part to the total.
  sed -i 's/        total = value \* unit_seconds(c)?;/        total += value * unit_seconds(c)?;/' src/lib.rs
  cat >>tests/parse.rs <<'EOF'

#[test]
fn compound_hours_minutes() {
    assert_eq!(parse("1h30m"), Ok(5400));
}

#[test]
fn compound_every_unit() {
    assert_eq!(parse("1d1h1m1s"), Ok(90061));
}

#[test]
fn compound_repeated_unit() {
    assert_eq!(parse("1m1m"), Ok(120));
}

#[test]
fn parse_inverts_format() {
    for seconds in [59, 61, 3599, 3661, 86399, 90061] {
        assert_eq!(parse(&durations::format(seconds)), Ok(seconds));
    }
}
EOF
  commit "$ade" 2024-08-27T17:22:00+01:00 "Add up the parts of a compound duration" "Each part replaced the total, so \"1h30m\" parsed as 30 minutes. Fixes #3."
  local fix
  fix=$(g rev-parse HEAD)

  durations_manifest 0.2.1
  write CHANGELOG.md <<'EOF'
# Changelog

## v0.2.1 - 2024-08-28

- Compound durations add up their parts: "1h30m" is 5400 seconds (#3).
EOF
  commit "$mara" 2024-08-28T10:00:00+02:00 "Release v0.2.1"
  g tag v0.2.1
  finish durations "$base" "$fix"
}

build_textkit
build_ledger
build_semver_lite
build_ratelimit
build_durations
