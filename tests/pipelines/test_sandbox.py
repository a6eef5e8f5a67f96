"""Hostile files are refused with a reason, never take the caller down, and never wait for the writer."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import hostile

from pipelines.ingest import ingest
from pipelines.messages import Reference
from pipelines.precheck import Limits, precheck
from pipelines.reading import FileRefused
from pipelines.sandbox import Limits as SandboxLimits
from pipelines.sandbox import Sandbox, default_sandbox, judge, remove_orphan_folders, result_folder

ROOT = Path(__file__).resolve().parents[2]
HEADER = "Số hồ sơ,Ngày phát hiện,Mã tổ dân phố,Loại vi phạm,Hình thức xử lý\n"
GOOD = (HEADER + "S1,05/11/2026,TDP01,other,reminder\nS2,06/11/2026,TDP01,other,reminder\n").encode()
REFERENCE = Reference(groups={"TDP01": ("Tổ 1", 300)}, units={"CAP": ("Công an phường", ["violations"])})
WAIT = 600  # seconds a test waits for a condition before failing: only a broken sandbox takes that long


def _judge(data: bytes, name: str, sandbox=None):
    return judge(
        data, feed="violations", unit_code="CAP", file_name=name, reference=REFERENCE, sandbox=sandbox
    )


@pytest.mark.parametrize(
    ("build", "name", "words"),
    [
        (hostile.xfd_bomb, "xfd.xlsx", "XFD"),
        (hostile.xfd_undeclared, "xfd2.xlsx", "XFD2"),
        (lambda: hostile.huge_cell_bomb(120), "bomb.xlsx", "nén"),
        (hostile.many_rows_xlsx, "rows.xlsx", "dòng"),
        (hostile.many_rows_csv, "rows.csv", "3.000.002 dòng"),
        (hostile.comma_line, "commas.csv", "1.000.000 ô"),
    ],
)
def test_hostile_files_are_refused_by_the_precheck_before_any_reader(build, name, words):
    data = build()
    with pytest.raises(FileRefused) as refused:
        precheck(data, name, Limits())  # pure Python and numpy over the bytes: no reader involved
    assert refused.value.reason.startswith("Tệp quá lớn / quá phức tạp để đọc an toàn")
    assert words in refused.value.reason
    with pytest.raises(FileRefused) as through_sandbox:
        _judge(data, name)
    assert through_sandbox.value.reason == refused.value.reason


def test_a_zip_of_an_unknown_version_is_refused_as_a_damaged_file_not_a_program_error():
    data = hostile.unsupported_zip_version()
    with pytest.raises(FileRefused) as refused:
        precheck(data, "bao-cao.xlsx", Limits())
    assert refused.value.reason.startswith("Tệp Excel (.xlsx) bị hỏng")
    with pytest.raises(FileRefused) as through_sandbox:
        _judge(data, "bao-cao.xlsx")
    assert through_sandbox.value.reason == refused.value.reason
    assert "lỗi của chương trình" not in through_sandbox.value.reason


def test_precheck_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("DOTHIXANH_MAX_ROWS", "10")
    with pytest.raises(FileRefused, match="giới hạn 10 dòng"):
        precheck(b"a\n" + b"1\n" * 20, "x.csv", Limits.from_env())
    precheck(GOOD, "ok.csv", Limits.from_env())


def test_ingest_json_refuses_the_xfd_workbook_with_a_reason_and_an_upload_row(warehouse, tmp_path, query):
    path = tmp_path / "xfd.xlsx"
    path.write_bytes(hostile.xfd_bomb())
    env = {
        **os.environ,
        "DOTHIXANH_HOME": str(warehouse.home),
        "PYTHONPATH": str(ROOT),
        "DOTHIXANH_SANDBOX_IDLE": "0",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "services.cli",
            "ingest",
            str(path),
            "--feed",
            "violations",
            "--unit",
            "CAP",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=WAIT,
    )
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["status"] == "refused"
    assert "XFD" in report["reason"] and "giới hạn 500 cột" in report["reason"]
    assert "DOTHIXANH" not in report["reason"]  # the clerk is told the limit, not the setting's name
    [row] = query(warehouse, "SELECT status, refusal_reason FROM uploads WHERE file_name = 'xfd.xlsx'")
    assert row["status"] == "refused" and row["refusal_reason"] == report["reason"]


def test_a_command_killed_while_its_file_is_judged_leaves_no_rows_in_the_temporary_folder(
    warehouse, tmp_path
):
    """kill -9 skips the caller's `finally`: its folder of results (a large file's rows) would stay
    for good. The next command that judges a file removes it; a live caller's folder is kept."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    sent = tmp_path / "v.csv"
    sent.write_bytes(GOOD)
    env = {
        **os.environ,
        "DOTHIXANH_HOME": str(warehouse.home),
        "PYTHONPATH": str(ROOT),
        "TMPDIR": str(temporary),
    }
    command = [
        sys.executable,
        "-m",
        "services.cli",
        "ingest",
        str(sent),
        "--feed",
        "violations",
        "--unit",
        "CAP",
        "--json",
    ]
    killed = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**env, "DOTHIXANH_FAULT": "reading"},
        cwd=ROOT,
        timeout=WAIT,
    )
    assert killed.returncode == -9, killed.stderr[-2000:]
    left = list(temporary.glob("dothixanh-judged-*"))
    assert len(left) == 1  # what the killed command left
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=WAIT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["status"] == "loaded"
    assert list(temporary.glob("dothixanh-judged-*")) == []  # the dead command's folder is gone too


def test_a_live_callers_folder_is_never_taken_for_a_dead_ones(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with result_folder() as mine:
        (mine / "accepted.arrow").write_bytes(b"rows")
        assert remove_orphan_folders(tmp_path) == []
        assert (mine / "accepted.arrow").exists()
    assert not mine.exists()  # and gone once its caller is done


def test_a_worker_killed_mid_file_refuses_that_file_and_the_next_one_is_fine():
    with Sandbox(SandboxLimits(workers=1), env={"DOTHIXANH_SANDBOX_FAULT": "kill-on:boom.csv"}) as sandbox:
        with pytest.raises(FileRefused) as refused:
            _judge(GOOD, "boom.csv", sandbox)
        assert "đọc an toàn" in refused.value.reason and "giới hạn bộ nhớ" in refused.value.reason
        assert refused.value.setting == "DOTHIXANH_SANDBOX_MEMORY_MB"
        judged = _judge(GOOD, "fine.csv", sandbox)
    assert (judged.rows_total, judged.accepted.height) == (2, 2)


def test_a_worker_gives_way_to_the_server_and_its_priority_is_a_setting(monkeypatch):
    """Judging a clerk's file runs below the pages people wait for (nice 10), or as the operator sets it."""
    for env, expected in (({}, 10), ({"DOTHIXANH_SANDBOX_NICE": "15", "DOTHIXANH_SANDBOX_WORKERS": "1"}, 15)):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        limits = SandboxLimits.from_env() if env else SandboxLimits(workers=1)
        with Sandbox(limits) as sandbox:
            judged = _judge(GOOD, "fine.csv", sandbox)
            [pid] = sandbox.pids()
            assert os.getpriority(os.PRIO_PROCESS, pid) - os.getpriority(os.PRIO_PROCESS, 0) == expected
        assert judged.accepted.height == 2


def test_two_files_are_judged_at_once_while_a_third_load_holds_the_writer_lock(warehouse, tmp_path, query):
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    env = {"DOTHIXANH_SANDBOX_FAULT": f"barrier:{barrier}:2"}
    waiting = {name: threading.Event() for name in ("a.csv", "b.csv")}
    results = {}

    def send(name: str, data: bytes, sandbox: Sandbox) -> None:
        def progress(step: str) -> None:
            if step.startswith("Chờ lượt ghi"):
                waiting[name].set()

        results[name] = ingest(warehouse, data, feed="violations", unit_code="CAP", file_name=name,
                               progress=progress, sandbox=sandbox)  # fmt: skip

    with Sandbox(SandboxLimits(workers=2), env=env) as sandbox:
        other = GOOD.replace(b"S1,", b"T1,").replace(b"S2,", b"T2,")
        threads = [
            threading.Thread(target=send, args=("a.csv", GOOD, sandbox)),
            threading.Thread(target=send, args=("b.csv", other, sandbox)),
        ]
        with warehouse.writing():  # a third load, holding the lock the whole time
            for thread in threads:
                thread.start()
            for name, event in waiting.items():
                assert event.wait(WAIT), f"{name} was not judged while another load held the lock"
        for thread in threads:
            thread.join(WAIT)
    # Each worker passed the barrier only when both were judging at the same moment.
    assert len(list(barrier.glob("*.met"))) == 2
    assert {r.status for r in results.values()} == {"loaded"}
    assert query(warehouse, "SELECT count(*) AS n FROM violations")[0]["n"] == 4


def test_the_reference_changing_during_judgement_is_caught_under_the_lock(warehouse, ward_files):
    """A unit removed between the judgement and the lock: the file is judged again and refused."""
    from pipelines.ingest import init_ward

    sandbox = default_sandbox()
    real_run = sandbox.run
    judged = []

    def run_then_change_the_ward(request, data, progress):
        reply = real_run(request, data, progress)
        if request["file_name"] == "late.csv":
            judged.append(reply["status"])
            if len(judged) == 1:  # after the first judgement, before the lock: CAP leaves the ward
                units = b"unit_code,unit_name,feeds\nMTDT,\xe1\xbb\xa6y ban MTTQ,cleanups\n"
                # Valid from 01/11/2026: the file's records (05–06/11) fall under the new list.
                init_ward(
                    warehouse, ward_files["groups"], (units, "units.csv"), valid_from=dt.date(2026, 11, 1)
                )
        return reply

    sandbox.run = run_then_change_the_ward
    try:
        result = ingest(
            warehouse, GOOD, feed="violations", unit_code="CAP", file_name="late.csv", sandbox=sandbox
        )
    finally:
        del sandbox.run
    assert judged == ["ok", "refused"]  # judged against the old lists, then again under the lock
    assert result.status == "refused" and "CAP" in result.reason


def test_the_service_serves_commands_from_a_private_socket(tmp_path):
    from pipelines import sandbox_service

    home = tmp_path / "home"
    client = sandbox_service.start(home, idle=60, wait_seconds=WAIT)
    assert client is not None
    try:
        assert oct(sandbox_service.socket_path(home).stat().st_mode & 0o777) == "0o600"
        assert oct(sandbox_service.run_dir(home).stat().st_mode & 0o777) == "0o700"
        judged = _judge(GOOD, "ok.csv", client)
        assert judged.accepted.height == 2
        with pytest.raises(FileRefused, match="XFD"):
            _judge(hostile.xfd_bomb(), "xfd.xlsx", client)
        assert sandbox_service.running(home) is not None
    finally:
        client.stop()
    shutil.rmtree(home, ignore_errors=True)
