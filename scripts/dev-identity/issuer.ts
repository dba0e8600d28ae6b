/**
 * The development OIDC issuer `npm start` runs on 127.0.0.1:PORT: a discovery document and the JWKS of the key
 * under DATA_DIR/dev-identity, which `npm run token` signs with. Usage: issuer.ts PORT
 */
import { createServer } from 'node:http';
import { DEV_AUDIENCE, identityDir, loadOrCreateKey, refuseInProduction, writeIssuer } from './dev-identity';

async function main(): Promise<void> {
  refuseInProduction('The development issuer');
  const port = Number(process.argv[2]);
  const issuer = `http://127.0.0.1:${port}`;
  const dir = identityDir();
  const { publicJwk } = await loadOrCreateKey(dir);
  const documents: Record<string, unknown> = {
    '/.well-known/openid-configuration': { issuer, jwks_uri: `${issuer}/jwks` },
    '/jwks': { keys: [publicJwk] },
  };
  const server = createServer((req, res) => {
    const body = documents[req.url ?? ''];
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  server.listen(port, '127.0.0.1', () => writeIssuer(dir, { issuer, audience: DEV_AUDIENCE }));
}

void main();
