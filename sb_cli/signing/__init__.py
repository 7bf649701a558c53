"""Electronic justering (SPEC §12): PAdES signatures on a rendered protocol (`sign`), the archival
completion with validation data and a document timestamp (`complete`), and their verification
(`verify`). pyHanko is imported inside the functions for a fast CLI start."""

import logging
import warnings

# pyHanko logs what it finds (an untrusted chain, a wrong password) with tracebacks; sb says it in
# Swedish instead, so the records go nowhere rather than to Python's last-resort handler on stderr.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
# pyHanko imports cryptography's DSA names; the warning about them is cryptography's, not the user's.
warnings.filterwarnings("ignore", message="DSA is deprecated")
