// A stand-in OAuth2 token endpoint (client-credentials grant, RFC 6749 section 4.4) so that the
// compose example runs the reference pipeline's oauth2client without a real identity provider.
// It checks the client's credentials (form fields or HTTP Basic) against its own environment and
// issues random bearer tokens. Not for production: tokens are not checked by anyone.
//
//   TOKEN_CLIENT_ID=demo TOKEN_CLIENT_SECRET=s3cret PORT=8080 node token-server.mjs
//   curl -d grant_type=client_credentials -u demo:s3cret http://localhost:8080/oauth/token
import { createServer } from "node:http";
import { randomBytes, timingSafeEqual } from "node:crypto";

const clientId = process.env.TOKEN_CLIENT_ID || "";
const clientSecret = process.env.TOKEN_CLIENT_SECRET || "";
const port = Number(process.env.PORT || 8080);
const expiresIn = Number(process.env.TOKEN_EXPIRES_IN || 3600);
if (!clientId || !clientSecret) {
  console.error("token-server: set TOKEN_CLIENT_ID and TOKEN_CLIENT_SECRET");
  process.exit(1);
}

const same = (a, b) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function credentials(req, form) {
  const auth = req.headers.authorization || "";
  if (auth.startsWith("Basic ")) {
    // RFC 6749 2.3.1: both parts are form-encoded before Basic encoding.
    const [id, secret] = Buffer.from(auth.slice(6), "base64").toString().split(":");
    const decode = (s) => decodeURIComponent((s || "").replace(/\+/g, " "));
    return [decode(id), decode(secret)];
  }
  return [form.get("client_id") || "", form.get("client_secret") || ""];
}

function reply(res, status, body) {
  res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
  res.end(JSON.stringify(body));
}

const server = createServer((req, res) => {
  if (req.url !== "/oauth/token") return reply(res, 404, { error: "not_found" });
  if (req.method !== "POST") return reply(res, 405, { error: "invalid_request" });
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk) => {
    body += chunk;
    if (body.length > 65536) req.destroy();
  });
  req.on("end", () => {
    const form = new URLSearchParams(body);
    if (form.get("grant_type") !== "client_credentials") {
      return reply(res, 400, { error: "unsupported_grant_type" });
    }
    const [id, secret] = credentials(req, form);
    if (!same(id, clientId) || !same(secret, clientSecret)) {
      console.log(`refused client "${id}"`);
      return reply(res, 401, { error: "invalid_client" });
    }
    console.log(`token issued to "${id}" (audience ${form.get("audience") || "-"})`);
    reply(res, 200, { access_token: randomBytes(24).toString("hex"), token_type: "Bearer", expires_in: expiresIn });
  });
});
server.listen(port, "0.0.0.0", () => console.log(`token-server on :${port}/oauth/token`));
for (const sig of ["SIGTERM", "SIGINT"]) process.on(sig, () => server.close(() => process.exit(0)));
