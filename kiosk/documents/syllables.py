"""Is a word a possible Vietnamese syllable? The share of such words says whether OCR read text.

Vietnamese is written one syllable per word: (onset) + rhyme + one tone, from small closed
sets, with spelling rules (k/gh/ngh before i e ê, c/g/ng elsewhere) and a tone rule (a rhyme
closed by c ch p t takes only sắc or nặng). Garbled OCR — a page warped wrong, a blurred
photo — breaks these rules constantly, clean OCR almost never: a page whose words are mostly
impossible syllables was not read, whatever tesseract's confidence says.

Letters and tone are split by the keyboard engine (:class:`kiosk.base.vnkeys.Word`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kiosk.base.vnkeys import Word

ONSETS = ("ngh", "ng", "gh", "gi", "kh", "nh", "ph", "th", "tr", "ch", "qu",
          "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x")

_RHYMES = """
a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
e ec em en eng eo ep et ê êch êm ên ênh êp êt êu
i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
o oc oi om on ong op ot oong ooc ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
u ua uc ui um un ung up ut uôc uôi uôm uôn uông uôt
ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
y yêm yên yêng yêt yêu
oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt oe oen oeo oet
uân uâng uât uây uê uêch uênh uy uych uyên uyêt uynh uyt uyu uya uơ
"""
RHYMES = frozenset(_RHYMES.split())
STOPS = ("c", "ch", "p", "t")
FRONT = ("i", "e", "ê", "y")
_TOKEN = re.compile(r"[^\W\d_]+")


def _parts(word: str) -> tuple[str, int] | None:
    """(lower-case letters without tone, tone 0–5), or None when it has stray marks."""
    w = Word(word)
    letters = "".join(w.plain(i) for i in range(len(w.letters)))
    if not letters.isalpha() or unicodedata.normalize("NFC", letters) != letters:
        return None
    return letters, w.tone


def _rhyme_ok(onset: str, rhyme: str, tone: int) -> bool:
    if rhyme not in RHYMES:
        return False
    if rhyme.endswith(STOPS) and tone not in (1, 5):
        return False
    front = rhyme.startswith(FRONT)
    if onset == "k" and not front:
        return False
    if onset == "c" and front:
        return False
    if onset in ("gh", "ngh") and not rhyme.startswith(("i", "e", "ê")):
        return False
    if onset in ("g", "ng") and rhyme.startswith(("e", "ê")):
        return False
    if onset == "qu" and rhyme.startswith(("u", "ư", "o")):  # ô is its own letter: quốc is fine
        return False
    return True


def is_syllable(word: str) -> bool:
    """True when ``word`` (any case, NFC or NFD) is a possible Vietnamese syllable."""
    parts = _parts(word)
    if parts is None:
        return False
    letters, tone = parts
    if len(letters) > 7:
        return False
    for onset in ONSETS + ("",):
        if not letters.startswith(onset):
            continue
        rest = letters[len(onset):]
        if onset == "gi" and (not rest or rest[0] in "iê"):
            if _rhyme_ok("g", letters[1:], tone):  # gì, giếng: g + the rhyme
                return True
            if not rest:
                continue
        if rest and _rhyme_ok(onset, rest, tone):
            return True
    return False


@dataclass(frozen=True)
class SyllableShare:
    share: float | None  # None: too few words to judge
    words: int
    valid: int


def syllable_share(text: str, min_words: int = 15) -> SyllableShare:
    """Share of the words of ``text`` that are possible syllables (tokens without a vowel —
    abbreviations such as TP, BCA — are not counted)."""
    valid = counted = 0
    for tok in _TOKEN.findall(unicodedata.normalize("NFC", text)):
        low = tok.lower()
        if not any(ch in "aăâeêioôơuưyáàảãạ" or unicodedata.normalize("NFD", ch)[0] in "aeiouy" for ch in low):
            continue
        counted += 1
        valid += is_syllable(tok)
    return SyllableShare(valid / counted if counted >= min_words else None, counted, valid)
