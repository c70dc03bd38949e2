"""The ID card's chip (CCCD / Căn cước, an ICAO 9303 eMRTD) over a contactless reader, checked genuine.

The screen's whole use, on a worker::

    key = AccessKey.from_qr(qr_identity)          # or AccessKey.from_mrz(lines)
    reading = read_chip(reader, key, csca_dir)    # ChipError subclasses on failure
    identity = merge_with_qr(qr_identity, reading)  # ChipMismatchError when chip ≠ QR
    identity.chip_authenticity                    # "authentic" | "unverified" | "invalid"

``reader`` is a :class:`devices.card_reader.CardReader` (``devices.factory.open_card_reader``).
Modules, one idea each: ``mrz`` (TD1 + check digits), ``crypto`` (3DES, retail MAC, KDF),
``bac`` (mutual authentication), ``sm`` (secure messaging), ``tlv``, ``datagroups`` (EF.COM,
DG1, DG2), ``dg13`` (Vietnam's fields), ``passive`` (passive authentication), ``access``
(the key from MRZ / QR / CAN), ``pace`` + ``ec`` (PACE, generic mapping, ECDH on P-256 /
brainpoolP256r1, AES), ``reading`` (one read), ``merge`` (with the QR identity). A CAN key uses PACE
(EF.CardAccess read first); MRZ data use BAC. A chip without a usable PACE suite refuses a CAN with
``pace_unavailable``.
"""

from kiosk.identity.chip.access import AccessKey, expiry_by_age_rule
from kiosk.identity.chip.errors import MESSAGES, CardRemovedError, ChipError, ChipMismatchError, WrongKeyError
from kiosk.identity.chip.merge import identity_from_chip, merge_with_qr
from kiosk.identity.chip.mrz import MrzError, MrzTD1, check_digit, parse_td1
from kiosk.identity.chip.passive import LABELS_VI, Authenticity, PassiveResult
from kiosk.identity.chip.reading import ChipReading, read_chip

__all__ = [
    "AccessKey", "Authenticity", "CardRemovedError", "ChipError", "ChipMismatchError", "ChipReading", "LABELS_VI",
    "MESSAGES", "MrzError", "MrzTD1", "PassiveResult", "WrongKeyError", "check_digit", "expiry_by_age_rule",
    "identity_from_chip", "merge_with_qr", "parse_td1", "read_chip",
]
