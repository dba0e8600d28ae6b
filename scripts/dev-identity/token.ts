/**
 * npm run token -- --role clinician --scope 'user/*.*' [--patient ID] [--sub ID] [--expires 8h]
 * prints a token of the development issuer (roles and scopes may repeat, or be space-separated).
 */
import { SignJWT } from 'jose';
import { parseArgs } from 'node:util';
import { identityDir, loadOrCreateKey, readIssuer, refuseInProduction } from './dev-identity';

async function main(): Promise<void> {
  refuseInProduction('npm run token');
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true, default: [] },
      scope: { type: 'string', multiple: true, default: [] },
      patient: { type: 'string' },
      sub: { type: 'string' },
      expires: { type: 'string', default: '8h' },
    },
  });
  const dir = identityDir();
  const issuer = readIssuer(dir);
  if (!issuer) {
    process.stderr.write('No development issuer yet: start the API with `npm start` first.\n');
    process.exit(1);
  }
  const roles = values.role.flatMap((role) => role.split(/[\s,]+/)).filter(Boolean);
  const { privateKey, publicJwk } = await loadOrCreateKey(dir);
  const token = await new SignJWT({
    roles,
    scope: values.scope.join(' '),
    azp: 'dev-cli',
    ...(values.patient ? { patient: values.patient } : {}),
  })
    .setProtectedHeader({ alg: 'ES256', kid: publicJwk.kid, typ: 'JWT' })
    .setSubject(values.sub ?? `dev-${roles[0] ?? 'user'}`)
    .setIssuer(issuer.issuer)
    .setAudience(issuer.audience)
    .setIssuedAt()
    .setExpirationTime(values.expires)
    .sign(privateKey);
  process.stdout.write(`${token}\n`);
}

void main();
