"""A static server for the built site that answers like GitHub Pages: gzip for text, on 127.0.0.1 only.

`python tests/audit/serve.py SITE_DIR [PORT]` prints the URL it serves, then serves until stopped; `serving()`
does the same in a thread for the audit and the tests.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import socketserver
import sys
import threading
from pathlib import Path

COMPRESSED = {".html", ".css", ".js", ".svg", ".json", ".xml", ".txt", ".ipynb", ".map"}


class PagesLikeHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files; text is gzipped when the client accepts it, with a short cache lifetime like Pages'."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.suffix in COMPRESSED and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return _Body(body)

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def log_message(self, *args):
        pass


class _Body:
    """What send_head returns for copyfile: the gzipped bytes as a file."""

    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextlib.contextmanager
def serving(site: Path, port: int = 0):
    """The site served on 127.0.0.1 in a background thread; yields its base URL."""
    handler = functools.partial(PagesLikeHandler, directory=str(site))
    with Server(("127.0.0.1", port), handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}/"
        finally:
            httpd.shutdown()


if __name__ == "__main__":
    with serving(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 0) as url:
        print(url, flush=True)
        threading.Event().wait()
