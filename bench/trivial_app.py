"""The comparison point for the TCP benchmark: an ASGI app returning a fixed JSON body (served by uvicorn + h11)."""

BODY = b'{"id": 1, "title": "Pride and Prejudice", "author": "Jane Austen", "year": 1813}'


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(BODY)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": BODY})
