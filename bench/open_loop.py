"""The benches' HTTP load tool: one thread, asyncio, a new connection per request (as from as many
browsers). Not a test.

A job is {"method", "path", "cookie"?, "body"?, "at"?, "member"?, "follow"?}. A job with "at" is sent that many
seconds after the start and timed from that moment (an open loop: arrivals do not wait for each
other's answers; a request that waited for a free slot waited as a browser would); the others are
sent as soon as one of the `concurrency` slots is free (a closed loop). A job with "follow" follows a
redirect as a browser does (a GET of its Location, with the same cookie), and its seconds include
that page. Each result says the status, the seconds, what the answer said (`said(body)`; for a
redirect followed, what the page it led to said, and that page's status as "followed"), or the
exception.

Threads (http.client) cost the machine more than the server they measure on two cores: a
thread per request in flight, each taking the interpreter's lock to read its answer. Here a request
costs the tool a few hundred microseconds, and an answer is read as soon as it comes.
"""

import asyncio
import time


def fire(jobs, host, port, concurrency, said=lambda body: ""):
    """Send every job; returns {"elapsed", "started", "results"} (results in the order of `jobs`)."""
    return asyncio.run(_fire(jobs, host, port, concurrency, said))


async def _fire(jobs, host, port, concurrency, said):
    slots = asyncio.Semaphore(concurrency)
    results = [None] * len(jobs)
    t0 = time.perf_counter()

    async def one(n, job):
        if "at" in job:  # an arrival at its own moment: its time counts from then, waiting included
            started = t0 + job["at"]
            await asyncio.sleep(max(0.0, started - time.perf_counter()))
        async with slots:
            if "at" not in job:
                started = time.perf_counter()
            try:
                status, location, body = await asyncio.wait_for(_request(host, port, job), timeout=60)
                result = {"status": status, "sent": started, "member": job.get("member")}
                if job.get("follow") and location:
                    followed, _, body = await asyncio.wait_for(
                        _request(host, port, {"method": "GET", "path": location, "cookie": job.get("cookie")}), timeout=60)
                    result["followed"] = followed
                results[n] = {**result, "seconds": time.perf_counter() - started, "said": said(body)}
            except Exception as error:  # noqa: BLE001 (every failure is a figure)
                results[n] = {"status": None, "seconds": time.perf_counter() - started,
                              "error": f"{type(error).__name__}: {error}", "sent": started, "member": job.get("member")}

    await asyncio.gather(*(one(n, job) for n, job in enumerate(jobs)))
    return {"elapsed": time.perf_counter() - t0, "started": t0, "results": results}


async def _request(host, port, job):
    """One HTTP/1.1 request on its own connection (closed after the answer): (status, the path of its
    Location header or None, body)."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        body = (job.get("body") or "").encode()
        head = [f"{job['method']} {job['path']} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
        if job.get("cookie"):
            head.append(f"Cookie: {job['cookie']}")
        if body:
            head += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        await writer.drain()
        answer = await reader.read()  # to the end: the server closes the connection
    finally:
        writer.close()
    header, _, content = answer.partition(b"\r\n\r\n")
    status_line = header.split(b"\r\n", 1)[0].split()
    if len(status_line) < 2 or not status_line[1].isdigit():
        raise ConnectionError(f"no HTTP answer ({len(answer)} bytes)")
    lines = header.decode("latin-1").split("\r\n")[1:]
    fields = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    if fields.get("transfer-encoding") == "chunked":
        content = _unchunk(content)
    location = fields.get("location")
    if location and "://" in location:  # its path, as the same host serves it
        location = "/" + location.split("://", 1)[1].partition("/")[2]
    return int(status_line[1]), location, content.decode("utf-8", "replace")


def _unchunk(data):
    out, rest = [], data
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out.append(rest[:size])
        rest = rest[size + 2:]
    return b"".join(out)
