// One provider per child process, so the load driver never shares its event loop: ours (the
// built dist/provider.js), oauth2-mock-server, and oidc-provider set up to sign in without a page.
// Usage: node --expose-gc bench/servers.mjs <jwt-vs-oauth|oauth2-mock-server|oidc-provider>
// It sends {issuer} over IPC once listening, and answers {type: 'memory'} with the heap in use.

import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';

export const USER = { sub: '104392857361829475620', email: 'asha@example.com', name: 'Asha Rao' };
export const CLIENT = { id: 'demo-app', secret: 'demo-secret', redirectUri: 'http://127.0.0.1:8080/callback' };

async function startOurs() {
  const { startProvider } = await import('../dist/provider.js');
  const provider = await startProvider({ port: 0, autoApprove: true });
  return provider.issuer;
}

async function startOauth2MockServer() {
  const { OAuth2Server } = await import('oauth2-mock-server');
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  return server.issuer.url;
}

async function startOidcProvider() {
  const { default: Provider } = await import('oidc-provider');
  const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const http = createServer();
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${http.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{ client_id: CLIENT.id, client_secret: CLIENT.secret, redirect_uris: [CLIENT.redirectUri], token_endpoint_auth_method: 'client_secret_basic' }],
    jwks: { keys: [{ ...jwk, alg: 'RS256', use: 'sig', kid: 'bench' }] },
    cookies: { keys: ['bench-cookie-key'] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: async (_context, sub) => ({ accountId: sub, claims: async () => ({ sub, email: USER.email, email_verified: true, name: USER.name }) }),
    // Sign in without a page: every interaction finishes at once, and the grant already exists.
    interactions: { url: (_context, interaction) => `/interaction/${interaction.uid}` },
    loadExistingGrant: async (context) => {
      const grant = new context.oidc.provider.Grant({ clientId: context.oidc.client.clientId, accountId: context.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    // DPoP on, as ours has it: a request without a proof still gets Bearer tokens.
    features: { devInteractions: { enabled: false }, dPoP: { enabled: true } },
  });
  const callback = provider.callback();
  http.on('request', async (request, response) => {
    if (request.url.startsWith('/interaction/')) {
      await provider.interactionFinished(request, response, { login: { accountId: USER.sub } }, { mergeWithLastSubmission: false });
      return;
    }
    callback(request, response);
  });
  return issuer;
}

const starters = { 'jwt-vs-oauth': startOurs, 'oauth2-mock-server': startOauth2MockServer, 'oidc-provider': startOidcProvider };
const issuer = await starters[process.argv[2]]();
process.on('message', (message) => {
  if (message.type === 'stop') process.exit(0);
  if (message.type !== 'memory') return;
  globalThis.gc?.();
  globalThis.gc?.();
  process.send({ type: 'memory', heapUsed: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss, cpu: process.cpuUsage() });
});
process.send({ type: 'ready', issuer });
