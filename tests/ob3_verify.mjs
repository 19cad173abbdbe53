// An independent Open Badges 3.0 verifier for the test suite: Digital
// Bazaar's Verifiable Credentials libraries (npm devDependencies), which this
// project does not ship. Reads on stdin
//   {"credentials": [...], "documents": {url: document},
//    "contexts_dir": path, "context_urls": {file name: url},
//    "canonize": [documents]}
// and prints {"results": [{"verified", "status", "revoked", "errors"}],
// "canonical": [N-Quads]}: one result per credential, and the RDFC-1.0
// canonical form of each document of "canonize" (jsonld.js/rdf-canonize).
// No network: contexts come from the site's JSON-LD copies in contexts_dir,
// every other URL (keys, status lists) from "documents", fetched from the
// site by the Python test.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';

import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import * as vc from '@digitalbazaar/vc';
import jsonld from 'jsonld';

const input = JSON.parse(readFileSync(0, 'utf8'));
const documents = new Map(Object.entries(input.documents || {}));
for(const [name, url] of Object.entries(input.context_urls)) {
  documents.set(url, JSON.parse(readFileSync(join(input.contexts_dir, name), 'utf8')));
}

async function documentLoader(url) {
  if(!documents.has(url)) {
    throw new Error(`No local document for ${url}`);
  }
  return {contextUrl: null, documentUrl: url, document: documents.get(url)};
}

function messages(error, into = []) {
  if(!error) {
    return into;
  }
  for(const one of [error].flat()) {
    into.push(String((one && (one.message || one.name)) || one));
    if(one && one.errors) {
      messages(one.errors, into);
    }
  }
  return into;
}

async function verify(credential) {
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  const result = await vc.verifyCredential({
    credential, suite, documentLoader,
    checkStatus: credential.credentialStatus ? checkStatus : undefined,
  });
  const errors = [];
  if(!result.verified) {
    messages(result.error, errors);
    for(const one of result.results || []) {
      messages(one.error, errors);
    }
  }
  // The status check itself (list loaded, signed by the same issuer) and
  // the bit it read: 1 means revoked.
  let status = null;
  let revoked = null;
  if(result.statusResult) {
    status = result.statusResult.verified;
    messages(result.statusResult.error, errors);
    const results = result.statusResult.results || [result.statusResult];
    revoked = results.some(one => one.status === true);
  }
  return {verified: result.verified, status, revoked, errors};
}

const results = [];
for(const credential of input.credentials || []) {
  results.push(await verify(credential));
}
const canonical = [];
for(const document of input.canonize || []) {
  canonical.push(await jsonld.canonize(document, {
    algorithm: 'RDFC-1.0', format: 'application/n-quads', documentLoader,
    safe: true
  }));
}
process.stdout.write(JSON.stringify({results, canonical}) + '\n');
