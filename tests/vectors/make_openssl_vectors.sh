#!/usr/bin/env bash
# Regenerates the signature and ElGamal fixtures in this folder:
#   ecdsa.txt  ECDSA P-256/384/521 (SHA-256/384/512), keys and signatures made by `openssl`
#   rsa.txt    RSA PKCS#1 v1.5 2048/3072/4096 (SHA-256/384/512), by `openssl`; rsa_cert.pem and
#              ec_cert.pem are self-signed certificates for the certificate-based verify
#   dsa.txt    DSA-SHA1 with I2P's fixed p, q, g (cryptography.rst, "DSA"), by `openssl`
#   elgamal.txt ElGamal-2048 ciphertexts computed with Python's integers (no OpenSSL involved)
# All values are in I2P's raw layouts: ECDSA public x||y and signature r||s padded to the
# curve size; DSA public y (128 bytes) and r||s (20 + 20); RSA modulus big-endian.
# Keys are fresh on every run, so the output differs each time; commit what one run wrote.
# Needs: bash, openssl 3, python3 (stdlib only). Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Raw big-endian bytes of the INTEGERs in a DER SEQUENCE (a signature), each padded to $2 bytes.
der_sig_to_raw() {
    openssl asn1parse -inform DER -in "$1" | awk -F: '/INTEGER/ {print $NF}' |
        python3 -c 'import sys; w=int(sys.argv[1]); print("".join(l.strip().rjust(2*w,"0") for l in sys.stdin).lower())' "$2"
}

# The hex of a field printed by `openssl pkey -text` (e.g. "pub:"), without colons.
pkey_field() {
    openssl pkey -in "$1" -text -noout |
        python3 -c 'import sys,re
t=sys.stdin.read(); m=re.search(r"^"+re.escape(sys.argv[1])+r"\s*\n((?:\s+[0-9a-f:]+\n)+)", t, re.M)
print(re.sub(r"[^0-9a-f]","",m.group(1)))' "$2"
}

message() { printf 'umbra %s fixture: %s' "$1" "$2"; }

{
    echo "# ECDSA fixtures made by make_openssl_vectors.sh (openssl $(openssl version | cut -d' ' -f2))."
    echo "# CURVE, PUBLIC (x||y), MESSAGE, SIGNATURE (r||s)."
    for spec in "p256 P-256 sha256 32" "p384 P-384 sha384 48" "p521 P-521 sha512 66"; do
        read -r name curve hash size <<<"$spec"
        openssl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:$curve" -out "$work/ec.pem"
        pub=$(openssl pkey -in "$work/ec.pem" -pubout -outform DER | tail -c $((2 * size)) | xxd -p | tr -d '\n')
        for i in 1 2; do
            message "$name" "$i" >"$work/msg"
            openssl dgst "-$hash" -sign "$work/ec.pem" -out "$work/sig.der" "$work/msg"
            echo
            echo "CURVE = $name"
            echo "PUBLIC = $pub"
            echo "MESSAGE = $(xxd -p "$work/msg" | tr -d '\n')"
            echo "SIGNATURE = $(der_sig_to_raw "$work/sig.der" "$size")"
        done
    done
} >ecdsa.txt

{
    echo "# RSA PKCS#1 v1.5 fixtures made by make_openssl_vectors.sh (e = 65537)."
    echo "# HASH, MODULUS (big-endian), MESSAGE, SIGNATURE; CERT names a PEM file in this folder"
    echo "# holding a self-signed certificate for the same key."
    for spec in "sha256 2048" "sha384 3072" "sha512 4096"; do
        read -r hash bits <<<"$spec"
        openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$bits" -out "$work/rsa.pem" 2>/dev/null
        modulus=$(openssl rsa -in "$work/rsa.pem" -modulus -noout | cut -d= -f2 | tr 'A-F' 'a-f')
        message "rsa-$hash" 1 >"$work/msg"
        openssl dgst "-$hash" -sign "$work/rsa.pem" -out "$work/sig.bin" "$work/msg"
        echo
        echo "HASH = $hash"
        echo "MODULUS = $modulus"
        echo "MESSAGE = $(xxd -p "$work/msg" | tr -d '\n')"
        echo "SIGNATURE = $(xxd -p "$work/sig.bin" | tr -d '\n')"
        if [ "$bits" = 4096 ]; then
            openssl req -x509 -new -key "$work/rsa.pem" -subj "/CN=umbra test signer" \
                -days 36500 -sha512 -out rsa_cert.pem
            echo "CERT = rsa_cert.pem"
        fi
    done
} >rsa.txt
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/ec.pem"
openssl req -x509 -new -key "$work/ec.pem" -subj "/CN=umbra test ec signer" -days 36500 \
    -out ec_cert.pem

# I2P's DSA group as a PEM "DSA PARAMETERS" file: DER SEQUENCE { p, q, g }.
python3 - "$work/dsaparam.pem" <<'PY'
import base64, sys
p = int("9C05B2AA960D9B97B8931963C9CC9E8C3026E9B8ED92FAD0A69CC886D5BF8015FCADAE31A0AD18FA"
        "B3F01B00A358DE237655C4964AFAA2B337E96AD316B9FB1CC564B5AEC5B69A9FF6C3E4548707FEF8"
        "503D91DD8602E867E6D35D2235C1869CE2479C3B9D5401DE04E0727FB33D6511285D4CF29538D9E3"
        "B6051F5B22CC1C93", 16)
q = int("A5DFC28FEF4CA1E286744CD8EED9D29D684046B7", 16)
g = int("0C1F4D27D40093B429E962D7223824E0BBC47E7C832A39236FC683AF84889581075FF9082ED32353"
        "D4374D7301CDA1D23C431F4698599DDA02451824FF369752593647CC3DDC197DE985E43D136CDCFC"
        "6BD5409CD2F450821142A5E6F8EB1C3AB5D0484B8129FCF17BCE4F7F33321C3CB3DBB14A905E7B2B"
        "3E93BE4708CBCC82", 16)
def length(n):
    return bytes([n]) if n < 128 else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes((n.bit_length() + 7) // 8, "big")
def integer(v):
    b = v.to_bytes(v.bit_length() // 8 + 1, "big")  # leading zero keeps it positive
    return b"\x02" + length(len(b)) + b
body = integer(p) + integer(q) + integer(g)
der = b"\x30" + length(len(body)) + body
b64 = base64.encodebytes(der).decode()
open(sys.argv[1], "w").write("-----BEGIN DSA PARAMETERS-----\n" + b64 + "-----END DSA PARAMETERS-----\n")
PY
{
    echo "# DSA-SHA1 fixtures with I2P's fixed group, made by make_openssl_vectors.sh."
    echo "# PUBLIC (y, 128 bytes), MESSAGE, SIGNATURE (r||s, 20 bytes each)."
    for k in 1 2; do
        openssl genpkey -paramfile "$work/dsaparam.pem" -out "$work/dsa.pem"
        pub=$(pkey_field "$work/dsa.pem" pub: | python3 -c 'import sys; print(sys.stdin.read().strip().lstrip("0").rjust(256,"0"))')
        for i in 1 2; do
            message dsa "$k.$i" >"$work/msg"
            openssl dgst -sha1 -sign "$work/dsa.pem" -out "$work/sig.der" "$work/msg"
            echo
            echo "PUBLIC = $pub"
            echo "MESSAGE = $(xxd -p "$work/msg" | tr -d '\n')"
            echo "SIGNATURE = $(der_sig_to_raw "$work/sig.der" 20)"
        done
    done
} >dsa.txt

# ElGamal (cryptography.rst): block = nonzero byte || SHA-256(data) || data (255 bytes);
# a = g^k mod p, b = y^k * block mod p; output 0 || a (256) || 0 || b (256).
python3 - <<'PY' >elgamal.txt
import hashlib
p = int("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
        "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
        "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
        "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"
        "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
        "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
        "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718"
        "3995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF", 16)
def stream(label, n):
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha512(label + bytes([i])).digest()
        i += 1
    return out[:n]
print("# ElGamal-2048 fixtures computed with Python integers by make_openssl_vectors.sh.")
print("# PRIVATE (x, 256 bytes), PUBLIC (2^x mod p), DATA (222 bytes), CIPHERTEXT (514 bytes).")
print("# The second key is a short exponent (226 bits) padded with zeros, as older routers use.")
cases = [(b"full", 256 * 8, 0xFF), (b"short", 226, 0x5A)]
for label, bits, first in cases:
    x = int.from_bytes(stream(b"umbra elgamal x " + label, 256), "big") % (1 << bits) % (p - 1)
    k = int.from_bytes(stream(b"umbra elgamal k " + label, 256), "big") % (p - 2) + 1
    y = pow(2, x, p)
    data = stream(b"umbra elgamal data " + label, 222)
    block = bytes([first]) + hashlib.sha256(data).digest() + data
    a = pow(2, k, p)
    b = pow(y, k, p) * int.from_bytes(block, "big") % p
    ct = b"\0" + a.to_bytes(256, "big") + b"\0" + b.to_bytes(256, "big")
    print()
    print("PRIVATE =", x.to_bytes(256, "big").hex())
    print("PUBLIC =", y.to_bytes(256, "big").hex())
    print("DATA =", data.hex())
    print("CIPHERTEXT =", ct.hex())
PY
echo "wrote ecdsa.txt rsa.txt rsa_cert.pem ec_cert.pem dsa.txt elgamal.txt"
