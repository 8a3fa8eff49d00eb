"""Password rules for shared hospital computers: Django's list of common passwords, extended
with the hospital's own words (hospital-words.txt)."""

import re
import unicodedata
from pathlib import Path

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WORDS_PATH = Path(__file__).resolve().with_name("hospital-words.txt")

# How digits and signs stand in for letters inside words, as in "nur5e" or "p@ssw0rd".
LOOKALIKES = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
LOOKALIKE_IN_A_WORD = re.compile(r"(?<=[^\W\d_])[013457@$](?=[^\W\d_])")


def letters(text: str) -> str:
    """The letters of ``text`` (any script), full-width folded, lower case: "Byouin-2026!" → "byouin"."""
    return re.sub(r"[\W\d_]+", "", normalised(text))


def normalised(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def unmasked(text: str) -> str:
    """``text`` with a digit or sign between two letters read as the letter it stands for."""
    return LOOKALIKE_IN_A_WORD.sub(lambda match: match.group().translate(LOOKALIKES), normalised(text))


class HospitalWordsValidator(CommonPasswordValidator):
    """Refuses a password on Django's list of 20,000 common passwords or the hospital's list, and
    one made only of the hospital's words with digits, signs or spaces around and between them
    (nurse4ward, Ward-Safe-2026, byouin1234), also with digits standing in for letters."""

    def __init__(self, words_path=WORDS_PATH):
        super().__init__()
        lines = Path(words_path).read_text(encoding="utf-8").splitlines()
        self.words = {word for line in lines if not line.startswith("#") and len(word := letters(line)) > 1}
        self.passwords |= self.words
        self.longest = max(map(len, self.words), default=0)

    def validate(self, password, user=None):
        super().validate(password, user)
        for form in {letters(password), letters(unmasked(password))}:
            if form and self.made_of_words(form):
                raise ValidationError(
                    _(
                        "This password is made of words anyone in a hospital would try first (such as ward, "
                        "nurse or byouin) with digits or signs. Add a word of your own."
                    ),
                    code="password_hospital_words",
                )

    def made_of_words(self, text: str) -> bool:
        """Whether ``text`` splits into the hospital's words (linear in its length)."""
        ends = [True] + [False] * len(text)  # ends[i]: text[:i] splits into words
        for end in range(1, len(text) + 1):
            ends[end] = any(
                ends[start] and text[start:end] in self.words for start in range(max(0, end - self.longest), end)
            )
        return ends[-1]

    def get_help_text(self):
        return _("Your password can’t be a commonly used password or be made only of common hospital words.")
