// A real, OpenID-certified provider (node-oidc-provider) for the single sign-on tests.
//
// Started by tests/auth/oidc_fixture.py with the configuration as JSON in OIDC_TEST_CONFIG:
//   { "clients": [{client_id, client_secret, redirect_uris, post_logout_redirect_uris}],
//     "accounts": { "<login>": { email, email_verified, name, roles } } }
// It listens on a free loopback port and prints "READY <issuer>" on stdout. Served over http on
// 127.0.0.1 because this is a test: production refuses an http issuer.
//
// Sign-in uses the provider's development interactions: the login form takes any account id
// from `accounts` (the password is not checked), and consent is given in advance (as an admin
// consent in Entra ID would be). For the negative tests, POST /__test__/clock?offset=SECONDS
// moves the provider's clock (an ID token issued two hours "ago" has expired).
import http from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_TEST_CONFIG || '{}');
const accounts = config.accounts || {};

let offsetSeconds = 0;
const realNow = Date.now;
Date.now = () => realNow() + offsetSeconds * 1000;

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: (config.clients || []).map((client) => ({
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      ...client,
    })),
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'roles'],
    },
    // Put the scope's claims into the ID token (as Entra ID does); the app reads only the token.
    conformIdTokenClaims: false,
    pkce: { methods: ['S256'], required: () => true },
    cookies: { keys: ['lotsbok-test-provider-key'] },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    async findAccount(ctx, id) {
      const account = accounts[id];
      if (!account) return undefined;
      return {
        accountId: id,
        async claims() {
          return { sub: id, ...account };
        },
      };
    },
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  provider.on('server_error', (ctx, error) => console.error('server_error', error));
  const handle = provider.callback();
  server.on('request', (req, res) => {
    const url = new URL(req.url, issuer);
    if (url.pathname === '/__test__/clock' && req.method === 'POST') {
      offsetSeconds = Number(url.searchParams.get('offset') || 0);
      res.writeHead(204).end();
      return;
    }
    handle(req, res);
  });
  process.stdout.write(`READY ${issuer}\n`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
