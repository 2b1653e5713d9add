#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A registry token server (the Docker token auth flow), for tests.

    token_server.py DIR PORT [--user U --password P] [--anonymous]

Makes DIR/key.pem and DIR/cert.pem (RSA, self-signed, with openssl) on
first use; docker-registry trusts DIR/cert.pem as `rootcertbundle`.  GET
/token?service=S&scope=repository:NAME:pull answers {"token": JWT} signed
RS256 with the key (the certificate in the x5c header), issuer
"kdeck-test-issuer".  With --user, requests must carry those Basic
credentials (wrong ones get 401); --anonymous also serves requests
without any.  Serves on 127.0.0.1 until killed.
"""
import argparse, base64, http.server, json, os, subprocess, sys, time
import urllib.parse

ISSUER = "kdeck-test-issuer"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def ensure_key(d):
    key, cert = os.path.join(d, "key.pem"), os.path.join(d, "cert.pem")
    if not os.path.exists(cert):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                        "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                        "-subj", "/CN=kdeck-test-token"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    der = subprocess.run(["openssl", "x509", "-in", cert, "-outform", "DER"],
                         check=True, stdout=subprocess.PIPE).stdout
    return key, base64.b64encode(der).decode()


def sign(key, data):
    return subprocess.run(["openssl", "dgst", "-sha256", "-sign", key],
                          input=data, check=True,
                          stdout=subprocess.PIPE).stdout


def make_token(key, x5c, service, scope, subject):
    access = []
    for s in scope.split(" ") if scope else []:
        parts = s.split(":")
        if len(parts) >= 3:
            access.append({"type": parts[0], "name": ":".join(parts[1:-1]),
                           "actions": parts[-1].split(",")})
    now = int(time.time())
    header = {"typ": "JWT", "alg": "RS256", "x5c": [x5c]}
    claims = {"iss": ISSUER, "sub": subject, "aud": service,
              "exp": now + 600, "nbf": now - 60, "iat": now,
              "jti": "%d-%d" % (now, os.getpid()), "access": access}
    signing = (b64url(json.dumps(header).encode()) + "." +
               b64url(json.dumps(claims).encode())).encode()
    return signing.decode() + "." + b64url(sign(key, signing))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("port", type=int)
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--anonymous", action="store_true")
    a = ap.parse_args()
    key, x5c = ensure_key(a.dir)
    want = None
    if a.user:
        want = "Basic " + base64.b64encode(
            ("%s:%s" % (a.user, a.password)).encode()).decode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            u = urllib.parse.urlparse(self.path)
            q = urllib.parse.parse_qs(u.query)
            got = self.headers.get("Authorization")
            if u.path != "/token":
                self.send_response(404)
                self.end_headers()
                return
            if (got and got != want) or (not got and not a.anonymous):
                self.send_response(401)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"details":"incorrect credentials"}')
                return
            tok = make_token(key, x5c, q.get("service", [""])[0],
                             q.get("scope", [""])[0],
                             a.user if got else "")
            body = json.dumps({"token": tok, "expires_in": 600}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    http.server.HTTPServer(("127.0.0.1", a.port), Handler).serve_forever()


if __name__ == "__main__":
    sys.exit(main())
