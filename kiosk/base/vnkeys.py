"""Vietnamese input engine: Telex and VNI keystrokes → Vietnamese letters.

Why our own: the only Python IME library (``bogo``) has not been maintained since
2014. This engine is small and stateless: it rewrites the *current word* (the
letters just before the cursor) for one key, the way Unikey does, so it works
with any text widget and with a cursor in the middle of the text.

A word is held as toneless letters (with their circumflex/breve/horn, and ``đ``)
plus one tone; after every key the tone is placed again by the orthography rule,
so ``hoaf`` → ``hoà`` (``style="new"``) or ``hòa`` (``style="old"``), and
``hoaf`` + ``n`` → ``hoàn`` in both styles.

Keys, Telex: ``s f r x j`` tones (sắc huyền hỏi ngã nặng), ``z`` no tone,
``aa ee oo`` → â ê ô, ``aw`` → ă, ``ow`` → ơ, ``uw`` → ư, ``uow`` → ươ, ``w`` alone → ư,
``dd`` → đ, ``[`` → ơ, ``]`` → ư. VNI: ``1–5`` tones, ``0`` no tone, ``6`` circumflex,
``7`` horn, ``8`` breve, ``9`` đ. Pressing a mark's key twice undoes it and types the
key itself (``ass`` → ``as``, ``ddd`` → ``dd``), as common input methods do.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

Method = Literal["telex", "vni", "off"]
Style = Literal["new", "old"]

# Tone index → combining mark. 0 = no tone (ngang).
TONE_MARKS: tuple[str, ...] = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
TONE_NAMES: tuple[str, ...] = ("ngang", "sac", "huyen", "hoi", "nga", "nang")
_TONE_OF_MARK = {m: i for i, m in enumerate(TONE_MARKS) if m}

CIRCUMFLEX, BREVE, HORN = "\u0302", "\u0306", "\u031b"
MARKS: tuple[str, ...] = ("circumflex", "breve", "horn", "dyet")
_MARK_CHAR = {"circumflex": CIRCUMFLEX, "breve": BREVE, "horn": HORN}
# Which plain vowels may carry which modifier.
_TAKES = {CIRCUMFLEX: "aeo", BREVE: "a", HORN: "ou"}

TELEX_TONES = {"s": 1, "f": 2, "r": 3, "x": 4, "j": 5}
VNI_TONES = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
VOWELS = frozenset("aăâeêioôơuưy")


def _split_char(ch: str) -> tuple[str, str, int]:
    """``'Ấ'`` → (base ``'A'``, modifier ``CIRCUMFLEX``, tone 1)."""
    decomposed = unicodedata.normalize("NFD", ch)
    base, mod, tone = decomposed[:1], "", 0
    for mark in decomposed[1:]:
        if mark in _TONE_OF_MARK:
            tone = _TONE_OF_MARK[mark]
        elif mark in (CIRCUMFLEX, BREVE, HORN):
            mod = mark
        else:
            base += mark
    return base, mod, tone


def _join(base: str, mod: str, tone: int = 0) -> str:
    return unicodedata.normalize("NFC", base + mod + TONE_MARKS[tone])


class Word:
    """A word being typed: letters as (base, modifier) pairs and one tone."""

    def __init__(self, text: str = "") -> None:
        self.letters: list[tuple[str, str]] = []
        self.tone = 0
        for ch in unicodedata.normalize("NFC", text):
            base, mod, tone = _split_char(ch)
            self.letters.append((base, mod))
            if tone:
                self.tone = tone

    # ---------------------------------------------------------------- structure

    def plain(self, i: int) -> str:
        """Lower-case letter ``i`` with its modifier, without tone (``'ô'``)."""
        base, mod = self.letters[i]
        return _join(base.lower(), mod)

    def _is_vowel(self, i: int) -> bool:
        return self.plain(i) in VOWELS

    def vowel_run(self) -> tuple[int, int]:
        """[start, end) of the syllable's vowel nucleus, skipping the ``qu``/``gi`` initials."""
        n = len(self.letters)
        start = next((i for i in range(n) if self._is_vowel(i)), n)
        end = start
        while end < n and self._is_vowel(end):
            end += 1
        if end - start > 1 and start > 0:
            prev = self.plain(start - 1)
            first = self.plain(start)
            if (prev == "q" and first == "u") or (prev == "g" and start == 1 and first == "i"):
                start += 1
        return start, end

    def has_vowel(self) -> bool:
        start, end = self.vowel_run()
        return end > start

    def tone_index(self, style: Style = "new") -> int | None:
        """Which letter carries the tone (None when the word has no vowel)."""
        start, end = self.vowel_run()
        if end <= start:
            return None
        run = [self.plain(i) for i in range(start, end)]
        has_final = end < len(self.letters)
        modified = [k for k, v in enumerate(run) if v in "ăâêôơư"]
        if modified:
            return start + modified[-1]
        if len(run) >= 3:
            return start + 1
        if len(run) == 2:
            if has_final:
                return start + 1
            if "".join(run) in ("oa", "oe", "uy"):
                return start + (1 if style == "new" else 0)
            return start
        return start

    def render(self, style: Style = "new") -> str:
        where = self.tone_index(style) if self.tone else None
        return "".join(
            _join(base, mod, self.tone if i == where else 0) for i, (base, mod) in enumerate(self.letters)
        )

    def fix_horns(self) -> None:
        """``ưo``/``uơ`` followed by a letter is always ``ươ`` (người, hươu, thưởng)."""
        start, end = self.vowel_run()
        for i in range(start, end - 1):
            if i + 2 >= len(self.letters):
                break
            a, b = self.plain(i), self.plain(i + 1)
            if (a, b) == ("ư", "o"):
                self._set_mod(i + 1, HORN)
            elif (a, b) == ("u", "ơ"):
                self._set_mod(i, HORN)

    # ---------------------------------------------------------------- edits

    def append(self, ch: str) -> None:
        for c in ch:
            base, mod, tone = _split_char(c)
            self.letters.append((base, mod))
            if tone:
                self.tone = tone

    def set_tone(self, tone: int, key: str | None) -> bool:
        """Put ``tone`` on the word; the same tone again removes it and types ``key``."""
        if not self.has_vowel():
            return False
        if tone and self.tone == tone:
            self.tone = 0
            if key:
                self.append(key)
            return True
        if tone == 0 and self.tone == 0:
            return False
        self.tone = tone
        return True

    def _set_mod(self, i: int, mod: str) -> None:
        self.letters[i] = (self.letters[i][0], mod)

    def circumflex(self, letter: str | None, key: str | None) -> bool:
        """â ê ô on the last matching vowel of the nucleus (any of a/e/o when ``letter`` is None)."""
        start, end = self.vowel_run()
        for i in range(end - 1, start - 1, -1):
            base = self.letters[i][0].lower()
            if letter is not None and i != end - 1:
                break  # Telex aa/ee/oo marks only the nucleus' last vowel: "ngoeo" stays
            if base in "aeo" and (letter is None or base == letter):
                if self.letters[i][1] == CIRCUMFLEX:
                    self._set_mod(i, "")
                    if key:
                        self.append(key)
                else:
                    self._set_mod(i, CIRCUMFLEX)
                return True
        return False

    def breve(self, key: str | None) -> bool:
        start, end = self.vowel_run()
        for i in range(end - 1, start - 1, -1):
            if self.letters[i][0].lower() == "a":
                if self.letters[i][1] == BREVE:
                    self._set_mod(i, "")
                    if key:
                        self.append(key)
                else:
                    self._set_mod(i, BREVE)
                return True
        return False

    def horn(self, key: str | None, telex_w: bool = False) -> bool:
        """ơ ư (``uo`` → ươ); with Telex ``w`` also ă, and a lone ``w`` types ư."""
        start, end = self.vowel_run()
        bases = [self.letters[i][0].lower() for i in range(start, end)]
        # "uo" pair → ươ together.
        for k in range(len(bases) - 1):
            if bases[k] == "u" and bases[k + 1] == "o":
                i, j = start + k, start + k + 1
                if self.letters[j][1] == HORN and (self.letters[i][1] == HORN or j + 1 == len(self.letters)):
                    self._set_mod(i, "")
                    self._set_mod(j, "")
                    if key:
                        self.append(key)
                elif j + 1 == len(self.letters) and self.letters[i][1] != HORN:
                    # Nothing after the pair yet: "uơ" (thuở, huơ); a letter typed next makes it "ươ".
                    self._set_mod(j, HORN)
                else:
                    self._set_mod(i, HORN)
                    self._set_mod(j, HORN)
                return True
        joined = "".join(bases)
        order = "aou" if telex_w else "ou"
        if telex_w and joined.startswith("ua"):
            order = "uoa"  # mưa, not muă (qu- is outside the nucleus: quăng)
        for target in order:
            for i in range(end - 1, start - 1, -1):
                if self.letters[i][0].lower() != target:
                    continue
                want = BREVE if target == "a" else HORN
                if self.letters[i][1] == want:
                    self._set_mod(i, "")
                    if key:
                        self.append(key)
                else:
                    self._set_mod(i, want)
                return True
        if telex_w and not self.has_vowel():
            self.append("Ư" if key and key.isupper() else "ư")
            return True
        return False

    def dyet(self, key: str | None) -> bool:
        """``d`` at the start of the word ↔ ``đ``."""
        if not self.letters:
            return False
        base, _ = self.letters[0]
        if base in "dD":
            self.letters[0] = ("đ" if base == "d" else "Đ", "")
            return True
        if base in "đĐ":
            self.letters[0] = ("d" if base == "đ" else "D", "")
            if key:
                self.append(key)
            return True
        return False


def type_key(word: str, key: str, method: Method = "telex", style: Style = "new") -> str:
    """The current word after pressing ``key`` (one character) with ``method``."""
    w = Word(word)
    k = key.lower()
    done = False
    if method == "telex":
        if k in TELEX_TONES:
            done = w.set_tone(TELEX_TONES[k], key)
        elif k == "z":
            done = w.set_tone(0, key)
        elif k in "aeo":
            done = w.circumflex(k, key)
        elif k == "w":
            done = w.horn(key, telex_w=True)
        elif k == "d":
            done = w.dyet(key)
        elif k == "[":
            w.append("ơ")
            done = True
        elif k == "]":
            w.append("ư")
            done = True
    elif method == "vni":
        if k in VNI_TONES:
            done = w.set_tone(VNI_TONES[k], key)
        elif k == "0":
            done = w.set_tone(0, key)
        elif k == "6":
            done = w.circumflex(None, key)
        elif k == "7":
            done = w.horn(key)
        elif k == "8":
            done = w.breve(key)
        elif k == "9":
            done = w.dyet(key)
    if not done:
        w.append(key)
    w.fix_horns()
    return w.render(style)


def type_keys(keys: str, method: Method = "telex", style: Style = "new") -> str:
    """Type a whole string of keys; spaces and punctuation end words, like a real keyboard."""
    out = ""
    for key in keys:
        start = current_word_start(out)
        out = out[:start] + type_key(out[start:], key, method, style) if _is_word_key(key, method) else out + key
    return out


def _is_word_key(key: str, method: Method) -> bool:
    if method == "off":
        return False
    if key.isalpha() or key in "[]":
        return True
    return method == "vni" and key.isdigit()


def current_word_start(text: str) -> int:
    """Index where the word ending at the end of ``text`` starts (letters only)."""
    i = len(text)
    while i > 0 and text[i - 1].isalpha():
        i -= 1
    return i


def apply_tone(word: str, tone: int, style: Style = "new") -> str | None:
    """The word with ``tone`` (0–5) placed by the rule; None when it has no vowel (diacritics picker)."""
    w = Word(word)
    if not w.has_vowel():
        return None
    w.tone = tone
    return w.render(style)


def apply_mark(word: str, mark: str, style: Style = "new") -> str | None:
    """Add (or take off) circumflex / breve / horn / đ on the word; None when nothing can take it."""
    w = Word(word)
    ok = {
        "circumflex": lambda: w.circumflex(None, None),
        "breve": lambda: w.breve(None),
        "horn": lambda: w.horn(None),
        "dyet": lambda: w.dyet(None),
    }[mark]()
    return w.render(style) if ok else None


def backspace(word: str, style: Style = "new") -> str:
    """Delete the last letter; the tone stays on the word (and moves) unless its vowels are gone."""
    if not word:
        return word
    w = Word(word)
    tone_at = w.tone_index(style) if w.tone else None
    w.letters.pop()
    if tone_at is not None and tone_at >= len(w.letters):
        w.tone = 0
    if not w.has_vowel():
        w.tone = 0
    return w.render(style)


def strip_accents(text: str) -> str:
    """"Đăng ký khai sinh" → "Dang ky khai sinh" (search, file names)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))
