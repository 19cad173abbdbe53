"""Open Badges 3.0 beside the hosted 2.0 badges: every awarded badge is also
an OpenBadgeCredential signed with a Data Integrity proof (eddsa-rdfc-2022).

- `jsonld`: the contexts kept here and RDFC-1.0 canonicalisation (pyld);
- `dataintegrity`: eddsa-rdfc-2022 proofs (cryptography, base58);
- `keys`: the issuer's keys, files outside the database, and their rotation;
- `documents`: the credential, key and status list documents;
- `status`: Bitstring Status List revocation;
- `baking`: baked PNG and SVG;
- `issuing`: the rule called by resources/awarding.py and the views.
"""
