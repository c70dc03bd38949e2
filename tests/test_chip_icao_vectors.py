"""BAC and secure messaging against ICAO Doc 9303 Part 11, Appendix D (worked examples).

The values are those of Part 11 Appendix D — document number L898902C<, birth 690806, expiry
940623 — written down from the published appendix as widely reproduced by public eMRTD readers'
tests; the document itself was not re-fetched when these were written. Every value (keys, SSC,
the 3DES ciphertexts and retail MACs of the protected SELECT / READ BINARY and their answers) is
reproduced by our code, and a MAC cannot match by accident, so a wrong copy would fail here.
"""

from __future__ import annotations

from kiosk.identity.chip import crypto
from kiosk.identity.chip.bac import BacKeys, SessionKeys, external_authenticate_data, session_from_response
from kiosk.identity.chip.mrz import bac_information
from kiosk.identity.chip.sm import SecureMessaging

H = bytes.fromhex
MRZ_INFORMATION = "L898902C<369080619406236"
RND_IC, RND_IFD = H("4608F91988702212"), H("781723860C06C226")
K_IFD = H("0B795240CB7049B01C19B33E32804F0B")


def test_mrz_information_and_key_seed() -> None:
    assert bac_information("L898902C", "690806", "940623") == MRZ_INFORMATION
    assert crypto.key_seed_from_mrz(MRZ_INFORMATION) == H("239AB9CB282DAF66231DC5A4DF6BFBAE")


def test_document_basic_access_keys() -> None:
    keys = BacKeys.from_mrz_information(MRZ_INFORMATION)
    assert keys.k_enc == H("AB94FDECF2674FDFB9B391F85D7F76F2")
    assert keys.k_mac == H("7962D9ECE03D1ACD4C76089DCE131543")


def test_mutual_authentication_and_session_keys() -> None:
    keys = BacKeys.from_mrz_information(MRZ_INFORMATION)
    data = external_authenticate_data(keys, RND_IC, RND_IFD, K_IFD)
    assert data == H("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2" "5F1448EEA8AD90A7")
    chip_answer = H("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F" "2F2D235D074D7449")
    session = session_from_response(keys, chip_answer, RND_IC, RND_IFD, K_IFD)
    assert session.ks_enc == H("979EC13B1CBFE9DCD01AB0FED307EAE5")
    assert session.ks_mac == H("F1CB1F1FB5ADF208806B89DC579DC1F8")
    assert session.ssc == 0x887022120C06C226


def _sm() -> SecureMessaging:
    return SecureMessaging(SessionKeys(H("979EC13B1CBFE9DCD01AB0FED307EAE5"), H("F1CB1F1FB5ADF208806B89DC579DC1F8"),
                                       0x887022120C06C226))


def test_secure_messaging_select_and_read_ef_com() -> None:
    sm = _sm()
    assert sm.wrap(H("00A4020C02011E")) == H("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800")
    assert sm.unwrap(H("990290008E08FA855A5D4C50A8ED"), 0x9000) == (b"", 0x9000)
    assert sm.wrap(H("00B0000004")) == H("0CB000000D9701048E08ED6705417E96BA5500")
    assert sm.unwrap(H("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED"), 0x9000) == (H("60145F01"), 0x9000)
    assert sm.wrap(H("00B0000412")) == H("0CB000040D9701128E082EA28A70F3C7B53500")
    answer = H("871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D74")
    assert sm.unwrap(answer, 0x9000) == (H("04303130365F36063034303030305C026175"), 0x9000)
    assert sm.ssc == 0x887022120C06C22C
