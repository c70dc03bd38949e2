"""A test CSCA → document signer chain and an EF.SOD signed by it (cryptography + asn1crypto).

The SOD is built as ICAO 9303 Part 10 §4.6 and RFC 5652 describe it: a CMS SignedData whose
eContent is the LDSSecurityObject (OID 2.23.136.1.1.1), signed attributes (content type,
message digest), the DS certificate inside. Made fresh in each test session: nothing of a real
state's PKI is used or shipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import algos, cms, core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

from kiosk.identity.chip.passive import LDS_SECURITY_OBJECT, LdsSecurityObject


@dataclass
class Chain:
    csca_key: object
    csca_cert: x509.Certificate
    ds_key: object
    ds_cert: x509.Certificate

    def write_csca(self, folder: Path, der: bool = False) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / ("csca.der" if der else "csca.pem")
        enc = serialization.Encoding.DER if der else serialization.Encoding.PEM
        path.write_bytes(self.csca_cert.public_bytes(enc))
        return folder


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _cert(subject: str, issuer: str, public_key: object, signing_key: object, ca: bool) -> x509.Certificate:
    now = dt.datetime.now(dt.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
               .public_key(public_key).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=3650))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True))
    return builder.sign(signing_key, hashes.SHA256())  # type: ignore[arg-type]


def make_chain(ds_rsa: bool = False, csca_name: str = "Test CSCA Vietnam") -> Chain:
    """CSCA (ECDSA P-256) → DS (ECDSA P-256, or RSA-2048 for the PKCS #1 path)."""
    csca_key = ec.generate_private_key(ec.SECP256R1())
    csca_cert = _cert(csca_name, csca_name, csca_key.public_key(), csca_key, ca=True)
    ds_key = rsa.generate_private_key(65537, 2048) if ds_rsa else ec.generate_private_key(ec.SECP256R1())
    ds_cert = _cert("Test Document Signer", csca_name, ds_key.public_key(), csca_key, ca=False)
    return Chain(csca_key, csca_cert, ds_key, ds_cert)


def build_sod(data_groups: dict[int, bytes], chain: Chain, hash_name: str = "sha256") -> bytes:
    """EF.SOD (tag 0x77) over these data group files."""
    lds = LdsSecurityObject({
        "version": 0,
        "hashAlgorithm": {"algorithm": hash_name},
        "dataGroupHashValues": [{"dataGroupNumber": n, "dataGroupHashValue": hashlib.new(hash_name, d).digest()}
                                for n, d in sorted(data_groups.items())],
    }).dump()
    signed_attrs = cms.CMSAttributes([
        cms.CMSAttribute({"type": "content_type", "values": [cms.ContentType(LDS_SECURITY_OBJECT)]}),
        cms.CMSAttribute({"type": "message_digest", "values": [hashlib.new(hash_name, lds).digest()]}),
    ])
    to_sign = signed_attrs.dump()  # a SET OF: its DER is what is signed (RFC 5652 §5.4)
    h = {"sha256": hashes.SHA256(), "sha1": hashes.SHA1(), "sha384": hashes.SHA384()}[hash_name]
    key = chain.ds_key
    if isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(to_sign, padding.PKCS1v15(), h)
        sig_algo = {"algorithm": "rsassa_pkcs1v15"}
    else:
        signature = key.sign(to_sign, ec.ECDSA(h))  # type: ignore[union-attr]
        sig_algo = {"algorithm": f"{hash_name}_ecdsa"}
    ds = asn1_x509.Certificate.load(chain.ds_cert.public_bytes(serialization.Encoding.DER))
    signer = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber(
            {"issuer": ds.issuer, "serial_number": ds.serial_number})}),
        "digest_algorithm": algos.DigestAlgorithm({"algorithm": hash_name}),
        "signed_attrs": signed_attrs,
        "signature_algorithm": algos.SignedDigestAlgorithm(sig_algo),
        "signature": signature,
    })
    signed_data = cms.SignedData({
        "version": "v3",
        "digest_algorithms": [algos.DigestAlgorithm({"algorithm": hash_name})],
        "encap_content_info": {"content_type": LDS_SECURITY_OBJECT, "content": core.ParsableOctetString(lds)},
        "certificates": [ds],
        "signer_infos": [signer],
    })
    info = cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()
    n = len(info)
    length = bytes([n]) if n < 0x80 else bytes([0x82]) + n.to_bytes(2, "big")
    return b"\x77" + length + info
