"""A private PostgreSQL cluster and a private Redis server on loopback, for the scale tests.

Both come from the system's packages (`make services` installs Debian's `postgresql` and
`redis-server`); each listens on 127.0.0.1 only, on a free port, with its files in a temporary
folder that is removed afterwards. PostgreSQL refuses to run as root, so as root its programs run
as the `postgres` user.
"""
import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Dict, Iterator, List
from urllib.parse import quote

from processes import free_port, stop

# Passwords with characters that must be escaped in a URL: the URLs are the one source of truth.
PG_USER, PG_PASSWORD, PG_DB = "kcn", "pg p@ss/w:rd%", "kcn"
REDIS_PASSWORD = "redis p@ss/w:rd"


def _postgres_bin() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if candidates:
        return Path(candidates[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise RuntimeError("PostgreSQL's initdb was not found: run `make services` (installs Debian's postgresql)")


def _as_postgres(cmd: List[str]) -> List[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


# url -> the pg_ctl command that controls its cluster, without the action
_PG_CTL: Dict[str, List[str]] = {}


@contextlib.contextmanager
def postgres_down(url: str) -> Iterator[None]:
    """Stops the cluster of `url` for the duration of the block, then starts it again."""
    pg_ctl = _PG_CTL[url]
    subprocess.run(pg_ctl + ["-m", "fast", "-w", "stop"], check=True, stdout=subprocess.DEVNULL)
    try:
        yield
    finally:
        subprocess.run(pg_ctl + ["-w", "-t", "120", "start"], check=True, stdout=subprocess.DEVNULL)


@contextlib.contextmanager
def postgres_cluster() -> Iterator[str]:
    """A new cluster with one database; yields its postgresql:// URL (password-protected)."""
    import psycopg2

    pg_bin = _postgres_bin()
    work = Path(tempfile.mkdtemp(prefix="kcn-pg-"))
    data, pwfile, log = work / "data", work / "pwfile", work / "postgres.log"
    port = free_port()
    started = False
    try:
        pwfile.write_text(PG_PASSWORD + "\n")
        if os.geteuid() == 0:
            postgres = pwd.getpwnam("postgres")
            os.chown(work, postgres.pw_uid, postgres.pw_gid)
            os.chown(pwfile, postgres.pw_uid, postgres.pw_gid)
        subprocess.run(_as_postgres([str(pg_bin / "initdb"), "-D", str(data), "-U", PG_USER, f"--pwfile={pwfile}",
                                     "--auth=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync"]),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {work} -c fsync=off"
        subprocess.run(_as_postgres([str(pg_bin / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log),
                                     "-w", "-t", "120", "start"]), check=True, stdout=subprocess.DEVNULL)
        started = True
        connection = psycopg2.connect(host="127.0.0.1", port=port, user=PG_USER, password=PG_PASSWORD, dbname="postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {PG_DB}")
        connection.close()
        url = f"postgresql://{quote(PG_USER)}:{quote(PG_PASSWORD, safe='')}@127.0.0.1:{port}/{PG_DB}"
        _PG_CTL[url] = _as_postgres([str(pg_bin / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log)])
        yield url
    finally:
        if started:
            subprocess.run(_as_postgres([str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A Redis server without persistence; yields its redis:// URL (password-protected)."""
    redis_bin = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.path.exists(redis_bin):
        raise RuntimeError("redis-server was not found: run `make services` (installs Debian's redis-server)")
    work = Path(tempfile.mkdtemp(prefix="kcn-redis-"))
    port = free_port()
    log = open(work / "redis.log", "w")
    process = subprocess.Popen([redis_bin, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(work), "--requirepass", REDIS_PASSWORD],
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=port, password=REDIS_PASSWORD)
        deadline = time.time() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {process.returncode}: {(work / 'redis.log').read_text()}")
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        client.close()
        yield f"redis://:{quote(REDIS_PASSWORD, safe='')}@127.0.0.1:{port}/1"
    finally:
        stop(process)
        log.close()
        shutil.rmtree(work, ignore_errors=True)


