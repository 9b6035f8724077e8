#!/usr/bin/env bash
# Authenticode-sign the Windows installers (.exe, .msi) with osslsigncode, then verify.
# CI and a release both run this; only the key source differs (README.md beside this file).
#
#   installer/windows/sign.sh [--test-cert] FILE...
#
# Key source, first match wins:
#   SIGN_PKCS11_MODULE + SIGN_KEY_URI + SIGN_CERTS   the release: a hardware token or a
#       cloud HSM behind a PKCS#11 module (the key never leaves it); SIGN_CERTS is the
#       certificate chain (PEM); SIGN_PKCS11_ENGINE for osslsigncode builds that need the
#       OpenSSL engine (libengine-pkcs11-openssl) rather than a provider.
#   SIGN_PKCS12 (+ SIGN_PKCS12_PASSWORD)             a .pfx file: only for test certificates
#       (public code-signing keys cannot be exported since June 2023).
#   --test-cert                                      a throw-away self-signed certificate made
#       here with openssl, for CI runs without a secret; verified against itself.
# SIGN_TIMESTAMP_URL (optional): an RFC 3161 time-stamping server, so signatures outlive
# the certificate. SIGN_CA_FILE (optional): the CA bundle verify checks against.
set -euo pipefail

die() { echo "sign.sh: $*" >&2; exit 1; }
command -v osslsigncode >/dev/null 2>&1 ||
  die "osslsigncode is not installed (Debian/Ubuntu: apt-get install osslsigncode)."

test_cert=0
if [ "${1:-}" = "--test-cert" ]; then test_cert=1; shift; fi
[ "$#" -gt 0 ] || die "usage: sign.sh [--test-cert] FILE..."

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

key_args=()
ca_file="${SIGN_CA_FILE:-}"
if [ -n "${SIGN_PKCS11_MODULE:-}" ]; then
  [ -n "${SIGN_KEY_URI:-}" ] && [ -n "${SIGN_CERTS:-}" ] ||
    die "SIGN_PKCS11_MODULE needs SIGN_KEY_URI (pkcs11:…) and SIGN_CERTS (the chain, PEM)."
  key_args=(-pkcs11module "$SIGN_PKCS11_MODULE" -key "$SIGN_KEY_URI" -certs "$SIGN_CERTS")
  if [ -n "${SIGN_PKCS11_ENGINE:-}" ]; then key_args+=(-pkcs11engine "$SIGN_PKCS11_ENGINE"); fi
elif [ -n "${SIGN_PKCS12:-}" ]; then
  [ -f "$SIGN_PKCS12" ] || die "SIGN_PKCS12 points to $SIGN_PKCS12, which does not exist."
  key_args=(-pkcs12 "$SIGN_PKCS12")
  if [ -n "${SIGN_PKCS12_PASSWORD:-}" ]; then
    printf '%s' "$SIGN_PKCS12_PASSWORD" >"$tmp/pass"
    key_args+=(-readpass "$tmp/pass")
  fi
elif [ "$test_cert" = 1 ]; then
  command -v openssl >/dev/null 2>&1 || die "openssl is needed for --test-cert."
  openssl req -x509 -newkey rsa:3072 -nodes -days 2 -sha256 \
    -subj "/CN=CRM WhatsApp TEST - not for release" \
    -addext "extendedKeyUsage=codeSigning" -addext "keyUsage=critical,digitalSignature" \
    -keyout "$tmp/test.key" -out "$tmp/test.pem" >/dev/null 2>&1 ||
    die "openssl could not make the test certificate."
  key_args=(-certs "$tmp/test.pem" -key "$tmp/test.key")
  ca_file="$tmp/test.pem"
  echo "sign.sh: signing with a throw-away TEST certificate (not trusted by Windows)" >&2
else
  die "no signing key: set SIGN_PKCS11_MODULE/SIGN_KEY_URI/SIGN_CERTS or SIGN_PKCS12, or pass --test-cert."
fi

ts_args=()
if [ -n "${SIGN_TIMESTAMP_URL:-}" ]; then ts_args=(-ts "$SIGN_TIMESTAMP_URL"); fi

for file in "$@"; do
  [ -f "$file" ] || die "$file does not exist."
  case "$file" in *.exe | *.msi) ;; *) die "$file is neither an .exe nor an .msi." ;; esac
  osslsigncode sign "${key_args[@]}" "${ts_args[@]}" -h sha256 \
    -n "CRM WhatsApp" -in "$file" -out "$tmp/signed" >"$tmp/log" 2>&1 ||
    die "osslsigncode could not sign $file: $(tail -n 3 "$tmp/log" | tr '\n' ' ')"
  mv "$tmp/signed" "$file"
  verify_args=(-in "$file")
  if [ -n "$ca_file" ]; then verify_args+=(-CAfile "$ca_file"); fi
  osslsigncode verify "${verify_args[@]}" >"$tmp/log" 2>&1 ||
    die "the signature on $file does not verify: $(grep -i -m2 'fail\|error' "$tmp/log" | tr '\n' ' ')"
  echo "signed and verified: $file"
done
