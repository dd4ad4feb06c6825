#!/usr/bin/env python3
"""An RFB 3.8 client, as far as a framebuffer update, through whatever listens at HOST:PORT
(a VNC server, or a relay in front of one such as `pilot open host console`). Prints a line
per step and exits 1 at the first step that fails.

--png FILE writes the screen as a PNG (raw encoding, 32-bit pixels). --min-colours N asks for
the whole screen again, once a second for up to --wait seconds, until it shows at least N
colours; --guest-screen, until the guest has set a display mode: QEMU shows a 640x480
placeholder ("Guest has not initialized the display") before, and announces each change of
size (the DesktopSize pseudo-encoding). --hold N keeps the connection open N seconds
afterwards, sending nothing."""
import argparse
import socket
import struct
import sys
import time
import zlib


def exact(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            sys.exit(f"closed after {len(data)} of {count} bytes")
        data += chunk
    return data


def png(path, width, height, rows):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = b"".join(b"\x00" + row for row in rows)
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                  + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


DESKTOP_SIZE = -223


def update(sock, image):
    """Reads one FramebufferUpdate into `image` (rows of RGB); returns the colours it drew,
    and the screen's new size if it changed (the image is then blank, at that size)."""
    while True:
        kind = exact(sock, 1)[0]
        if kind == 0:
            break
        if kind == 2:  # bell
            continue
        if kind == 3:  # server cut text
            exact(sock, 3)
            exact(sock, struct.unpack(">I", exact(sock, 4))[0])
            continue
        sys.exit(f"unexpected server message {kind}")
    exact(sock, 1)
    rectangles = struct.unpack(">H", exact(sock, 2))[0]
    colours = set()
    resized = None
    for _ in range(rectangles):
        x, y, w, h, encoding = struct.unpack(">HHHHi", exact(sock, 12))
        if encoding == DESKTOP_SIZE:
            image[:] = [bytearray(w * 3) for _ in range(h)]
            resized = (w, h)
            continue
        if encoding != 0:
            sys.exit(f"unexpected encoding {encoding}")
        data = exact(sock, w * h * 4)
        for row in range(min(h, len(image) - y)):
            line = image[y + row]
            for column in range(min(w, len(line) // 3 - x)):
                b, g, r = data[(row * w + column) * 4:(row * w + column) * 4 + 3]
                colours.add((r, g, b))
                line[(x + column) * 3:(x + column) * 3 + 3] = bytes((r, g, b))
    print("framebuffer-update", rectangles, "rectangles", len(colours), "colours", flush=True)
    return colours, resized


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("--hold", type=float, default=0)
    parser.add_argument("--png")
    parser.add_argument("--min-colours", type=int, default=1)
    parser.add_argument("--wait", type=float, default=30)
    parser.add_argument("--guest-screen", action="store_true")
    args = parser.parse_args()
    sock = socket.create_connection((args.host, args.port), timeout=20)
    banner = exact(sock, 12)
    print("banner", banner.decode(errors="replace").strip(), flush=True)
    if banner != b"RFB 003.008\n":
        sys.exit("not RFB 3.8")
    sock.sendall(b"RFB 003.008\n")
    count = exact(sock, 1)[0]
    if count == 0:
        sys.exit("refused: " + exact(sock, struct.unpack(">I", exact(sock, 4))[0]).decode(errors="replace"))
    types = list(exact(sock, count))
    print("security-types", " ".join(map(str, types)), flush=True)
    if 1 not in types:
        sys.exit("no security type None")
    sock.sendall(bytes([1]))
    result = struct.unpack(">I", exact(sock, 4))[0]
    print("security-result", result, flush=True)
    sock.sendall(bytes([1]))  # ClientInit: shared
    width, height = struct.unpack(">HH", exact(sock, 4))
    pixel = exact(sock, 16)
    name = exact(sock, struct.unpack(">I", exact(sock, 4))[0]).decode(errors="replace")
    print("server-init", width, height, name, flush=True)
    # 32 bits per pixel, depth 24, little-endian, true colour, red at 16, green at 8, blue at 0.
    sock.sendall(struct.pack(">B3xBBBBHHHBBB3x", 0, 32, 24, 0, 1, 255, 255, 255, 16, 8, 0))
    sock.sendall(struct.pack(">BxHii", 2, 2, 0, DESKTOP_SIZE))  # SetEncodings: raw, and size changes
    image = [bytearray(width * 3) for _ in range(height)]
    deadline = time.monotonic() + args.wait
    while True:
        sock.sendall(struct.pack(">BBHHHH", 3, 0, 0, 0, width, height))  # the whole screen
        colours, resized = update(sock, image)
        if resized:
            width, height = resized
            print("desktop-size", width, height, flush=True)
            continue
        enough = len(colours) >= args.min_colours and (not args.guest_screen or (width, height) != (640, 480))
        if enough or time.monotonic() >= deadline:
            break
        time.sleep(1)
    if not enough:
        sys.exit(f"after {args.wait:g} s the screen is {width}x{height} with {len(colours)} colours: the guest has drawn nothing")
    if args.png:
        png(args.png, width, height, image)
        print("png", args.png, flush=True)
    if args.hold:
        time.sleep(args.hold)


main()
