#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets (tests/fuzz/corpus/<target>/): small, real
examples of what clients and sources send. Run by hand after changing it (needs ffmpeg for the
audio seeds); the files are committed. Regression inputs (regress-*) are added by hand next to
the seeds and are not touched here."""
import base64
import hashlib
import hmac
import json
import os
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")


def write(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


# --- HTTP requests (the reader behind every route) -----------------------------------------
http = {
    "get-health.http": "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n",
    "post-json.http": "POST /api/streams HTTP/1.1\r\nHost: localhost\r\n"
    "Authorization: Bearer abc.def.ghi\r\nContent-Type: application/json\r\n"
    "Content-Length: 27\r\n\r\n{\"name\":\"jazz\",\"public\":1}\n",
    "refused-body.http": "POST /refused HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
    "Content-Length: 5\r\n\r\nhello",
    "pipelined.http": "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b?q=1 HTTP/1.1\r\nHost: x\r\n"
    "Connection: close\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\n\r\n",
    "http10-keepalive.http": "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
    "HEAD /live/x HTTP/1.0\r\n\r\n",
    "expect-continue.http": "POST /api/x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
    "Content-Length: 5\r\n\r\nhello",
    "later-then-close.http": "GET /later HTTP/1.1\r\nHost: x\r\n\r\nGET /close HTTP/1.1\r\n"
    "Host: x\r\n\r\nGET /never HTTP/1.1\r\nHost: x\r\n\r\n",
    "source-ice.http": "SOURCE /live/test ICE/1.0\r\nAuthorization: Basic c291cmNlOmtleQ==\r\n"
    "Content-Type: audio/mpeg\r\nice-name: Test\r\n\r\n\xff\xfb\x90\x00",
    "put-source.http": "PUT /live/test HTTP/1.1\r\nHost: x\r\nAuthorization: Basic c291cmNlOmtleQ==\r\n"
    "Content-Type: audio/ogg\r\nExpect: 100-continue\r\nTransfer-Encoding: identity\r\n\r\nOggS",
    "ws-upgrade.http": "GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: veza.v1, chat\r\n"
    "Origin: http://x\r\n\r\n",
    "folded-header.http": "GET /%7Euser/a%20b HTTP/1.1\r\nHost: x\r\nX-Long: one\r\n"
    "  two\r\n\tthree\r\n\r\n",
    "chunked.http": "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    "5\r\nhello\r\n0\r\n\r\n",
    "content-length-list.http": "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\n"
    "Content-Length: 3\r\n\r\nabc",
}
for name, text in http.items():
    write("http_request", name, text.encode("latin-1"))


# --- WebSocket frames, client to server (masked) ----------------------------------------------
MASK = bytes([0x37, 0xFA, 0x21, 0x3D])


def frame(opcode, payload, fin=True):
    head = bytes([(0x80 if fin else 0) | opcode])
    n = len(payload)
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + n.to_bytes(2, "big")
    else:
        head += bytes([0x80 | 127]) + n.to_bytes(8, "big")
    masked = bytes(b ^ MASK[i % 4] for i, b in enumerate(payload))
    return head + MASK + masked


text = "héllo wörld 🎵".encode()
ws = {
    "text.ws": frame(1, b'{"type":"ping"}'),
    "fragmented-utf8.ws": frame(1, text[:2], fin=False) + frame(9, b"ping")
    + frame(0, text[2:8], fin=False) + frame(0, text[8:]),
    "binary-16bit-length.ws": frame(2, bytes(range(256)) * 1),
    "ping-pong.ws": frame(9, b"") + frame(10, b"pong payload"),
    "close-reason.ws": frame(8, (1000).to_bytes(2, "big") + "bye ✓".encode()),
    "close-empty.ws": frame(1, b"a") + frame(8, b"") + frame(1, b"after close"),
    "64bit-length.ws": bytes([0x82, 0xFF]) + (5).to_bytes(8, "big") + MASK
    + bytes(b ^ MASK[i % 4] for i, b in enumerate(b"hello")),
    "unmasked.ws": bytes([0x81, 0x05]) + b"hello",
}
for name, data in ws.items():
    write("ws_frames", name, data)


# --- UTF-8 --------------------------------------------------------------------------------------
utf8 = {
    "ascii.txt": b"plain ASCII text, longer than eight bytes at a time",
    "mixed.txt": "Grüße, 世界, 🎵 and ½".encode(),
    "boundaries.txt": "\u007f\u0080\u07ff\u0800\uffff\U00010000\U0010ffff".encode(),
    "overlong.bin": b"ab\xc0\xaf",
    "surrogate.bin": b"\xed\xa0\x80",
    "above-max.bin": b"\xf4\x90\x80\x80",
    "truncated.bin": "🎵".encode()[:3],
    "bom.txt": b"\xef\xbb\xbfwith a byte order mark",
}
for name, data in utf8.items():
    write("utf8_validator", name, data)


# --- chat requests ------------------------------------------------------------------------------
chat = [
    {"type": "ping"},
    {"type": "auth", "token": "eyJhbGciOiJIUzI1NiJ9.e30.sig"},
    {"type": "join", "id": 1, "room": "lobby"},
    {"type": "send", "id": "m1", "room": "lobby", "client_msg_id": "c1", "body": "salut 👋"},
    {"type": "send", "id": 2, "room": "@direct:alice:bob", "client_msg_id": "c2",
     "ciphertext": "AAEC", "algorithm": "x3dh", "sender_device": "d1"},
    {"type": "edit", "id": 3, "room": "lobby", "message_id": 42, "body": "edited"},
    {"type": "delete", "id": 4, "room": "lobby", "message_id": 42, "reason": "typo"},
    {"type": "react", "id": 5, "room": "lobby", "message_id": 42, "emoji": "🎵", "remove": False},
    {"type": "dm", "id": 6, "to": "bob", "client_msg_id": "c3", "body": "hi"},
    {"type": "history", "id": 7, "room": "lobby", "before": 100, "limit": 50},
    {"type": "resume", "id": 8, "rooms": [{"room": "lobby", "after": 41}]},
    {"type": "create_room", "id": 9, "room": "jazz", "kind": "private", "topic": "t",
     "e2e": True, "members": ["bob", "carol"]},
    {"type": "timeout", "id": 10, "room": "lobby", "user": "eve", "seconds": 60},
    {"type": "report", "id": 11, "room": "lobby", "message_id": 42, "reason": "spam",
     "details": "..."},
    {"type": "prekeys_upload", "id": 12, "device_id": "d1", "prekeys": [{"id": 1, "key": "AA"}]},
    {"type": "typing", "room": "lobby"},
]
for index, request in enumerate(chat):
    write("chat_request", "%02d-%s.json" % (index, request["type"]),
          json.dumps(request, ensure_ascii=False, separators=(",", ":")))
write("chat_request", "escapes.json", '{"type":"send","id":"\\u00e9","room":"r",'
      '"client_msg_id":"c","body":"\\ud83c\\udfb5 \\n \\" \\\\"}')


# --- PROXY protocol headers (v1 and v2), as balancers send them before a request ----------
V2_SIGNATURE = b"\r\n\r\n\x00\r\nQUIT\n"


def proxy_v2(version_command, family_transport, payload):
    return (V2_SIGNATURE + bytes([version_command, family_transport]) +
            len(payload).to_bytes(2, "big") + payload)


IPV4_ADDRESSES = bytes([203, 0, 113, 7, 10, 0, 0, 1]) + (56324).to_bytes(2, "big") + \
    (443).to_bytes(2, "big")
IPV6_ADDRESSES = bytes.fromhex("20010db8000000000000000000000001"
                               "20010db8000000000000000000000002") + \
    (56324).to_bytes(2, "big") + (443).to_bytes(2, "big")
REQUEST = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
proxy = {
    "v1-tcp4": b"PROXY TCP4 203.0.113.7 10.0.0.1 56324 443\r\n" + REQUEST,
    "v1-tcp6": b"PROXY TCP6 2001:db8::1 ::ffff:10.0.0.1 56324 443\r\n" + REQUEST,
    "v1-unknown": b"PROXY UNKNOWN\r\n" + REQUEST,
    "v1-unknown-longest": b"PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
    b"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n",
    "v2-tcp4": proxy_v2(0x21, 0x11, IPV4_ADDRESSES) + REQUEST,
    "v2-tcp6-tlvs": proxy_v2(0x21, 0x21, IPV6_ADDRESSES + bytes.fromhex("0400020000"
                                                                        "ea000501766663652d")),
    "v2-local": proxy_v2(0x20, 0x00, b"") + REQUEST,
    "v2-unix": proxy_v2(0x21, 0x31, b"/run/haproxy.sock".ljust(216, b"\x00")),
    "v2-udp": proxy_v2(0x21, 0x12, IPV4_ADDRESSES),
    "not-proxy": REQUEST,
}
for name, data in proxy.items():
    write("proxy_protocol", name, data)


# --- JWT: first byte 0 = whole token, 1 = signing input, 2 = payload JSON (fuzz_jwt.cpp) ------
SECRET = b"fuzz-secret-0123456789abcdef"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def signing_input(header, payload):
    return b64url(json.dumps(header).encode()) + b"." + b64url(json.dumps(payload).encode())


def token(header, payload):
    signed = signing_input(header, payload)
    return signed + b"." + b64url(hmac.new(SECRET, signed, hashlib.sha256).digest())


HS256 = {"alg": "HS256", "typ": "JWT"}
claims = {"sub": "alice", "name": "Alice", "roles": ["moderator"], "iat": 1798700000,
          "exp": 1798800000, "iss": "veza"}
write("jwt", "token-valid", b"\x00" + token(HS256, claims))
write("jwt", "token-expired", b"\x00" + token(HS256, dict(claims, exp=1700000000)))
write("jwt", "token-alg-none", b"\x00" + signing_input({"alg": "none"}, claims) + b".")
write("jwt", "signing-input", b"\x01" + signing_input(HS256, dict(claims, roles="dj", nbf=1)))
write("jwt", "payload-json", b"\x02" + json.dumps(claims).encode())
write("jwt", "payload-fraction", b"\x02" + b'{"sub":"b","exp":1798800000.75,"nbf":1e3}')


# --- Icecast: source requests, metadata updates --------------------------------------------------
icecast = {
    "source-mp3.http": "SOURCE /live/jazz ICE/1.0\r\nAuthorization: Basic c291cmNlOnNlY3JldA==\r\n"
    "Content-Type: audio/mpeg\r\nice-name: Late night\r\nice-description: Standards\r\n"
    "ice-genre: Jazz\r\nice-url: http://example.org\r\nice-public: 1\r\n\r\n\xff\xfb\x90\x64",
    "put-ogg-as-mpeg.http": "PUT /live/jazz HTTP/1.1\r\nHost: x\r\n"
    "Authorization: basic c291cmNlOms6ZXk=\r\nContent-Type: Audio/MPEG; charset=x\r\n"
    "Expect: 100-continue\r\n\r\nOggS\x00\x02",
    "metadata-song.http": "GET /admin/metadata?mode=updinfo&mount=%2Flive%2Fjazz"
    "&song=Miles+Davis+-+So+What%27s%3B HTTP/1.0\r\n"
    "Authorization: Basic c291cmNlOnNlY3JldA==\r\n\r\n",
    "metadata-artist-title.http": "GET /admin/metadata?mode=updinfo&artist=Bj%F6rk"
    "&title=J%F3ga&charset=ISO-8859-1 HTTP/1.1\r\nHost: x\r\n\r\n",
    "metadata-controls.http": "GET /admin/metadata?song=a%0D%0AStreamUrl%3D%27x%27%00b"
    " HTTP/1.1\r\nHost: x\r\n\r\n",
    "webm-aacp.http": "SOURCE /live/a HTTP/1.1\r\nHost: x\r\nContent-Type: audio/aacp\r\n\r\n"
    "\x1a\x45\xdf\xa3",
}
for name, text in icecast.items():
    write("icecast", name, text.encode("latin-1"))


# --- audio: first byte = announced Content-Type (fuzz_audio_source.cpp), then the source ---------
ANNOUNCED = {"audio/mpeg": 0, "audio/ogg": 1, "audio/aac": 2, "audio/aacp": 3, "audio/webm": 4}
encodings = [
    ("ogg-opus", "audio/ogg", ["-c:a", "libopus", "-b:a", "12k", "-ac", "1", "-f", "ogg"]),
    ("ogg-opus-announced-mpeg", "audio/mpeg",
     ["-c:a", "libopus", "-b:a", "12k", "-ac", "1", "-f", "ogg"]),
    ("webm-opus", "audio/webm", ["-c:a", "libopus", "-b:a", "12k", "-ac", "1", "-f", "webm"]),
    ("mp3", "audio/mpeg", ["-c:a", "libmp3lame", "-b:a", "16k", "-ar", "16000", "-ac", "1",
                           "-f", "mp3"]),
    ("mp3-stereo-44k", "audio/mpeg", ["-c:a", "libmp3lame", "-b:a", "32k", "-ar", "44100",
                                      "-f", "mp3"]),
    ("adts-aac", "audio/aac", ["-c:a", "aac", "-b:a", "16k", "-ar", "22050", "-ac", "1",
                               "-f", "adts"]),
    ("adts-aac-announced-ogg", "audio/ogg", ["-c:a", "aac", "-b:a", "16k", "-ar", "22050",
                                             "-ac", "1", "-f", "adts"]),
    # Codecs a source may send inside Ogg or Matroska besides the usual ones; PCM puts the
    # sample rate and channel count one mutation away.
    ("ogg-vorbis", "audio/ogg", ["-c:a", "libvorbis", "-q:a", "0", "-ar", "22050", "-ac", "1",
                                 "-t", "0.1", "-f", "ogg"]),
    ("ogg-flac", "audio/ogg", ["-c:a", "flac", "-ar", "8000", "-ac", "1", "-t", "0.1",
                               "-f", "ogg"]),
    ("mka-pcm", "audio/webm", ["-c:a", "pcm_s16le", "-ar", "8000", "-ac", "1", "-t", "0.1",
                               "-f", "matroska"]),
]
with tempfile.TemporaryDirectory() as scratch:
    for name, announced, options in encodings:
        out = os.path.join(scratch, name)
        subprocess.run(["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i",
                        "sine=frequency=440:duration=0.3", "-map_metadata", "-1", *options,
                        "-fflags", "+bitexact", "-y", out], check=True)
        with open(out, "rb") as f:
            write("audio_source", name, bytes([ANNOUNCED[announced]]) + f.read())
