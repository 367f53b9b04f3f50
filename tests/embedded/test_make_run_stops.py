"""`make run` (scripts/run.sh) stops the web server and the worker within 10 seconds of SIGTERM
(what `timeout 60 make run` or a supervisor sends) or Ctrl-C, and loses no task: the one the
worker was in the middle of, and the one waiting behind it, both run at the next start."""

import signal
import socket
import subprocess
import time
import urllib.request

from .conftest import PROJECT, environment, manage

STOP_LIMIT = 10  # seconds


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(database, port, tmp_path, log_name):
    env = environment(database, DJANGO_SETTINGS_MODULE="cms.settings.dev", RUN_ADDRESS=f"127.0.0.1:{port}",
                      Q_WORKERS="1", EMAIL_FILE_PATH=str(tmp_path / "emails"))
    log = open(tmp_path / log_name, "w")  # noqa: SIM115 (closed by the caller through the process)
    process = subprocess.Popen(["scripts/run.sh"], cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    process.log = log
    return process


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"Timed out waiting for {what}")


def answers(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/livez", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def session_processes(session_id):
    """Processes still alive in the session of the run script (its server and worker included)."""
    out = subprocess.run(["ps", "-e", "-o", "pid=,sid=,stat=,args="], capture_output=True, text=True).stdout
    alive = []
    for line in out.splitlines():
        pid, sid, stat, args = line.split(None, 3)
        if int(sid) == session_id and not stat.startswith("Z"):
            alive.append(f"{pid} {args}")
    return alive


def enqueue(database, func, *args):
    code = f"from django_q.tasks import async_task; async_task({func!r}, *{list(args)!r})"
    manage(database, "shell", "-c", code, DJANGO_SETTINGS_MODULE="cms.settings.dev")


def stop_within_limit(process, sig):
    sent = time.monotonic()
    process.send_signal(sig)
    try:
        process.wait(timeout=STOP_LIMIT + 5)
    finally:
        process.log.close()
    took = time.monotonic() - sent
    wait_for(lambda: not session_processes(process.pid), 2, "the last processes to go")
    return took


def test_sigterm_stops_server_and_worker_within_ten_seconds_and_no_task_is_lost(sqlite_file, tmp_path):
    port = free_port()
    first_mark, long_mark, waiting_mark = (tmp_path / n for n in ("first", "long", "waiting"))
    attempts = tmp_path / "long-attempts"
    enqueue(sqlite_file, "tests.embedded.worker_tasks.leave_mark", str(first_mark))

    run = start(sqlite_file, port, tmp_path, "run1.log")
    try:
        wait_for(lambda: answers(port), 240, "the web server")
        wait_for(first_mark.exists, 240, "the worker to run the queued task")
        # The worker is busy with a long task; another waits behind it (one worker).
        enqueue(sqlite_file, "tests.embedded.worker_tasks.long_job", str(long_mark), str(attempts))
        enqueue(sqlite_file, "tests.embedded.worker_tasks.leave_mark", str(waiting_mark))
        wait_for(attempts.exists, 240, "the long task to start")
    except BaseException:
        run.kill()
        raise
    took = stop_within_limit(run, signal.SIGTERM)
    assert took < STOP_LIMIT, f"took {took:.1f}s to stop"
    assert not answers(port)
    assert not long_mark.exists() and not waiting_mark.exists()
    output = (tmp_path / "run1.log").read_text()
    assert f"http://127.0.0.1:{port}/" in output and "password demo" in output
    assert "Processed" not in output  # the worker's lines about every task stay out of the terminal

    # Next start: both tasks run (the interrupted one again, the waiting one for the first time).
    run = start(sqlite_file, port, tmp_path, "run2.log")
    try:
        wait_for(lambda: long_mark.exists() and waiting_mark.exists(), 240, "the unfinished tasks at the next start")
        wait_for(lambda: answers(port), 240, "the web server")
    except BaseException:
        run.kill()
        raise
    assert attempts.read_text() == "2"
    # Ctrl-C (SIGINT) stops it the same way.
    took = stop_within_limit(run, signal.SIGINT)
    assert took < STOP_LIMIT, f"took {took:.1f}s to stop after Ctrl-C"
