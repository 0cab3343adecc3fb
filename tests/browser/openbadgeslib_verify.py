"""Verifies one Open Badges 3.0 Data Integrity credential with openbadgeslib, offline.

Usage: python openbadgeslib_verify.py FILE
Prints "verified <issuer> <name>" and exits 0, or prints the error and exits 1.
"""
import sys

from openbadgeslib.ob3.ldp import OB3LdpVerifier
from openbadgeslib.ob3.verifier import OB3VerificationError

with open(sys.argv[1], 'rb') as f:
    document = f.read()
try:
    # No pinned key: the did:key issuer is resolved offline, and must own the proof's key.
    credential = OB3LdpVerifier().verify(document)
except OB3VerificationError as error:
    print('not verified:', error)
    sys.exit(1)
print('verified', credential.issuer.id, credential.name)
