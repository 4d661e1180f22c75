# A tiny WebSocket echo server on Python's standard library only (RFC 6455).
# It listens on 127.0.0.1:8081 and sends every message back as it came.
# Start it with: python3 ws_echo.py > ws.log 2>&1 &
import base64
import hashlib
import socketserver
import struct

# Every WebSocket server mixes this fixed string into its handshake answer.
WS_GUID = b'258EAFA5-E914-47DA-95CA-C5AB0DC85B11'


def encode_length(size):
    # A frame gives its length in 1 byte, or in 2 or 8 more bytes after a 126 or 127.
    if size < 126:
        return bytes([size])
    if size < 65536:
        return b'\x7e' + struct.pack('>H', size)
    return b'\x7f' + struct.pack('>Q', size)


class EchoHandler(socketserver.StreamRequestHandler):
    def handle(self):
        # 1. The handshake: an ordinary HTTP/1.1 request that asks to "Upgrade: websocket".
        request_line = self.rfile.readline().decode('latin-1').strip()
        headers = {}
        while (line := self.rfile.readline().decode('latin-1').strip()):
            name, _, value = line.partition(':')
            headers[name.strip().lower()] = value.strip()
        if headers.get('upgrade', '').lower() != 'websocket' or 'sec-websocket-key' not in headers:
            self.wfile.write(b'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')
            return
        key = headers['sec-websocket-key'].encode()
        accept = base64.b64encode(hashlib.sha1(key + WS_GUID).digest())
        self.wfile.write(b'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n'
                         b'Connection: Upgrade\r\nSec-WebSocket-Accept: ' + accept + b'\r\n\r\n')
        print(f'{request_line} from {headers.get("x-forwarded-for", "?")}: upgraded', flush=True)

        # 2. Messages: read a frame, send its payload back in a frame of our own.
        while True:
            head = self.rfile.read(2)
            if len(head) < 2:
                return  # the client went away
            opcode, size = head[0] & 0x0F, head[1] & 0x7F
            if size == 126:
                size = struct.unpack('>H', self.rfile.read(2))[0]
            elif size == 127:
                size = struct.unpack('>Q', self.rfile.read(8))[0]
            mask = self.rfile.read(4) if head[1] & 0x80 else bytes(4)
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(self.rfile.read(size)))
            if opcode == 0x8:  # close: answer with a close frame and stop
                self.wfile.write(b'\x88\x00')
                return
            if opcode in (0x1, 0x2):  # a text or binary message: echo it
                self.wfile.write(bytes([0x80 | opcode]) + encode_length(size) + payload)


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


print('WebSocket echo server on ws://127.0.0.1:8081/', flush=True)
Server(('127.0.0.1', 8081), EchoHandler).serve_forever()
