"""Passive authentication (ICAO 9303 Part 11 §5.1): are the data groups the ones the state signed?

Three checks, all with libraries (asn1crypto parses the CMS SignedData of EF.SOD, cryptography
verifies): each data group read hashes to the value in the SOD's LDSSecurityObject; the SOD's
signed attributes carry the hash of that object and are signed by the document signer (DS)
certificate inside the SOD; the DS certificate is issued by a country signing CA (CSCA) of
the configured list. The result is exactly one of:

- ``authentic`` (xác thực): all three hold;
- ``unverified`` (chưa kiểm chứng): hashes and the DS signature hold but no CSCA list is installed,
  or the list holds no CSCA with the DS certificate's issuer name;
- ``invalid`` (không hợp lệ): a hash or a signature fails (a data group altered after signing).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from asn1crypto import cms, core
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from kiosk.identity.chip import tlv

Authenticity = Literal["authentic", "unverified", "invalid"]
LABELS_VI = {"authentic": "xác thực", "unverified": "chưa kiểm chứng", "invalid": "không hợp lệ"}
LDS_SECURITY_OBJECT = "2.23.136.1.1.1"


class DataGroupHash(core.Sequence):
    _fields = [("dataGroupNumber", core.Integer), ("dataGroupHashValue", core.OctetString)]


class DataGroupHashes(core.SequenceOf):
    _child_spec = DataGroupHash


class LdsVersionInfo(core.Sequence):
    _fields = [("ldsVersion", core.PrintableString), ("unicodeVersion", core.PrintableString)]


class LdsSecurityObject(core.Sequence):
    """Part 10 §4.6.2.2."""

    _fields = [
        ("version", core.Integer),
        ("hashAlgorithm", cms.DigestAlgorithm),
        ("dataGroupHashValues", DataGroupHashes),
        ("ldsVersionInfo", LdsVersionInfo, {"optional": True}),
    ]


@dataclass(frozen=True)
class PassiveResult:
    """The verdict and why (``reason`` is a code for logs and the technician, never personal data)."""

    status: Authenticity
    reason: str
    checked: tuple[int, ...] = ()  # data group numbers whose hash matched

    @property
    def label_vi(self) -> str:
        return LABELS_VI[self.status]


_HASHES = {"sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256, "sha384": hashes.SHA384,
           "sha512": hashes.SHA512}


def _hash(name: str, data: bytes) -> bytes:
    return hashlib.new(name, data).digest()


def load_csca(folder: str | Path | None) -> list[x509.Certificate]:
    """Every PEM or DER certificate in ``folder`` (files that are neither are skipped)."""
    if not folder:
        return []
    path = Path(folder)
    if not path.is_dir():
        return []
    certs: list[x509.Certificate] = []
    for f in sorted(path.iterdir()):
        if not f.is_file():
            continue
        raw = f.read_bytes()
        try:
            if b"-----BEGIN CERTIFICATE-----" in raw:
                certs.extend(x509.load_pem_x509_certificates(raw))
            else:
                certs.append(x509.load_der_x509_certificate(raw))
        except ValueError:
            continue
    return certs


def _verify(public_key: object, signature: bytes, data: bytes, algo: str, hash_name: str,
            params: object | None) -> None:
    h = _HASHES[hash_name]()
    if isinstance(public_key, rsa.RSAPublicKey):
        if algo == "rsassa_pss":
            salt = int(params["salt_length"].native) if params is not None else h.digest_size  # type: ignore[index]
            public_key.verify(signature, data, padding.PSS(padding.MGF1(h), salt), h)
        else:
            public_key.verify(signature, data, padding.PKCS1v15(), h)
    elif isinstance(public_key, ec.EllipticCurvePublicKey):
        public_key.verify(signature, data, ec.ECDSA(h))
    else:
        raise InvalidSignature("unsupported DS key type")


def verify(sod: bytes, data_groups: dict[int, bytes], csca: list[x509.Certificate] | None) -> PassiveResult:
    """Passive authentication of the data groups read (number → file bytes) against EF.SOD."""
    try:
        content_info = cms.ContentInfo.load(tlv.one(sod, 0x77))
        signed = content_info["content"]
        encap = signed["encap_content_info"]
        if encap["content_type"].dotted != LDS_SECURITY_OBJECT:
            return PassiveResult("invalid", "sod_content_type")
        lds_der = bytes(encap["content"].contents)  # the eContent OCTET STRING's value: the signed bytes
        lds = LdsSecurityObject.load(lds_der)
        hash_name = lds["hashAlgorithm"]["algorithm"].native
        expected = {int(h["dataGroupNumber"].native): h["dataGroupHashValue"].native
                    for h in lds["dataGroupHashValues"]}
    except (ValueError, KeyError, TypeError, AttributeError):
        return PassiveResult("invalid", "sod_unreadable")
    if hash_name not in _HASHES:
        return PassiveResult("invalid", "sod_hash_algorithm")
    checked = []
    for number, content in sorted(data_groups.items()):
        want = expected.get(number)
        if want is None or not hmac.compare_digest(_hash(hash_name, content), want):
            return PassiveResult("invalid", f"dg{number}_hash")
        checked.append(number)
    # The SOD's own signature, by the DS certificate it carries.
    try:
        signer = signed["signer_infos"][0]
        certs = [c.chosen for c in signed["certificates"] if c.name == "certificate"]
        ds_asn1 = _signer_certificate(signer, certs)
        ds = x509.load_der_x509_certificate(ds_asn1.dump())
        signed_attrs = signer["signed_attrs"]
        digest_name = signer["digest_algorithm"]["algorithm"].native
        message_digest = next(a["values"][0].native for a in signed_attrs if a["type"].native == "message_digest")
        if not hmac.compare_digest(_hash(digest_name, lds_der), message_digest):
            return PassiveResult("invalid", "sod_message_digest", tuple(checked))
        to_verify = b"\x31" + signed_attrs.dump()[1:]  # signed over the DER SET OF, not the [0] tag (RFC 5652 §5.4)
        algo = signer["signature_algorithm"]
        _verify(ds.public_key(), signer["signature"].native, to_verify, algo.signature_algo, digest_name,
                algo["parameters"] if algo.signature_algo == "rsassa_pss" else None)
    except InvalidSignature:
        return PassiveResult("invalid", "sod_signature", tuple(checked))
    except (ValueError, KeyError, TypeError, StopIteration, IndexError):
        return PassiveResult("invalid", "sod_signer_unreadable", tuple(checked))
    if not csca:
        return PassiveResult("unverified", "no_csca_list", tuple(checked))
    issuers = [c for c in csca if c.subject == ds.issuer]
    if not issuers:
        return PassiveResult("unverified", "csca_not_listed", tuple(checked))
    for ca in issuers:
        try:
            ds.verify_directly_issued_by(ca)
            return PassiveResult("authentic", "ok", tuple(checked))
        except (InvalidSignature, ValueError, TypeError):
            continue
    return PassiveResult("invalid", "ds_certificate_signature", tuple(checked))


def _signer_certificate(signer: cms.SignerInfo, certs: list) -> object:  # type: ignore[type-arg]
    sid = signer["sid"]
    for cert in certs:
        if sid.name == "issuer_and_serial_number":
            if cert.issuer == sid.chosen["issuer"] and cert.serial_number == sid.chosen["serial_number"].native:
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    raise ValueError("no DS certificate for the signer in the SOD")
